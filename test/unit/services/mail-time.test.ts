import { describe, expect, it } from 'vitest';
import { formatMailTime } from '../../../src-main/services/mail/mail-time';

describe('formatMailTime', () => {
  const at = Date.parse('2026-12-07T12:41:59Z');

  it('writes Japanese mails in Japanese, in JST', () => {
    expect(formatMailTime(at, 'ja')).toBe('2026年12月7日 21:41 (JST)');
  });

  it('writes English mails in English, day before month, in JST', () => {
    expect(formatMailTime(at, 'en')).toBe('7 December 2026, 21:41 JST');
    // Past midnight in Tokyo it is already the next day there.
    expect(formatMailTime(Date.parse('2026-12-31T15:05:00Z'), 'en')).toBe('1 January 2027, 00:05 JST');
  });
});
