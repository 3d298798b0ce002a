import { countDemoAccounts } from '../store/demo-accounts-repo';
import type { Db } from '../store/database';
import { countOpenInquiries } from '../store/inquiry-review-repo';
import { activeLockCount, mailStateCounts, requestsSince } from '../store/staff-stats-repo';
import type { Clock } from './clock';

const DAY_MS = 86_400_000;
const JST_OFFSET_MS = 9 * 3_600_000;
const jstDay = (ms: number) => new Date(ms + JST_OFFSET_MS).toISOString().slice(0, 10);

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Requests per day (days in Japan), how many ended in a new password, the median minutes
 * from request to new password, and the work waiting: open inquiries, locks, failed mail.
 */
export function createDashboardService(deps: { db: Db; clock: Clock }) {
  return async function dashboard(days: number) {
    const nowMs = deps.clock.nowMs();
    const firstDay = jstDay(nowMs - (days - 1) * DAY_MS);
    const sinceIso = new Date(Date.parse(`${firstDay}T00:00:00Z`) - JST_OFFSET_MS).toISOString();
    const rows = await requestsSince(deps.db, sinceIso);
    const perDay = new Map<string, { requests: number; completed: number; byStaff: number }>();
    for (let i = days - 1; i >= 0; i -= 1) perDay.set(jstDay(nowMs - i * DAY_MS), { requests: 0, completed: 0, byStaff: 0 });
    const minutes: number[] = [];
    let completed = 0;
    for (const row of rows) {
      const day = perDay.get(jstDay(Date.parse(row.created_at)));
      if (!day) continue;
      day.requests += 1;
      if (row.channel === 'staff') day.byStaff += 1;
      if (row.status === 'used' && row.completed_at) {
        day.completed += 1;
        completed += 1;
        minutes.push((Date.parse(row.completed_at) - Date.parse(row.created_at)) / 60_000);
      }
    }
    const open = await countOpenInquiries(deps.db);
    const mail = await mailStateCounts(deps.db);
    const med = median(minutes);
    return {
      days: [...perDay.entries()].map(([day, v]) => ({ day, ...v })),
      totals: {
        requests: rows.length,
        completed,
        completionRate: rows.length === 0 ? null : completed / rows.length,
        medianMinutesToComplete: med === null ? null : Math.round(med * 10) / 10,
      },
      openInquiries: { jsaIdUnknown: open.jsa_id_unknown ?? 0, contactChange: open.contact_change ?? 0 },
      activeLocks: await activeLockCount(deps.db),
      mail: { queued: (mail.queued ?? 0) + (mail.sending ?? 0), failed: mail.failed ?? 0, sent: mail.sent ?? 0 },
      demoAccounts: await countDemoAccounts(deps.db),
    };
  };
}
