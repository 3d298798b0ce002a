import { describe, expect, it } from 'vitest';
import { progressBar, progressLine } from '../../../src-main/app/import-cli';

const at = { rows: 450_000, inserted: 0, updated: 0, unchanged: 0, rejected: 3, bytes: 45, totalBytes: 100 };

describe('import progress', () => {
  it('draws rows, percent, rate and time left on a terminal', () => {
    expect(progressBar(at, 9, 80)).toBe('[#########............]  45% 450,000 rows  50,000 rows/s  0:11 left  3 rejected');
  });

  it('writes a plain line when not a terminal', () => {
    expect(progressLine(at, 9)).toBe('import: 450,000 rows (45%), 50,000 rows/s, about 0:11 left, 3 rejected');
  });

  it('leaves percent and time out when the size is unknown', () => {
    expect(progressLine({ ...at, totalBytes: null }, 9)).toBe('import: 450,000 rows, 50,000 rows/s, 3 rejected');
  });
});
