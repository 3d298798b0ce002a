// The pure parts of the staff screens' import and export (issue 18 §4): which characters
// Shift_JIS (CP932, as Excel writes it) gives back unchanged, and the transfer tickets' rules.
import { describe, expect, it } from 'vitest';
import { shiftJisUnwritable } from '../../../src-main/services/account-files/account-export';
import { FileTransfers, type DownloadTicket } from '../../../src-main/services/account-files/transfers';

describe('shiftJisUnwritable', () => {
  it('passes the NEC/IBM extensions Excel uses (髙 﨑 ① ㈱ 德) and plain text', () => {
    expect(shiftJisUnwritable('髙橋 﨑子 ①㈱ 德永 ｶﾅ 東京都港区芝5-33-1 +81 3')).toEqual([]);
  });

  it('names each character that would not come back unchanged, once', () => {
    expect(shiftJisUnwritable('𠮷田 鷗外 𠮷')).toEqual(['𠮷', '鷗']);
    expect(shiftJisUnwritable('😀')).toEqual(['😀']);
  });
});

describe('FileTransfers', () => {
  let now = 0;
  const ticket = (sessionId: string): DownloadTicket => ({ kind: 'download', sessionId, role: 'supervisor', fileName: 'a.csv', contentType: 'text/csv', record: async () => undefined, stream: () => undefined as never });

  it('gives a ticket once, to its own session only, within 60 s', () => {
    const transfers = new FileTransfers(() => now, async () => undefined);
    const id = transfers.issue(ticket('s1'));
    expect(transfers.take(id, 'upload', 's1')).toBeUndefined();
    expect(transfers.take(id, 'download', 's2')).toBeUndefined();
    expect(transfers.take(id, 'download', 's1')?.fileName).toBe('a.csv');
    expect(transfers.take(id, 'download', 's1')).toBeUndefined();
    const late = transfers.issue(ticket('s1'));
    now += 60_000;
    expect(transfers.take(late, 'download', 's1')).toBeUndefined();
  });
});
