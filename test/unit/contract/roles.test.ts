import { describe, expect, it } from 'vitest';
import { roles, satisfiesRole, type Principal, type Role } from '../../../src-main/contract/roles';

const nobody: Principal = {};
const customer: Principal = { customer: { accountId: 'a1' } };
const staff = (role: 'agent' | 'supervisor' | 'admin'): Principal => ({ staff: { staffId: 's1', role, mustChangePassword: false } });

describe('satisfiesRole', () => {
  it('lets anyone make a public call', () => {
    for (const p of [nobody, customer, staff('agent')]) expect(satisfiesRole(p, 'public')).toBe(true);
  });

  it('lets only a logged-in customer make a customer call', () => {
    expect(satisfiesRole(customer, 'customer')).toBe(true);
    expect(satisfiesRole(nobody, 'customer')).toBe(false);
    expect(satisfiesRole(staff('admin'), 'customer')).toBe(false);
  });

  it.each<[string, Principal, Role[], Role[]]>([
    ['nobody', nobody, [], ['agent', 'supervisor', 'admin']],
    ['a customer', customer, [], ['agent', 'supervisor', 'admin']],
    ['an agent', staff('agent'), ['agent'], ['supervisor', 'admin']],
    ['a supervisor', staff('supervisor'), ['agent', 'supervisor'], ['admin']],
    ['an admin', staff('admin'), ['agent', 'supervisor', 'admin'], []],
  ])('nests the staff roles: %s', (_who, principal, allowed, refused) => {
    for (const role of allowed) expect(satisfiesRole(principal, role)).toBe(true);
    for (const role of refused) expect(satisfiesRole(principal, role)).toBe(false);
  });

  it('covers every declared role', () => {
    expect(roles).toEqual(['public', 'customer', 'agent', 'supervisor', 'admin']);
  });
});
