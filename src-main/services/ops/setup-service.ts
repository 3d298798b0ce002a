import { AppError } from '../../contract/errors';
import type { SetupView } from '../../contract/ops-calls';
import { appendAudit } from '../../store/audit-repo';
import type { Db } from '../../store/database';
import { countDemoAccounts } from '../../store/demo-accounts-repo';
import { iso, type Clock } from '../clock';
import type { Logger } from '../logger';
import { revisionOf } from '../screen-revision';
import type { SettingsService } from '../settings-service';
import { sendTestMail, testCentralDatabase } from './probes';
import { splitUrlPassword, urlWithoutPassword, withPassword, type SecretName, type SecretStore } from './secret-store';

/** Deployment settings an admin saves at first run; the same names as the WEBDESK_* variables. */
export interface DeploymentValues {
  kioskId?: string;
  mode?: 'kiosk' | 'staff';
  publicUrl?: string;
  mailFrom?: string;
  /** Without password: the password is in the SecretStore. */
  smtpUrl?: string;
  centralUrl?: string;
}
export const deploymentKeys = ['kioskId', 'mode', 'publicUrl', 'mailFrom', 'smtpUrl', 'centralUrl'] as const;
export type DeploymentKey = (typeof deploymentKeys)[number];
export type ConfigSource = 'env' | 'file' | 'default';

/** DATA_DIR/deployment.json (app/deployment-file.ts); loadConfig merges it under the environment. */
export interface DeploymentFile {
  read(): DeploymentValues & { updatedAt?: string };
  write(values: DeploymentValues & { updatedAt: string; updatedBy: string }): void;
}

/** What the running app started with (secrets included in URLs), and where each value came from. */
export interface RunningConfig {
  kioskId: string;
  mode: 'kiosk' | 'staff';
  publicUrl?: string;
  mailFrom: string;
  smtpUrl?: string;
  centralUrl?: string;
  sources?: Partial<Record<DeploymentKey, ConfigSource>>;
}

export interface SetupInput {
  kioskId?: string;
  mode?: 'kiosk' | 'staff';
  supportEmail?: string;
  printerName?: string;
  publicUrl?: string | null;
  mailFrom?: string;
  smtpUrl?: string | null;
  smtpPassword?: string | null;
  centralUrl?: string | null;
  centralPassword?: string | null;
  /** The view's revision as the 初期設定 screen was loaded. */
  revision?: string;
}

const secretFor = { smtpUrl: 'smtp-password', centralUrl: 'central-password' } as const satisfies Record<string, SecretName>;

const sameAccount = (a: string, b: string) => {
  const x = new URL(a);
  const y = new URL(b);
  return x.protocol === y.protocol && x.host === y.host && decodeURIComponent(x.username) === decodeURIComponent(y.username);
};

/**
 * First-run setup (issue 7): kiosk id, mode, support address, public URL, SMTP and the
 * central database. Saved values apply at the next start (the composition root is built
 * from them); the support address is a run-time setting and applies at once.
 */
