import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src-main/domain/duration-text';

describe('formatDuration: the largest natural unit', () => {
  it.each([
    [30, '30 分', '30 minutes'],
    [1, '1 分', '1 minute'],
    [60, '1 時間', '1 hour'],
    [90, '1 時間 30 分', '1 hour 30 minutes'],
    [15 * 60, '15 時間', '15 hours'],
    [1440, '24 時間', '24 hours'],
    [36 * 60, '36 時間', '36 hours'],
    [2880, '2 日', '2 days'],
    [7 * 1440, '7 日', '7 days'],
    [0, '0 分', '0 minutes'],
  ])('%i minutes read "%s" / "%s"', (minutes, ja, en) => {
    expect(formatDuration(minutes, 'ja')).toBe(ja);
    expect(formatDuration(minutes, 'en')).toBe(en);
  });
});
