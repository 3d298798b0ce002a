import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardFormula, unguardFormula } from '../../../src-main/domain/spreadsheet-cell';

describe('spreadsheet formula guard', () => {
  it('puts an apostrophe before what a spreadsheet would run, and nothing before anything else', () => {
    expect(guardFormula('=HYPERLINK("https://example.com/?"&D2,"詳細")')).toBe('\'=HYPERLINK("https://example.com/?"&D2,"詳細")');
    expect(guardFormula('+81 3 1234 5678')).toBe("'+81 3 1234 5678");
    expect(guardFormula('-')).toBe("'-");
    expect(guardFormula('@SUM(A1:A9)')).toBe("'@SUM(A1:A9)");
    expect(guardFormula('\tcmd')).toBe("'\tcmd");
    expect(guardFormula('03-1234-5678')).toBe('03-1234-5678');
    expect(guardFormula("O'Brien")).toBe("O'Brien");
    expect(guardFormula("'80s")).toBe("'80s");
    expect(guardFormula('')).toBe('');
  });

  it('guards a formula after leading white space and the full-width ＝ ＋ － ＠, and gives each back as it was', () => {
    for (const text of [' =HYPERLINK("https://example.com/")', '\u3000=1+1', '\n=1', '\r\n+1', '＝HYPERLINK("https://example.com/")', '＋81 3 1234 5678', '－1', '＠SUM(A1:A9)', '  ＝1', "'＝1", "' =1"]) {
      expect(guardFormula(text)).toBe(`'${text}`);
      expect(unguardFormula(guardFormula(text))).toBe(text);
    }
    // Text that only contains them further on is left alone.
    expect(guardFormula(' 03-1234-5678')).toBe(' 03-1234-5678');
    expect(guardFormula('株式会社＝')).toBe('株式会社＝');
  });

  it('gives one more apostrophe to a value that already looks guarded, so it comes back as it was', () => {
    expect(guardFormula("'=1")).toBe("''=1");
    expect(unguardFormula("''=1")).toBe("'=1");
  });

  it('takes exactly one guard away, and leaves an unguarded cell alone', () => {
    expect(unguardFormula("'=1+1")).toBe('=1+1');
    expect(unguardFormula("'+81 3 1234 5678")).toBe('+81 3 1234 5678');
    expect(unguardFormula('=1+1')).toBe('=1+1');
    expect(unguardFormula("'80s")).toBe("'80s");
    expect(unguardFormula("'")).toBe("'");
  });

  it('round-trips every string, and a guarded cell never begins a formula', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', '髙', ' ', '\u3000', '\n', '＝', '＋', '－', '＠') }));
    fc.assert(
      fc.property(text, (value) => {
        expect(unguardFormula(guardFormula(value))).toBe(value);
        expect(guardFormula(value)).not.toMatch(/^(?:[\t\r]|\s*[=+\-@＝＋－＠])/);
      }),
      { numRuns: 2000 },
    );
  });
});
