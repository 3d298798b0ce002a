/** Time comes from here so tests can move it without sleeping. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export const iso = (ms: number): string => new Date(ms).toISOString();
