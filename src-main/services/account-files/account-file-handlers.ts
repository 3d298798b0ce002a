import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { AccountFileCallName } from '../../contract/account-file-calls';
import { contract } from '../../contract/registry';
import { AppError } from '../../contract/errors';
import { appendAudit } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import type { CallContext, Handlers } from '../call-context';
import { iso, type Clock } from '../clock';
import type { Logger } from '../logger';
import { accountsCsvStream, countExportable, findShiftJisUnwritable } from './account-export';
import type { ImportJobs } from './import-jobs';
import type { FileTransfers } from './transfers';

/** The Electron shell's open dialog (electron-main.ts); absent in web mode. */
export interface ImportFilePicker {
  chooseCsv(): Promise<{ path: string; name: string } | null>;
}

export interface AccountFileDeps {
  db: Db;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  jobs: ImportJobs;
  transfers: FileTransfers;
  picker?: ImportFilePicker;
}

const actorOf = (ctx: CallContext) => `staff:${ctx.session.principal.staff?.staffId ?? ''}`;

const stamp = (ms: number) => new Date(ms + 9 * 3600_000).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

/** Binds the import and export calls; the rules live in import-jobs.ts and account-export.ts. */
export function createAccountFileHandlers(deps: AccountFileDeps): Pick<Handlers, AccountFileCallName> {
  const { db, clock, jobs, transfers } = deps;
  /**
   * A download's audit entry, committed before its first byte (FileTransfers.open). One that
   * cannot be written refuses the download in words (errors.unavailable.audit-unwritable): the
   * personal data would otherwise leave with no record of who took it.
   */
  const recorder = (actor: string, action: 'accounts.exported' | 'accounts.import-rejects-exported', detail: Record<string, unknown>) => async () => {
    try {
      await db.transaction((tx) => appendAudit(tx, { actor, action, detail }, iso(clock.nowMs())));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      deps.logger.error({ download: action, failure: typeof code === 'string' ? code : 'unknown' }, 'download refused: its audit entry could not be written');
      throw new AppError('UNAVAILABLE', { params: { reason: 'audit-unwritable' } });
    }
  };

  return {
    'accounts.import.status': async () => jobs.status(),

    'accounts.import.beginUpload': async (input, ctx) => {
      jobs.checkCanReceive(input.bytes);
      const actor = actorOf(ctx);
      const ticket = transfers.issue({
        kind: 'upload',
        sessionId: ctx.session.id,
        role: contract['accounts.import.beginUpload'].role,
        fileName: input.fileName,
        maxBytes: jobs.maxBytes,
        receive: (body: Readable) => jobs.receive(body, input.fileName, actor),
      });
      return { ticket, fileName: input.fileName, maxBytes: jobs.maxBytes };
    },

    'accounts.import.chooseFile': async (_input, ctx) => {
      if (ctx.transport !== 'ipc' || !deps.picker) throw new AppError('UNAVAILABLE', { params: { reason: 'web-mode' } });
      jobs.checkCanReceive(0);
      const chosen = await deps.picker.chooseCsv();
      if (!chosen) return { chosen: false, job: jobs.status() };
      const size = await stat(chosen.path).then((s) => s.size);
      jobs.checkCanReceive(size);
      return { chosen: true, job: await jobs.receive(createReadStream(chosen.path), chosen.name, actorOf(ctx)) };
    },

    'accounts.import.run': (input, ctx) => jobs.start(input.dryRun, input.locale, actorOf(ctx)),

    'accounts.import.discard': () => jobs.discard(),

    'accounts.import.rejects': async (_input, ctx) => {
      const rejects = jobs.rejects();
      if (!rejects) throw new AppError('NOT_FOUND', { params: { reason: 'no-rejects' } });
      const actor = actorOf(ctx);
      const ticket = transfers.issue({
        kind: 'download',
        sessionId: ctx.session.id,
        role: contract['accounts.import.rejects'].role,
        fileName: rejects.fileName,
        contentType: 'text/csv; charset=utf-8',
        // Recorded when the file is fetched, not when the button was pressed, and before it leaves.
        record: recorder(actor, 'accounts.import-rejects-exported', { rows: rejects.rows }),
        stream: () => rejects.open(),
      });
      return { ticket, fileName: rejects.fileName };
    },

    'accounts.export.summary': async () => ({ accounts: await countExportable(db) }),

    'accounts.export.begin': async (input, ctx) => {
      if (input.encoding === 'shift_jis') {
        const unwritable = await findShiftJisUnwritable(db);
        if (unwritable.accounts > 0) return { unwritable };
      }
      const accounts = await countExportable(db);
      const actor = actorOf(ctx);
      const fileName = `accounts-${stamp(clock.nowMs())}-${input.encoding === 'utf-8' ? 'utf8' : 'sjis'}.csv`;
      const ticket = transfers.issue({
        kind: 'download',
        sessionId: ctx.session.id,
        role: contract['accounts.export.begin'].role,
        fileName,
        contentType: `text/csv; charset=${input.encoding === 'utf-8' ? 'utf-8' : 'shift_jis'}`,
        record: recorder(actor, 'accounts.exported', { encoding: input.encoding, accounts }),
        stream: () => accountsCsvStream(db, input.encoding, (rows) => deps.logger.info({ exported: rows, encoding: input.encoding }, 'accounts exported')),
      });
      return { ticket, fileName, accounts };
    },
  };
}
