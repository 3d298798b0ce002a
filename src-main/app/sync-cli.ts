import { userInfo } from 'node:os';
import { centralFailureKind, otherInstallationProblem } from '../contract/central-failures';
import { rotateCentralKey } from '../store/central-keys';
import { migrateCentral, pruneCentral } from '../store/central-migrations';
import { centralFailureText } from '../store/central-client-config';
import type { FirstSyncProgress } from '../services/sync/first-sync';
import { CodeKeyMismatchError, type AuditStreamStatus, type SyncStatus } from '../services/sync/sync-engine';
import type { AppConfig } from './config';
import { runningApp } from './app-pid';
import { createApp } from './create-app';
import { centralUrlMissingLine } from './cli-options';
import { argValue } from './entry-support';

const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `seen` for `--status`: this process syncs nothing, so its engine's own state ('starting') says
 * nothing; what syncs is the counter app on the data folder, if one runs (app.pid), and the rest
 * is what the store holds. Without it, the state of the pass this process ran.
 */
export function formatStatus(s: SyncStatus, seen?: { counterPid: number | undefined }): string[] {
  const state = !seen ? s.state : seen.counterPid !== undefined ? `synced by the counter app (pid ${seen.counterPid})` : 'not syncing now (no counter app runs on this data folder)';
  const lines = [
    `kiosk ${s.kioskId} (client ${s.clientId}): ${state}${s.offlineSince ? `, offline since ${s.offlineSince}` : ''}`,
    `outbox: ${s.outboxDepth} mutation(s) waiting${s.oldestPendingAt ? `, oldest from ${s.oldestPendingAt}` : ''}`,
    `last push: ${s.lastPushAt ?? 'never'} (${s.pushedTotal} pushed); last pull: ${s.lastPullAt ?? 'never'} (${s.pulledTotal} pulled)`,
    firstSyncLine(s.firstSync, seen && firstSyncPause(s, seen)),
    codeKeyLine(s.codeKey),
  ];
  lines.push(auditStreamLine(s.auditStream));
  if (s.refresh) lines.push(`refresh (cursor fell below the pruned change log): ${s.refresh.rows} rows so far (${s.refresh.table}), since ${s.refresh.startedAt}`);
  const worded = wordedProblem(s);
  if (worded) lines.push(worded);
  if (s.lastError) lines.push(`last error: ${s.lastError}`);
  return lines;
}

/**
 * Why nobody copies a first sync now, seen from another process (undefined: the counter app on
 * the folder does). The rate the store kept then promises nothing: it said "about 40 s left"
 * for a first sync stopped by Ctrl-C days before.
 */
function firstSyncPause(s: Pick<SyncStatus, 'offlineSince'>, seen: { counterPid: number | undefined }): string | undefined {
  if (seen.counterPid === undefined) return 'paused: nobody syncs it now (npm run sync, or the counter app once started, goes on from here)';
  if (s.offlineSince) return 'waiting for central (the counter app goes on from here once central answers)';
  return undefined;
}

/**
 * A refusal whose own words name no way out (central's WD002: another installation holds this
 * counter's identity), said as 同期 says it, the one sentence for `--status` and `--follow`.
 * Read from the store, so a status from another process has it too.
 */
export function wordedProblem(s: Pick<SyncStatus, 'lastError' | 'lastErrorCode'>): string | undefined {
  if (!s.lastError || centralFailureKind(s.lastErrorCode) !== 'identity') return undefined;
  return `${otherInstallationProblem.ja} / ${otherInstallationProblem.en} (here: npm run sync -- --take-over)`;
}

function auditStreamLine(a: AuditStreamStatus): string {
  const reached = `audit stream: central holds this log through seq ${a.streamedSeq} of ${a.localSeq}${a.streamedAt ? ` (${a.streamedAt})` : ''}`;
  return a.error ? `${reached}; refused by central: ${a.error}` : reached;
}

/** Ids only: a key never reaches a screen or a terminal. */
export function codeKeyLine(k: SyncStatus['codeKey']): string {
  if (k.mismatch) return k.mismatch;
  const previous = k.previousKeyIds.length > 0 ? `; earlier keys still verifying: ${k.previousKeyIds.join(', ')}` : '';
  const local = k.retiredLocalKeyId ? `; this counter's own key from before it joined: ${k.retiredLocalKeyId} (its own earlier requests only)` : '';
  switch (k.state) {
    case 'deployment':
      return `code key: ${k.currentKeyId} from central (received ${k.receivedAt ?? 'unknown'})${previous}${local}`;
    case 'awaiting':
      return `code key: not yet received from central; codes made now (key ${k.currentKeyId}) work at this counter only`;
    default:
      return `code key: ${k.currentKeyId} (standalone)`;
  }
}

