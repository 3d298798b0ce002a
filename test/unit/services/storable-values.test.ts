import { describe, expect, it } from 'vitest';
import { storableRowJson } from '../../../src-main/services/sync/storable-values';

describe('storableRowJson', () => {
  it('returns a clean row as it is, without parsing it', () => {
    const json = '{"id":"x","company":"株式会社テスト","version":2}';
    expect(storableRowJson(json)).toEqual({ json, replaced: [] });
  });

  it('puts U+FFFD where a NUL or a lone surrogate was and names those fields', () => {
    const json = JSON.stringify({ id: 'x', company: 'a\u0000b', address: 'c\ud800d', phone: '03', version: 2 });
    const out = storableRowJson(json);
    expect(out.replaced).toEqual(['company', 'address']);
    expect(JSON.parse(out.json)).toEqual({ id: 'x', company: 'a\uFFFDb', address: 'c\uFFFDd', phone: '03', version: 2 });
  });

  it('leaves a backslash followed by u0000 as typed: it is text, not a NUL', () => {
    const json = JSON.stringify({ note: 'C:\\u0000' });
    expect(storableRowJson(json)).toEqual({ json, replaced: [] });
  });
});
