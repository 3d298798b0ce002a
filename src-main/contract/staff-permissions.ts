import { contract, type CallName } from './registry';
import { satisfiesRole, type Role, type StaffRole } from './roles';

/**
 * What a staff role may do, from one source: each call's `role` in the registry, plus the
 * few acts that are one branch of a call (the service checks these with the same table).
 * Screens offer an action only when `staffMay` says yes; dispatch refuses the rest anyway.
 */
export const staffActs = {
  /** Approving an inquiry against a different address or company (the seed's rule) needs a written override. */
  'inquiries.override': 'supervisor',
} as const satisfies Record<string, StaffRole>;
export type StaffAct = keyof typeof staffActs;

export function leastRole(what: CallName | StaffAct): Role {
  return Object.hasOwn(staffActs, what) ? staffActs[what as StaffAct] : contract[what as CallName].role;
}

export function staffMay(role: StaffRole, what: CallName | StaffAct): boolean {
  return satisfiesRole({ staff: { staffId: '', role, mustChangePassword: false } }, leastRole(what));
}
