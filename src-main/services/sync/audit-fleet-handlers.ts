import { appendAudit } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import type { Handler } from '../call-context';
import { iso, type Clock } from '../clock';
import { exportFleetAudit, fleetAuditStreams, listFleetAudit } from './audit-fleet';
import { localAuditHead } from './audit-streamer';
import { describeAuditRows } from '../audit-service';
import { centralForCalls } from './sync-handlers';
import { acceptAuditGap, AuditAcceptError } from './audit-acceptance';
import { AppError } from '../../contract/errors';
import type { SyncEngine } from './sync-engine';

type AuditFleetCallName = 'audit.fleet.list' | 'audit.fleet.export' | 'audit.fleet.streams' | 'audit.fleet.acceptGap';

export interface AuditFleetDeps {
  db: Db;
  clock: Clock;
  kioskId: string;
  /** Undefined on a standalone counter: the fleet scope does not exist there. */
  engine: SyncEngine | undefined;
}

/** The fleet's audit trail at central: 監査ログ 「全窓口」 and the streams on 同期の状態. */
export function createAuditFleetHandlers(deps: AuditFleetDeps): { [K in AuditFleetCallName]: Handler<K> } {
  const { db, clock, engine } = deps;
  const central = centralForCalls(engine);
  return {
    'audit.fleet.list': async (input) => {
      const { rows, ...listed } = await central((c) => listFleetAudit(c, input));
      // Through the one description of the local log: labels, masking, staff by name.
      const described = await describeAuditRows(db, rows);
      return { ...listed, items: rows.map((r, i) => ({ ...described[i]!, kioskId: r.kiosk_id, clientId: r.client_id })) };
    },
    'audit.fleet.export': async (input, ctx) => {
      const nowIso = iso(clock.nowMs());
      const result = await central((client) => exportFleetAudit(client, input, nowIso));
      // Recorded here, at the counter where it was taken; it reaches central with the stream.
      await db.transaction((tx) => appendAudit(tx, { actor: `staff:${ctx.session.principal.staff!.staffId}`, action: 'audit.exported', detail: { rows: result.rows, scope: 'fleet', filter: input } }, nowIso));
      return result;
    },
    'audit.fleet.acceptGap': (input, ctx) =>
      central(async (client) => {
        try {
          const a = await acceptAuditGap({
            db,
            query: async (sql, params) => (await client.query(sql, params)).rows,
            counter: input.clientId,
            reason: input.reason,
            by: ctx.actor,
            atKiosk: deps.kioskId,
            nowIso: iso(clock.nowMs()),
          });
          return { fromSeq: a.fromSeq, toSeq: a.toSeq, acceptedBy: a.acceptedBy, acceptedAt: a.acceptedAt, acceptedAtKiosk: a.acceptedAtKiosk, acceptedRole: a.acceptedRole, reason: a.reason };
        } catch (error) {
          if (error instanceof AuditAcceptError) throw new AppError(error.kind === 'unknown-counter' ? 'NOT_FOUND' : error.kind === 'reason-required' ? 'INVALID_INPUT' : 'CONFLICT');
          throw error;
        }
      }),
    'audit.fleet.streams': async () => {
      if (!engine) return { streams: [] };
      const head = await localAuditHead(db);
      return { streams: await central((c) => fleetAuditStreams(c, { clientId: engine.clientId, localSeq: head.seq })) };
    },
  };
}
