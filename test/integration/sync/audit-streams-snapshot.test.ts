// 同期の状態's audit streams (audit.fleet.streams) read while central refuses a counter's cut
// log: whichever statement of the read the refusal lands after, the stream is shown either as
// it was before (complete) or as refused and acceptable, never refused and not acceptable (the
// cut used to be read in a statement of its own, before the heads; found by a busy CI box in
// audit-gap-calls.test.ts).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetAuditStreams } from '../../../src-main/services/sync/audit-fleet';
import { startCentral, type Central } from '../support/sync-central';

const row = (seq: number, prev: string) => ({ seq, at: `2026-12-07T00:00:0${seq}.000Z`, actor: 'kiosk', action: 'reset.requested', subject: null, detail_json: '{}', prev_hash: prev, hash: `h${seq}-${prev}` });

describe('audit.fleet.streams while central refuses a cut log', () => {
  let central: Central;
  let client: pg.Client;
  beforeAll(async () => {
    central = await startCentral();
    client = await central.client();
  });
  afterAll(async () => {
    await client?.end();
    await central?.stop();
  });

  /** A counter whose entries 1–3 central holds; `refuse()` sends its entry 4, linked to 1 (2 and 3 were removed there). */
  async function counterAtCentral(n: number) {
    const clientId = `0190a000-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`;
    await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES ($1, $2, current_user)`, [clientId, `kiosk-${n}`]);
    const r1 = row(1, 'genesis');
    const r2 = row(2, r1.hash);
    const r3 = row(3, r2.hash);
    await central.query(`SELECT audit_append($1, $2::jsonb, 3, $3)`, [clientId, JSON.stringify([r1, r2, r3]), r3.hash]);
    const r4 = row(4, r1.hash);
    return {
      kioskId: `kiosk-${n}`,
      refuse: async () => {
        const [answer] = await central.query<{ r: { refused: string | null } }>(`SELECT audit_append($1, $2::jsonb, 4, $3) AS r`, [clientId, JSON.stringify([r4]), r4.hash]);
        expect(answer!.r.refused).toMatch(/refused/);
      },
    };
  }

  /** The central client the screen's read uses, running `between` once after its `after`-th statement; `statements()` counts them. */
  const interleaved = (after: number, between: () => Promise<void>) => {
    let statements = 0;
    const proxy = new Proxy(client, {
      get(target, key) {
        if (key !== 'query') return Reflect.get(target, key) as unknown;
        return async (...args: unknown[]) => {
          const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
          statements += 1;
          if (statements === after) await between();
          return result;
        };
      },
    }) as pg.Client;
    return { proxy, statements: () => statements };
  };

  it('shows a refused stream as acceptable whenever the refusal lands during the read', async () => {
    const counting = interleaved(Infinity, async () => undefined);
    await fleetAuditStreams(counting.proxy, { clientId: 'none', localSeq: 0 });
    const statements = counting.statements();
    expect(statements).toBeGreaterThan(0);

    for (let after = 0; after <= statements; after += 1) {
      const counter = await counterAtCentral(after);
      const read = after === 0 ? (await counter.refuse(), client) : interleaved(after, counter.refuse).proxy;
      const stream = (await fleetAuditStreams(read, { clientId: 'none', localSeq: 0 })).find((s) => s.kioskId === counter.kioskId)!;
      const seen = { state: stream.state, acceptable: stream.acceptable, heldThroughSeq: stream.heldThroughSeq };
      const before = { state: 'complete', acceptable: false, heldThroughSeq: 3 };
      const refused = { state: 'refused', acceptable: true, heldThroughSeq: 3 };
      if (after === 0) expect(seen).toEqual(refused);
      else if (after === statements) expect(seen).toEqual(before);
      // Part-way: as it was, or as it is now; never a mix of the two.
      else expect([before, refused], `refused after statement ${after} of ${statements}`).toContainEqual(seen);
    }
  });
});
