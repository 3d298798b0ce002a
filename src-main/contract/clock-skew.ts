/**
 * NTP steps and drift between counters: a stamp this far ahead of the clock is still "now"
 * (services/clock.ts), and a counter whose clock differs from central's by more is named on
 * 同期, since its codes and attempt counts are then read wrongly at the other counters.
 */
export const CLOCK_SKEW_MS = 10 * 60_000;
