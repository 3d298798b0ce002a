// Other counters' audit chains at a test central, for the fleet audit specs: each is
// registered as a counter and streamed through audit_append exactly as a counter's streamer
// would, then reports its own head — which may be behind (a cut log) or unknown (a rewrite).
import { randomUUID } from 'node:crypto';
import { auditHash, GENESIS_HASH } from '../../src-main/store/audit-repo';
import type { Central } from '../integration/support/sync-central';

type Entry = { actor: string; action: string; subject: string };

/** A counter's chain of `n` entries, as its store would hold it. */
export function chain(kiosk: string, n: number, entry: (seq: number) => Entry = (seq) => ({ actor: 'kiosk', action: 'reset.requested', subject: `${kiosk}-${seq}` })) {
  const rows = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const row = { at: `2026-12-01T0${seq}:00:00.000Z`, ...entry(seq), detail_json: JSON.stringify({ seq }) };
    const hash = auditHash(prev, row);
    rows.push({ seq, ...row, prev_hash: prev, hash });
    prev = hash;
  }
  return rows;
}

/**
 * Registers `kiosk` at central and streams its `rows`; the counter then reports (`localSeq`,
 * `localHash`) as its own head — by default the hash central holds for that entry.
 */
export async function streamCounter(central: Central, kiosk: string, rows: ReturnType<typeof chain>, localSeq: number, localHash?: string): Promise<void> {
  const client = randomUUID();
  await central.query(`INSERT INTO kiosks (client_id, kiosk_id, role_name) VALUES ($1, $2, current_user)`, [client, kiosk]);
  await central.query(`SELECT audit_append($1::uuid, $2::jsonb, $3, $4)`, [client, JSON.stringify(rows), localSeq, localHash ?? rows[localSeq - 1]!.hash]);
}