/**
 * The first sync in its stages (first-sync.ts): the copy, then the staff search keys. The
 * stage under way says `rate unknown` until its first page or batch has committed; the copy's
 * rate, once behind, is left out when the store never measured it. `pause`: why no time is left.
 */
function firstSyncLine(fs: FirstSyncProgress, pause?: string): string {
  const perSecond = (rate: number | null, unit: string) => (rate ? `${Math.round(rate)} ${unit}/s` : null);
  const left = pause ? `; ${pause}` : fs.secondsLeft !== null ? `, about ${fs.secondsLeft} s left` : '';
  const copyRate = perSecond(fs.ratePerSecond, 'rows');
  switch (fs.state) {
    case 'paging':
      return `first sync: ${fs.rows}/${fs.total} rows (${fs.table}), ${copyRate ?? 'rate unknown'}${left}`;
    case 'indexing': {
      const copied = `${fs.rows} rows copied${fs.copiedAt ? ` at ${fs.copiedAt}` : ''}${copyRate ? ` (${copyRate})` : ''}`;
      return `first sync: ${copied}; search keys ${fs.index.accounts}/${fs.index.total}, ${perSecond(fs.index.ratePerSecond, 'accounts') ?? 'rate unknown'}${left}`;
    }
    case 'done': {
      const line = `first sync: done, ${fs.rows} rows (${fs.startedAt} → ${fs.finishedAt})`;
      // A store that finished before the index stage existed (0019) has no copy time.
      if (!fs.copiedAt) return line;
      return `${line}; copied at ${fs.copiedAt}${copyRate ? ` (${copyRate})` : ''}, search keys of ${fs.index.total} accounts ready at ${fs.finishedAt}`;
    }
    default:
      return 'first sync: not started';
  }
}

type SyncCommandName = 'central-migrate' | 'central-prune' | 'central-rotate-key' | 'sync';

/** `central-migrate`, `central-prune`, `central-rotate-key` and `sync` (npm run central:migrate / central:prune / central:rotate-key / sync -- --status). */
export async function syncCommand(command: SyncCommandName, args: string[], config: AppConfig): Promise<number> {
  if (!config.centralUrl) {
    process.stderr.write(`${centralUrlMissingLine(command)}\n`);
    return 2;
  }
  if (command === 'sync') return counterSync(args, config);
  const url = config.centralUrl;
  try {
    return await ownerCommand(command, args, { ...config, centralUrl: url });
  } catch (error) {
    // One line: where and why, never the password nor a driver's stack.
    process.stderr.write(`${command}: ${centralFailureText(url, error)}\n`);
    return 1;
  }
}

/** The schema owner's commands on central. */
async function ownerCommand(command: 'central-migrate' | 'central-prune' | 'central-rotate-key', args: string[], config: AppConfig & { centralUrl: string }): Promise<number> {
  if (command === 'central-migrate') {
    // WEBDESK_SECRET on this command: the secret the counters shared so far becomes the deployment's key.
    const { schema, key } = await migrateCentral(config.centralUrl, { adoptSecret: config.secret });
    out(`central schema: ${schema}`);
    const how = { created: 'created (a new random key)', adopted: 'adopted from WEBDESK_SECRET', kept: 'kept' }[key.outcome];
    out(`code key: ${key.current} ${how}; counters receive it over their own connection on their first sync`);
    if (key.notAdopted) {
      process.stderr.write(
        `central-migrate: WEBDESK_SECRET (key ${key.notAdopted}) was not adopted: the deployment already has key ${key.current}. ` +
          `To make it current: WEBDESK_SECRET=… npm run central:rotate-key\n`,
      );
    }
    return 0;
  }
  if (command === 'central-rotate-key') {
    const result = await rotateCentralKey(config.centralUrl, config.secret);
    if (result.previous === result.current) {
      out(`central-rotate-key: ${result.current} is already the current code key; nothing changed`);
      return 0;
    }
    out(
      `central-rotate-key: code key ${result.current} is current${config.secret ? ' (adopted from WEBDESK_SECRET)' : ''}; ` +
        `counters take it with their next pull. ${result.previous ?? 'none'} verifies codes made before until they expire, then it is retired` +
        `${result.retired.length > 0 ? `; retired now: ${result.retired.join(', ')}` : ''}`,
    );
    return 0;
  }
  if (command === 'central-prune') {
    const silentDays = Number(argValue(args, '--silent-days') ?? '7');
    if (!Number.isFinite(silentDays) || silentDays <= 0 || silentDays > 3650) {
      process.stderr.write('central-prune: --silent-days: 0 より大きい日数を指定してください / expected a number of days above 0\n');
      return 2;
    }
    const result = await pruneCentral(config.centralUrl, { silentDays });
    out(
      `central-prune: ${result.pruned} change-log entries removed; horizon (${result.horizonXid}, ${result.horizonId}); ${result.left} left; ${result.limitEvents} limit events older than a day removed` +
        `${result.retiredKeys.length > 0 ? `; code keys retired: ${result.retiredKeys.join(', ')}` : ''}`,
    );
    return 0;
  }
  return 2;
}

