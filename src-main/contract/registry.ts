import type { z } from 'zod';
import { isStaffRole, type Role } from './roles';
import { accountCalls } from './account-calls';
import { accountFileCalls } from './account-file-calls';
import { appCalls } from './app-calls';
import { auditFleetCalls } from './audit-fleet-calls';
import { opsCalls } from './ops-calls';
import { resetCalls } from './reset-calls';
import { staffCalls } from './staff-calls';
import { syncCalls } from './sync-calls';
import { mypageCalls } from './mypage-calls';
import { inquiryCalls } from './inquiry-calls';
import { kioskCalls } from './kiosk-calls';

/**
 * The one registry of calls. Adding a call means adding it to a group here; the IPC and HTTP
 * transports, the preload's allow-list and the renderer's client all follow from it.
 */
export const contract = {
  ...appCalls,
  ...accountCalls,
  ...resetCalls,
  ...kioskCalls,
  ...staffCalls,
  ...mypageCalls,
  ...inquiryCalls,
  ...opsCalls,
  ...syncCalls,
  ...auditFleetCalls,
  ...accountFileCalls,
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<K extends CallName> = z.input<Contract[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Contract[K]['output']>;

export const callNames = Object.keys(contract) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(contract, name);
}

/**
 * Whose idle clock a call keeps going. A screen's own poll is nobody's act; a staff call is the
 * clerk's, any other call (the kiosk's and マイページ's) the customer's. One browser may hold
 * both logins (a clerk who typed /staff at the counter PC): a customer busy at the kiosk must
 * not keep the clerk's login alive for the next person to find at /staff, nor the reverse.
 */
export type Activity = 'none' | 'customer' | 'staff';

export function activityOf(name: string): Activity {
  if (!isCallName(name)) return 'none';
  const call = contract[name] as { passive?: true; role: Role };
  if (call.passive) return 'none';
  return activityOfRole(call.role);
}

/** The login a call of this role acts for; an upload or download by its ticket's role (transport/http.ts). */
export function activityOfRole(role: Role): Activity {
  return isStaffRole(role) ? 'staff' : 'customer';
}

/** IPC channels carry one prefix so the main process can reject anything else (vscode's rule). */
export const IPC_PREFIX = 'webdesk:';
export const ipcChannel = (name: CallName): string => `${IPC_PREFIX}${name}`;

/** Electron's one file channel: save a download ticket's stream where the user picks (its own prefix). */
export const IPC_SAVE_DOWNLOAD = 'webdesk-file:save-download';
