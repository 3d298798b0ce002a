import type { z } from 'zod';
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

/**
 * The one registry of calls. Adding a call means adding it to a group here; the IPC and HTTP
 * transports, the preload's allow-list and the renderer's client all follow from it.
 */
export const contract = {
  ...appCalls,
  ...accountCalls,
  ...resetCalls,
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

/** Whether a call is what the person did (it keeps their login alive) or a screen's own poll. */
export function isActivity(name: string): boolean {
  return !(isCallName(name) && (contract[name] as { passive?: true }).passive);
}

/** IPC channels carry one prefix so the main process can reject anything else (vscode's rule). */
export const IPC_PREFIX = 'webdesk:';
export const ipcChannel = (name: CallName): string => `${IPC_PREFIX}${name}`;

/** Electron's one file channel: save a download ticket's stream where the user picks (its own prefix). */
export const IPC_SAVE_DOWNLOAD = 'webdesk-file:save-download';
