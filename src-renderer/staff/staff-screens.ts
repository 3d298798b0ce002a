import type { CallName } from '../../src-main/contract';

/**
 * The staff screens in the side navigation, grouped by task (issue 16): 受付 (the counter's
 * daily work), 管理 (watching the kiosk), 設定 (configuring it). Each names the call it opens
 * with; a role sees a screen exactly when the contract lets it make that call.
 */
export const staffNavGroups = [
  {
    group: 'reception',
    screens: [
      { name: 'dashboard', opens: 'staff.dashboard' },
      { name: 'lookup', opens: 'staff.accounts.search' },
      { name: 'inquiries', opens: 'staff.inquiries.list' },
      { name: 'outbox', opens: 'staff.outbox.list' },
    ],
  },
  {
    group: 'manage',
    screens: [
      { name: 'audit', opens: 'staff.audit.list' },
      { name: 'sync', opens: 'sync.status' },
      { name: 'diagnostics', opens: 'ops.diagnostics' },
      { name: 'accountExport', opens: 'accounts.export.summary' },
      { name: 'accountImport', opens: 'accounts.import.status' },
    ],
  },
  {
    group: 'configure',
    screens: [
      { name: 'users', opens: 'staff.users.list' },
      { name: 'settings', opens: 'staff.settings.get' },
      { name: 'setup', opens: 'ops.setup.get' },
    ],
  },
] as const satisfies ReadonlyArray<{ group: string; screens: ReadonlyArray<{ name: string; opens: CallName }> }>;

export type StaffScreen = (typeof staffNavGroups)[number]['screens'][number]['name'];
