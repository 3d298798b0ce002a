import { describe, expect, it } from 'vitest';
import { callNames, contract, leastRole, staffMay, staffRoles } from '../../../src-main/contract';

describe('staffMay: one source for what a role may do', () => {
  it('follows each call role of the registry for every staff role', () => {
    const rank = { agent: 1, supervisor: 2, admin: 3 } as const;
    for (const name of callNames) {
      const need = contract[name].role;
      if (need === 'public' || need === 'customer') continue;
      for (const role of staffRoles) expect(staffMay(role, name), `${role} ${name}`).toBe(rank[role] >= rank[need]);
    }
  });

  it('knows the acts that are one branch of a call', () => {
    expect(leastRole('inquiries.override')).toBe('supervisor');
    expect(staffMay('agent', 'inquiries.override')).toBe(false);
    expect(staffMay('supervisor', 'inquiries.override')).toBe(true);
    expect(staffMay('agent', 'staff.locks.lift')).toBe(false);
    expect(staffMay('agent', 'staff.reset.send')).toBe(true);
  });
});
