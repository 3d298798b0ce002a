import { CLOCK_SKEW_MS } from '../contract/clock-skew';

/** Time comes from here so tests can move it without sleeping. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const iso = (ms: number): string => new Date(ms).toISOString();

export { CLOCK_SKEW_MS };

/**
 * Stamped later than now: by a clock that has since stepped back (NTP correction, a dead RTC
 * battery). What such a stamp starts (a code's life, a grant's) counts as over, so a step back
 * never lengthens it past its configured length.
 */
export const stampedAhead = (stampIso: string, nowMs: number): boolean => Date.parse(stampIso) > nowMs + CLOCK_SKEW_MS;
