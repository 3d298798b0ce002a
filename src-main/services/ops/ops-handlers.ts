import type { AuditAction } from '../../contract/audit-actions';
import type { Health } from '../../contract/ops-calls';
import type { Handlers } from '../call-context';
import type { SettingsService } from '../settings-service';
import type { BackupService } from './backup-service';
import type { Retention } from './retention';
import type { SetupService } from './setup-service';

export type OpsCallName = Extract<keyof Handlers, `ops.${string}`>;
export type OpsHandlers = Pick<Handlers, OpsCallName>;

/** Binds the ops.* calls (issue 7) to their services; merged into call-handlers.ts. */
export function createOpsHandlers(deps: {
  health(): Promise<Health>;
  setup: SetupService;
  retention: Retention;
  backups: BackupService;
  settings: SettingsService;
  supportBundle(): Promise<{ fileName: string; zip: Buffer }>;
  removeDemoAccounts(actor: string): Promise<number>;
  /** An audit entry by the staff user who did it (create-app.ts). */
  audit(actor: string, action: AuditAction, detail: Record<string, unknown>): Promise<void>;
}): OpsHandlers {
  const { setup, retention, backups, settings } = deps;
  return {
    'ops.diagnostics': () => deps.health(),
    // Settings and logs leave the counter on a screen: recorded as the audit and account exports are.
    'ops.supportBundle': async (_input, ctx) => {
      const bundle = await deps.supportBundle();
      await deps.audit(ctx.actor, 'ops.support-bundle-exported', { file: bundle.fileName, bytes: bundle.zip.length });
      return { fileName: bundle.fileName, base64: bundle.zip.toString('base64'), bytes: bundle.zip.length };
    },
    'ops.setup.get': () => setup.view(),
    'ops.setup.save': (input, ctx) => setup.save(input, ctx.actor),
    'ops.testMail': (input, ctx) => setup.testMail(input, ctx.actor),
    'ops.testCentral': (input) => setup.testCentral(input),
    'ops.retention': async () => {
      const lastPurge = await retention.lastPurge();
      return { items: await retention.policy(), lastPurge, lastPurgeAhead: lastPurge ? retention.stampedAhead(lastPurge.at) : false };
    },
    'ops.setup.removeDemoAccounts': async (_input, ctx) => ({ removed: await deps.removeDemoAccounts(ctx.actor) }),
    'ops.purgeNow': (input, ctx) => retention.purgeNow(ctx.actor, input.clockChecked === true),
    'ops.backups': async () => ({ keep: (await settings.get()).backupKeep, items: backups.list() }),
    // A full copy of the store, and older copies removed past backupKeep: both by someone's hand.
    'ops.backupNow': async (_input, ctx) => {
      const item = await backups.takeNow();
      const pruned = backups.prune((await settings.get()).backupKeep);
      await deps.audit(ctx.actor, 'ops.backup-taken', { file: item.name, bytes: item.bytes, pruned: pruned.length });
      return item;
    },
  };
}
