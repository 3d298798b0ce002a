import type { Queryable } from '../../store/database';
import { CLOCK_SKEW_MS, iso } from '../clock';

const DAY_MS = 86_400_000;
/**
 * How far the clock may be ahead of the last purge before the chores stop trusting it: longer
 * than a counter is switched off over the longest holidays (年末年始, GW), far shorter than
 * the shortest retention a deletion is meant to wait for. Also the most one gap between two
 * audit entries adds to an entry's age (retention-repo `auditSeqAgedPast`).
 */
export const CLOCK_GAP_MS = 31 * DAY_MS;

export const RETENTION_PURGED_ACTION = 'retention.purged';

/** The latest stamp that is "by now": a backup or purge stamped later was made under a wrong clock and counts as not done. */
export const stampedBy = (nowMs: number) => nowMs + CLOCK_SKEW_MS;

export interface ClockVerdict {
  plausible: boolean;
  /** What the clock was measured against: the last purge stamped by now, else the newest audit entry so stamped. */
  referenceAt: string | null;
}

/**
 * Whether the wall clock may be trusted to delete by age (docs/decisions.md "A clock far
 * ahead"): not more than CLOCK_GAP_MS past the last purge the counter made by now. The chores
 * purge daily while the counter runs, so a larger gap is a counter off for over a month or a
 * clock gone wrong (dead RTC battery, bad NTP), and only a person can tell which. A clock
 * behind is not refused: every cut-off moves back with it, so it deletes less, not more.
 */
export async function judgeClock(db: Queryable, nowMs: number): Promise<ClockVerdict> {
  const bound = iso(stampedBy(nowMs));
  const purge = (await db('audit_log').where('action', RETENTION_PURGED_ACTION).andWhere('at', '<=', bound).orderBy('seq', 'desc').first('at')) as
    | { at: string }
    | undefined;
  // A store never purged yet (its first day) is measured against its newest entry instead.
  const reference = purge ?? ((await db('audit_log').where('at', '<=', bound).orderBy('seq', 'desc').first('at')) as { at: string } | undefined);
  if (!reference) return { plausible: true, referenceAt: null };
  return { plausible: nowMs - Date.parse(reference.at) <= CLOCK_GAP_MS, referenceAt: reference.at };
}
