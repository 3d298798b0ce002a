/** Entries in a pull's first local transaction, and the fewest any is cut down to. */
export const MIN_APPLY_ENTRIES = 50;

/**
 * How many rows a pull's next local transaction applies (a page of the change log, or of a
 * table while refreshing): the size follows a goal in ms, as an import's batches do
 * (account-import.ts `batchMs`). Kept by the sync engine from pull to pull, so a counter whose
 * store has grown (a million accounts make each insert dearer) or whose host is busy learns
 * shorter transactions.
 */
export interface ApplyPace {
  goalMs: number;
  entries: number;
}

export const applyPace = (goalMs: number): ApplyPace => ({ goalMs, entries: MIN_APPLY_ENTRIES });

/** After a transaction of `entries` that took `ms`: halfway toward the size that would have met the goal, so one slow transaction does not swing it. */
export function paceAfter(pace: ApplyPace, entries: number, ms: number): void {
  const aimed = (entries * pace.goalMs) / Math.max(1, ms);
  pace.entries = Math.round(Math.max(MIN_APPLY_ENTRIES, (pace.entries + aimed) / 2));
}
