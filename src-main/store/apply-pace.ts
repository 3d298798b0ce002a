/** The goal for each transaction of work done while the counter serves (a pull, a refresh, a fold), in ms. */
export const APPLY_GOAL_MS = 25;

/** Rows in the first transaction of a paced pass, and the fewest any is cut down to. */
export const MIN_APPLY_ENTRIES = 50;

/**
 * How many rows the next transaction of background work applies while the counter serves (a
 * pull's page of the change log, a table's page while refreshing, the stale search keys a fold
 * pass folds): the size follows a goal in ms, as an import's batches do (account-import.ts
 * `batchMs`), and the work lets waiting calls in between (database.ts `letCallersIn`). Here in
 * the store, beside `letCallersIn`, so a store pass (the fold) and the sync services pace
 * alike. The sync engine keeps its pull's pace from pull to pull, so a counter whose store has
 * grown (a million accounts make each insert dearer) or whose host is busy learns shorter
 * transactions.
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
