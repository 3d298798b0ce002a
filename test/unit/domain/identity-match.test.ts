import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareField, matchIdentity, normalizeAddress } from '../../../src-main/domain/identity-match';

const registered = {
  address: '東京都港区三田3丁目13番12号',
  company: '株式会社サンプル商事',
  department: '品質保証部',
  name: '田中 一郎',
  phone: '03-1234-5678',
};

describe('identity match', () => {
  it('treats 丁目・番地・号, hyphens, kanji and full-width digits as one address', () => {
    for (const given of ['東京都港区三田3-13-12', '東京都港区三田３－１３－１２', '東京都港区三田三丁目十三番十二号', '東京都 港区 三田3丁目13番地12号', '東京都港区三田3ー13ー12']) {
      expect(compareField('address', registered.address, given), given).toBe('same');
    }
    expect(normalizeAddress('大阪市北区梅田1丁目1番1号')).toBe(normalizeAddress('大阪市北区梅田1-1-1'));
  });

  it('calls an address with a building name added or the prefecture left out similar', () => {
    expect(compareField('address', registered.address, '東京都港区三田3-13-12 三田ビル5F')).toBe('similar');
    expect(compareField('address', registered.address, '港区三田3-13-12')).toBe('similar');
    expect(compareField('address', registered.address, '東京都港区芝5-1-1')).toBe('different');
  });

  it('treats 株式会社, (株) and ㈱ as one, and kana width and script as one', () => {
    for (const given of ['(株)サンプル商事', '㈱サンプル商事', '株式会社　さんぷる商事', '（株）ｻﾝﾌﾟﾙ商事']) expect(compareField('company', registered.company, given), given).toBe('same');
    expect(compareField('company', registered.company, 'サンプル商事')).toBe('similar');
    expect(compareField('company', registered.company, 'サンプル商事株式会社')).toBe('similar');
    expect(compareField('company', registered.company, '株式会社みほん工業')).toBe('different');
  });

  it('compares phones by digits only, and names by folded characters', () => {
    expect(compareField('phone', registered.phone, '０３（１２３４）５６７８')).toBe('same');
    expect(compareField('phone', registered.phone, '+81 3-1234-5678')).toBe('same');
    expect(compareField('phone', registered.phone, '1234-5678')).toBe('similar');
    expect(compareField('phone', registered.phone, '03-9999-5678')).toBe('different');
    expect(compareField('name', registered.name, '田中一郎')).toBe('same');
    expect(compareField('name', registered.name, '田中')).toBe('similar');
    expect(compareField('name', 'タナカ イチロウ', 'たなか いちろう')).toBe('same');
    expect(compareField('name', registered.name, '')).toBe('missing');
  });

  it('refuses when address or company differ, or were not given (the seed’s rule)', () => {
    expect(matchIdentity(registered, registered).overall).toBe('match');
    expect(matchIdentity(registered, { ...registered, name: '田中' }).overall).toBe('review');
    expect(matchIdentity(registered, { ...registered, address: '大阪府大阪市北区梅田1-1-1' })).toMatchObject({ overall: 'refuse', refuseBecause: ['address'] });
    expect(matchIdentity(registered, { ...registered, company: '' })).toMatchObject({ overall: 'refuse', refuseBecause: ['company'] });
    expect(matchIdentity(registered, { ...registered, phone: '06-0000-0000' }).overall).toBe('review');
  });

  it('finds every field the same as itself, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (text) => {
        for (const field of ['address', 'company', 'department', 'name', 'phone'] as const) {
          const v = compareField(field, text, text);
          expect(['same', 'missing']).toContain(v);
        }
      }),
    );
  });

  it('is not fooled by full-width versions of the same text (property)', () => {
    const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), (text) => {
        for (const field of ['address', 'company', 'department', 'name', 'phone'] as const) {
          expect(compareField(field, text, toFullWidth(text))).toBe(compareField(field, text, text));
        }
      }),
    );
  });
});
