/**
 * Who may make a call. `public` is anyone at the kiosk, `customer` a logged-in Webdesk
 * contact, and the staff roles nest: an admin may do what a supervisor may, and so on.
 */
export const roles = ['public', 'customer', 'agent', 'supervisor', 'admin'] as const;
export type Role = (typeof roles)[number];

export const staffRoles = ['agent', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const isStaffRole = (role: Role): role is StaffRole => (staffRoles as readonly Role[]).includes(role);

const staffRank: Record<StaffRole, number> = { agent: 1, supervisor: 2, admin: 3 };

export interface Principal {
  customer?: { accountId: string };
  staff?: { staffId: string; role: StaffRole; mustChangePassword: boolean };
}

export function satisfiesRole(principal: Principal, required: Role): boolean {
  if (required === 'public') return true;
  if (required === 'customer') return principal.customer !== undefined;
  const staff = principal.staff;
  if (!staff) return false;
  return staffRank[staff.role] >= staffRank[required];
}