/**
 * Why a one-pass sync stopped: central's failures in the owner's commands' words
 * (centralFailureText); a code key this counter cannot use is the engine's own line, already worded.
 */
function syncFailureText(url: string, error: unknown): string {
  if (error instanceof CodeKeyMismatchError) return error.message;
  return `${centralFailureText(url, error)}; what this pass had committed stays, and the next sync goes on from there`;
}

/** How often `sync --follow` looks whether the engine's state changed. */
const FOLLOW_POLL_MS = 500;

/** `sync`: this counter's own sync with central, once or following. */
async function counterSync(args: string[], config: AppConfig): Promise<number> {
  const number = (name: string) => {
    const value = argValue(args, name);
    return value === undefined ? undefined : Number(value);
  };
  const syncOptions = { pageSize: number('--page-size'), pushBatch: number('--push-batch'), auditBatch: number('--audit-batch') };
  // Asked before createApp, which writes this process's own pid there when no app runs.
  const counterPid = runningApp(config.dataDir);
  const app = await createApp(config, {
    defaultLinkBase: 'web',
    startMailWorker: false,
    startSync: false,
    syncOptions: Object.fromEntries(Object.entries(syncOptions).filter(([, v]) => v !== undefined && Number.isInteger(v) && v > 0)),
  });
  const engine = app.sync!;
  try {
    if (args.includes('--status')) {
      for (const line of formatStatus(await engine.status(), { counterPid })) out(line);
      return 0;
    }
    if (args.includes('--take-over')) {
      // Who: the operating-system user at this counter, as audit-accept records it.
      if ((await engine.takeOver(`operator:${userInfo().username}`)) === 'already') {
        out(`sync: this PC already pushes as counter ${config.kioskId}; nothing changed`);
        return 0;
      }
      out(`sync: this PC now pushes as counter ${config.kioskId}; central refuses another installation's pushes under it until it is taken over there`);
      return 0;
    }
    if (args.includes('--follow')) {
      engine.start();
      out(`sync: following central as kiosk ${config.kioskId}; Ctrl+C stops`);
      // Each change of state in one line (an operator watching an outage sees it begin and end).
      let said = '';
      const watch = setInterval(() => {
        void engine.status().then((s) => {
          if (s.mode !== 'synced' || s.state === said) return;
          said = s.state;
          const stopped = (s.state === 'offline' || s.state === 'refused') && s.lastError;
          const worded = stopped ? wordedProblem(s) : undefined;
          const why = stopped ? ` (${s.lastErrorCode ?? '?'}${worded ? '' : `: ${s.lastError}`})` : '';
          out(`sync: ${s.state}${s.offlineSince && s.state === 'offline' ? ` since ${s.offlineSince}` : ''}${why}`);
          if (worded) out(`sync: ${worded}`);
        }, () => undefined);
      }, FOLLOW_POLL_MS);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      clearInterval(watch);
      return 0;
    }
    const verbose = args.includes('--verbose');
    const started = performance.now();
    let lastLine = 0;
    const result = await engine.syncOnce((event) => {
      if (verbose) out(event);
      else if (event.startsWith('first sync') && performance.now() - lastLine > 1000) {
        lastLine = performance.now();
        out(event);
      }
    });
    out(`sync: pushed ${result.pushed}, pulled ${result.pulled}, audit rows streamed ${result.audit} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const line of formatStatus(await engine.status())) out(line);
    return 0;
  } catch (error) {
    // One line, as the owner's commands say it: the pass printed the driver's own text
    // ("connect ECONNREFUSED 127.0.0.1:5432", PostgreSQL's English) and seven status lines after
    // it, the driver's text again among them. What the pass committed stays; --status has the rest.
    process.stderr.write(`sync: ${syncFailureText(config.centralUrl!, error)}\n`);
    return 1;
  } finally {
    await app.close();
  }
}