export function createSetupService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  settings: SettingsService;
  running: RunningConfig;
  file: DeploymentFile;
  secrets: SecretStore;
}) {
  const { running, file, secrets } = deps;
  const source = (key: DeploymentKey): ConfigSource => running.sources?.[key] ?? 'default';
  let changedSinceStart = false;

  function effective<K extends DeploymentKey>(key: K, saved: DeploymentValues): { value: RunningConfig[K] | undefined; source: ConfigSource } {
    if (source(key) === 'env') return { value: running[key], source: 'env' };
    if (saved[key] !== undefined) return { value: saved[key] as RunningConfig[K], source: 'file' };
    return { value: source(key) === 'default' ? running[key] : undefined, source: 'default' };
  }

  const passwordSet = (key: 'smtpUrl' | 'centralUrl'): boolean =>
    source(key) === 'env' ? Boolean(running[key] && new URL(running[key]).password) : secrets.get(secretFor[key]) !== undefined;

  async function view(): Promise<SetupView> {
    const saved = file.read();
    const s = await deps.settings.get();
    const kioskId = effective('kioskId', saved);
    const mode = effective('mode', saved);
    const publicUrl = effective('publicUrl', saved);
    const mailFrom = effective('mailFrom', saved);
    const smtpUrl = effective('smtpUrl', saved);
    const centralUrl = effective('centralUrl', saved);
    const shown = {
      kioskId: { value: kioskId.value ?? running.kioskId, source: kioskId.source },
      mode: { value: mode.value ?? running.mode, source: mode.source },
      supportEmail: s.supportEmail,
      printerName: s.printerName,
      publicUrl: { value: publicUrl.value ?? null, source: publicUrl.source },
      mailFrom: { value: mailFrom.value ?? running.mailFrom, source: mailFrom.source },
      smtpUrl: { value: urlWithoutPassword(smtpUrl.value), source: smtpUrl.source },
      smtpPasswordSet: passwordSet('smtpUrl'),
      centralUrl: { value: urlWithoutPassword(centralUrl.value), source: centralUrl.source },
      centralPasswordSet: passwordSet('centralUrl'),
    };
    return {
      ...shown,
      secretStore: secrets.kind,
      restartRequired: changedSinceStart,
      configured: saved.updatedAt !== undefined,
      demoAccounts: await countDemoAccounts(deps.db),
      // The file's time too: a password changed by another admin shows only as 設定済み.
      revision: revisionOf({ shown, savedAt: saved.updatedAt ?? null }),
    };
  }

  // Saves run one at a time: each checks the revision against the values the one before it wrote.
  let saving: Promise<unknown> = Promise.resolve();
  function save(input: SetupInput, actor: string): Promise<SetupView> {
    const turn = saving.then(() => saveNow(input, actor));
    saving = turn.catch(() => undefined);
    return turn;
  }

  async function saveNow(input: SetupInput, actor: string): Promise<SetupView> {
    // Two admins on 初期設定: a value saved from a screen older than the other admin's save
    // replaced theirs without a word.
    if (input.revision !== undefined && (await view()).revision !== input.revision) throw new AppError('CONFLICT', { params: { reason: 'settings-changed' } });
    // Read first: a secrets file that cannot be read (SecretFileFault) stops the save before
    // deployment.json or a setting is written, so a refused save has changed nothing.
    secrets.get(secretFor.smtpUrl);
    const saved = file.read();
    const next: DeploymentValues = { ...saved };
    delete (next as { updatedAt?: string }).updatedAt;
    delete (next as { updatedBy?: string }).updatedBy;
    const changed = new Set<string>();
    const put = <K extends DeploymentKey>(key: K, value: DeploymentValues[K] | null | undefined) => {
      if (value === undefined) return;
      if (value === null) {
        if (next[key] !== undefined) changed.add(key);
        delete next[key];
      } else if (next[key] !== value) {
        next[key] = value;
        changed.add(key);
      }
    };
    const setSecret = (name: SecretName, value: string | null | undefined) => {
      if (value === undefined) return;
      if (value === null) {
        if (secrets.get(name) !== undefined) changed.add(name);
        secrets.delete(name);
      } else if (secrets.get(name) !== value) {
        secrets.set(name, value);
        changed.add(name);
      }
    };
    put('kioskId', input.kioskId);
    put('mode', input.mode);
    put('publicUrl', input.publicUrl === null ? null : input.publicUrl?.replace(/\/+$/, ''));
    put('mailFrom', input.mailFrom);
    for (const key of ['smtpUrl', 'centralUrl'] as const) {
      const value = input[key];
      const separate = key === 'smtpUrl' ? input.smtpPassword : input.centralPassword;
      if (value === null) {
        put(key, null);
        setSecret(secretFor[key], null);
      } else if (value !== undefined) {
        const { url, password } = splitUrlPassword(value);
        put(key, url);
        setSecret(secretFor[key], password ?? separate);
      } else {
        setSecret(secretFor[key], separate);
      }
    }
    const nowIso = iso(deps.clock.nowMs());
    if (changed.size > 0) {
      file.write({ ...next, updatedAt: nowIso, updatedBy: actor });
      changedSinceStart = true;
    } else if (saved.updatedAt === undefined) {
      // Saving the defaults unchanged still completes the first-run setup.
      file.write({ ...next, updatedAt: nowIso, updatedBy: actor });
    }
    if (input.supportEmail !== undefined) await deps.settings.update({ supportEmail: input.supportEmail }, actor);
    if (input.printerName !== undefined) await deps.settings.update({ printerName: input.printerName }, actor);
    if (changed.size > 0) {
      // Names of what changed only: values may be URLs with hosts and users, secrets never.
      await appendAudit(deps.db, { actor, action: 'ops.setup.saved', detail: { changed: [...changed].sort() } }, nowIso);
      deps.logger.info({ changed: [...changed].sort() }, 'deployment settings saved; applied at next start');
    }
    return view();
  }

  /**
   * The URL to probe: the one typed (a stored password is added only for the same host and
   * user as the saved URL, so a typed URL cannot send the stored password elsewhere), else
   * the saved one, else what the app runs with.
   */
  function resolve(key: 'smtpUrl' | 'centralUrl', typed: string | undefined, typedPassword: string | undefined): string | undefined {
    const saved = file.read()[key];
    if (typed) {
      const { url, password } = splitUrlPassword(typed);
      const stored = saved && sameAccount(url, saved) ? secrets.get(secretFor[key]) : undefined;
      return withPassword(url, password ?? typedPassword ?? stored);
    }
    if (source(key) !== 'env' && saved) return withPassword(saved, typedPassword ?? secrets.get(secretFor[key]));
    return running[key];
  }

  async function testMail(input: { to: string; smtpUrl?: string; smtpPassword?: string }, actor: string) {
    const url = resolve('smtpUrl', input.smtpUrl, input.smtpPassword);
    if (!url) throw new AppError('INVALID_INPUT', { fields: [{ field: 'smtpUrl', code: 'required' }] });
    const saved = file.read();
    const from = source('mailFrom') === 'env' ? running.mailFrom : (saved.mailFrom ?? running.mailFrom);
    const kioskId = source('kioskId') === 'env' ? running.kioskId : (saved.kioskId ?? running.kioskId);
    const nowIso = iso(deps.clock.nowMs());
    const result = await sendTestMail({ smtpUrl: url, from, to: input.to, kioskId, nowIso });
    deps.logger.info({ ok: result.ok, ms: result.ms, ...(result.error ? { error: result.error.code } : {}) }, 'test mail');
    await appendAudit(deps.db, { actor, action: 'ops.test-mail', detail: { ok: result.ok, ...(result.error ? { error: result.error.code } : {}) } }, nowIso);
    return result;
  }

  async function testCentral(input: { centralUrl?: string; centralPassword?: string }) {
    const url = resolve('centralUrl', input.centralUrl, input.centralPassword);
    if (!url) throw new AppError('INVALID_INPUT', { fields: [{ field: 'centralUrl', code: 'required' }] });
    return testCentralDatabase(url);
  }

  return { view, save, testMail, testCentral };
}

export type SetupService = ReturnType<typeof createSetupService>;
