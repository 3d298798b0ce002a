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
}): OpsHandlers {
  const { setup, retention, backups, settings } = deps;
  return {
    'ops.diagnostics': () => deps.health(),
    'ops.supportBundle': async () => {
      const bundle = await deps.supportBundle();
      return { fileName: bundle.fileName, base64: bundle.zip.toString('base64'), bytes: bundle.zip.length };
    },
    'ops.setup.get': () => setup.view(),
    'ops.setup.save': (input, ctx) => setup.save(input, ctx.actor),
    'ops.testMail': (input, ctx) => setup.testMail(input, ctx.actor),
    'ops.testCentral': (input) => setup.testCentral(input),
    'ops.retention': async () => ({ items: await retention.policy(), lastPurge: await retention.lastPurge() }),
    'ops.setup.removeDemoAccounts': async (_input, ctx) => ({ removed: await deps.removeDemoAccounts(ctx.actor) }),
    'ops.purgeNow': (_input, ctx) => retention.purge(ctx.actor),
    'ops.backups': async () => ({ keep: (await settings.get()).backupKeep, items: backups.list() }),
    'ops.backupNow': async () => {
      const item = await backups.takeNow();
      backups.prune((await settings.get()).backupKeep);
      return item;
    },
  };
}
