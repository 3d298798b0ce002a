import { describe, expect, it } from 'vitest';
import { pullGapMs } from '../../../src-main/services/sync/sync-engine';

describe('pull gap', () => {
  it('is twice the pull’s wall time for a kiosk that is not in a stream of changes', () => {
    expect(pullGapMs(4, 0, 2_000)).toBe(8);
  });

  it('is at least the floor while NOTIFYs keep arriving inside the gap, and never above the cap', () => {
    expect(pullGapMs(4, 500, 2_000)).toBe(500);
    expect(pullGapMs(400, 500, 2_000)).toBe(800);
    expect(pullGapMs(5_000, 500, 2_000)).toBe(2_000);
  });
});
