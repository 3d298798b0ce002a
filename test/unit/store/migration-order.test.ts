import { describe, expect, it } from 'vitest';
import { assertAscending, localMigrations } from '../../../src-main/store/migrations';

describe('local migration list', () => {
  it('only goes up', () => {
    const names = localMigrations.map(([name]) => name);
    expect(() => assertAscending(names)).not.toThrow();
    expect(names[0]).toBe('0001_accounts');
  });

  // Numbers are handed out per feature branch ahead of time, so a gap is allowed; going down is not.
  it('numbers the steps with four digits, strictly going up', () => {
    const numbers = localMigrations.map(([name]) => Number(name.slice(0, 4)));
    for (const [name] of localMigrations) expect(name).toMatch(/^\d{4}_[a-z0-9_]+$/);
    numbers.slice(1).forEach((n, i) => expect(n).toBeGreaterThan(numbers[i]!));
  });

  it('gives every step an up and a down', () => {
    for (const [, m] of localMigrations) {
      expect(typeof m.up).toBe('function');
      expect(typeof m.down).toBe('function');
    }
  });
});

describe('assertAscending', () => {
  it('names a step that is out of order', () => {
    expect(() => assertAscending(['0001_a', '0003_c', '0002_b'])).toThrow('migration 0002_b is out of order');
  });

  it('refuses a repeated name', () => {
    expect(() => assertAscending(['0001_a', '0001_a'])).toThrow('0001_a');
  });

  it('accepts an empty or single list', () => {
    expect(() => assertAscending([])).not.toThrow();
    expect(() => assertAscending(['0001_a'])).not.toThrow();
  });
});
