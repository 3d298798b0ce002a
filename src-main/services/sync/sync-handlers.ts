import type pg from 'pg';
import { AppError } from '../../contract/errors';
import type { StaffRole } from '../../contract/roles';
import type { Handler } from '../call-context';
import { maskLogText } from '../log-mask';
import type { CodeKeys } from '../code-keys';
import { probeError } from '../ops/probes';
import { listConflicts, resolveConflict } from './conflicts';
import { TakeOverNotAuditedError, type SyncEngine, type SyncStatus } from './sync-engine';

/**
 * 同期の状態 as a role may read it. The driver's or the server's own sentence names host and
 * role names, and may quote SQL: agents and supervisors get the reason as its code (the screen
 * words it through the label table); an admin also gets the sentence, for support, with any
 * SQL, URL password, address or JSA-ID masked as main.log has them.
 */
export function statusForRole(status: SyncStatus, role: StaffRole | undefined): SyncStatus {
  if (status.lastError === null) return status;
  return { ...status, lastError: role === 'admin' ? maskLogText(status.lastError) : null };
}

type SyncCallName = 'sync.status' | 'sync.conflicts' | 'sync.resolveConflict' | 'sync.takeOver';

/** The sync.* calls; a standalone kiosk (no WEBDESK_CENTRAL_URL) says so and has no conflicts. */
/**
 * Work at central for a staff call: NOT_FOUND on a standalone kiosk, UNAVAILABLE while central
 * cannot be reached (the call's own AppErrors pass through).
 */
export function centralForCalls(engine: SyncEngine | undefined) {
  return async <T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> => {
    if (!engine) throw new AppError('NOT_FOUND');
    try {
      return await engine.withCentral(work);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('UNAVAILABLE');
    }
  };
}

export function createSyncHandlers(engine: SyncEngine | undefined, keys: CodeKeys): { [K in SyncCallName]: Handler<K> } {
  const central = centralForCalls(engine);
  return {
    'sync.status': async (_input, ctx) => (engine ? statusForRole(await engine.status(), ctx.session.principal.staff?.role) : { mode: 'standalone' as const, codeKey: keys.status() }),
    'sync.conflicts': async (input) => {
      if (!engine) return { conflicts: [] };
      return { conflicts: await central((c) => listConflicts(c, input)) };
    },
    'sync.resolveConflict': async (input, ctx) => {
      const resolved = await central((c) => resolveConflict(c, input.id, input.keep, ctx.actor));
      // A supervisor's choice may overwrite central's data (an e-mail address, where codes go):
      // in the audit log, as every staff decision is, once central has taken it.
      if (resolved.result === 'resolved') {
        await engine!.audit({
          actor: ctx.actor,
          action: 'sync.conflict-resolved',
          subject: resolved.subject,
          detail: { conflict: input.id, kioskValueApplied: input.keep === 'kiosk', ...(resolved.fields ? { changed: resolved.fields.join(', ') } : {}) },
        });
      }
      return { result: resolved.result };
    },
    'sync.takeOver': async (_input, ctx) => {
      if (!engine) throw new AppError('NOT_FOUND');
      let result: 'taken-over' | 'already';
      try {
        result = await engine.takeOver(ctx.actor);
      } catch (error) {
        // Central took it over; only this counter's record of it failed: not "central could not".
        if (error instanceof TakeOverNotAuditedError) throw new AppError('UNAVAILABLE', { params: { reason: 'take-over-not-audited' } });
        // Central's code goes with it: 同期の状態 words it as it words the sync's own failures.
        throw new AppError('UNAVAILABLE', { params: { reason: 'central', code: probeError(error).code } });
      }
      if (result === 'already') throw new AppError('CONFLICT', { params: { reason: 'already-this-installation' } });
      return { result };
    },
  };
}
