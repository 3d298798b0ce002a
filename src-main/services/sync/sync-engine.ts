import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { appendAudit, type AuditEntry } from '../../store/audit-repo';
import { letCallersIn, type Db } from '../../store/database';
import { outboxStats } from '../../store/sync-outbox-repo';
import { enableCapture, readSyncState, setDeploymentKeyIds, writeSyncState } from '../../store/sync-state-repo';
import { installSyncTriggers } from '../../store/sync-triggers';
import { iso, type Clock } from '../clock';
import type { MarkerKeys } from '../audit-marker-keys';
import type { CodeKeys, CodeKeyStatus, DeploymentKey } from '../code-keys';
import type { Logger } from '../logger';
import { localAuditHead, nextAuditBatch, streamAuditBatch } from './audit-streamer';
import { centralClientConfig, connectCentral, instanceSetting, sqlState } from './central-connection';
import { probeError } from '../ops/probes';
import { firstSyncProgress, runFirstSync, type FirstSyncProgress } from './first-sync';
import { APPLY_GOAL_MS, applyPace } from '../../store/apply-pace';
import { pullBatch } from './puller';
import { pushBatch } from './pusher';
import { claimAtCentral, type CodeClaim, type CodeClaimAnswer } from './code-claims';
import { claimLoginAtCentral, type LoginClaim, type LoginClaimAnswer } from './login-claims';
import { claimEmailChangeAtCentral, type EmailChangeClaim, type EmailChangeClaimAnswer } from './email-change-claims';
import { claimRequestAtCentral, type RequestClaim, type RequestClaimAnswer } from './request-claims';

export interface SyncOptions {
  /** Rows per first-sync page (the copy; the index stage folds at `pullApplyMs`, as the replica serves). */
  pageSize: number;
  /** Mutations per push transaction. */
  pushBatch: number;
  /** Audit rows per central transaction of the audit stream. */
  auditBatch: number;
  /**
   * Change-log entries per page read from central. The store has one connection (knex hands it
   * out in order), so a page is applied in transactions of `pullApplyMs`, not in one.
   */
  pullBatch: number;
  /**
   * A goal for each local transaction of a pull, in ms: a page is applied in slices that
   * follow it (puller.ts `applyPaced`), customers' calls let in between.
   */
  pullApplyMs: number;
  /** Fallback poll when no NOTIFY arrives (a proxy may drop them). */
  pollMs: number;
  /** Longest pause between two pulls while central keeps changing (see `pullGapMs`). */
  maxPullGapMs: number;
  /** Pull interval while LISTEN is off in a stream of changes (see `STREAM_NOTIFIES`). */
  streamPullMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
}

export const defaultSyncOptions: SyncOptions = {
  pageSize: 10_000,
  pushBatch: 500,
  auditBatch: 1_000,
  pullBatch: 500,
  pullApplyMs: APPLY_GOAL_MS,
  pollMs: 5_000,
  maxPullGapMs: 2_000,
  streamPullMs: 250,
  minBackoffMs: 250,
  maxBackoffMs: 30_000,
};

/** refused: this counter's code key is not the deployment's (code-keys.ts); it does not sync until that is put right. */
export type SyncRunState = 'starting' | 'first-sync' | 'online' | 'offline' | 'refused' | 'stopped';

/** Thrown on connect when the deployment's key set does not contain this counter's WEBDESK_SECRET. */
export class CodeKeyMismatchError extends Error {
  constructor(line: string) {
    super(line);
    this.name = 'CodeKeyMismatchError';
  }
}

/**
 * Thrown by `takeOver` when central took the identity over but this counter's audit entry of the
 * decision could not be written (a full or read-only disk): the take-over stands, unrecorded.
 */
export class TakeOverNotAuditedError extends Error {
  constructor(cause: unknown) {
    super(`central took the identity over for this PC, but its audit entry could not be written: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TakeOverNotAuditedError';
  }
}

export interface SyncStatus {
  mode: 'synced';
  state: SyncRunState;
  kioskId: string;
  clientId: string;
  offlineSince: string | null;
  lastError: string | null;
  /** A stable code for lastError (contract/central-failures.ts words it). */
  lastErrorCode: string | null;
  outboxDepth: number;
  oldestPendingAt: string | null;
  lastPushAt: string | null;
  lastPullAt: string | null;
  pushedTotal: number;
  pulledTotal: number;
  firstSync: FirstSyncProgress;
  refresh: { table: string; rows: number; startedAt: string | null } | null;
  auditStream: AuditStreamStatus;
  /** This counter's clock minus central's, measured at the last connect (null: not yet connected). */
  clockAheadMs: number | null;
  codeKey: CodeKeyStatus;
}

/** How far this store's audit chain has reached central (central migration 0012). */
export interface AuditStreamStatus {
  /** The newest local entry, and the last one central holds for this replica. */
  localSeq: number;
  streamedSeq: number;
  streamedAt: string | null;
  /** Central refused a row (the local log changed after it left); the stream waits. */
  error: string | null;
}

export interface SyncEngineDeps {
  db: Db;
  centralUrl: string;
  kioskId: string;
  clock: Clock;
  logger: Logger;
  /** The code keys: central's set arrives on connect and with every pull that logged a change to it. */
  keys: CodeKeys;
  /** This counter's audit purge marker keys: their public halves are registered at central on connect (central 0014). */
  markers?: Pick<MarkerKeys, 'publicKeys'>;
  /** This installation's name, sent on every connection (central 0017; app/counter-instance.ts); absent or null names none, as earlier versions. */
  instance?: string | null;
  options?: Partial<SyncOptions>;
  /** Central locked these logins while applying a push from here: the notice leaves from this kiosk. */
  onCentralLoginLocks?: (accountIds: string[]) => Promise<void>;
  /**
   * A pull brought entries: the accounts among them are stored with their search keys still
   * to fold (0011 marks them stale), which is done in the background from here, not by the
   * clerk whose search comes first (after a central import, a million of them).
   */
  onPulled?: () => void;
}

/** 250 ms, 500 ms, 1 s … capped, with ±20 % jitter so a fleet does not reconnect in step. */
export const backoffMs = (failures: number, min: number, max: number): number =>
  Math.round(Math.min(max, min * 2 ** Math.max(0, failures - 1)) * (0.8 + Math.random() * 0.4));

/**
 * Pause after a pull before the next one: twice the pull's own wall time, so while central
 * keeps changing a pull holds the store at most a third of the time and NOTIFYs arriving
 * meanwhile are answered by one pull. The wall time includes waiting for the store's one
 * connection, so the busier the kiosk (customers, pushes, a loaded host) the wider the gap;
 * an idle kiosk (a pull of a few ms) answers the next NOTIFY at once.
 */
export const pullGapMs = (pullWallMs: number, maxGapMs: number): number => Math.min(maxGapMs, 2 * pullWallMs);

/**
 * NOTIFYs that found a pull already pending (so brought nothing) before the kiosk stops
 * listening. Central delivers every commit's NOTIFY to every listening kiosk whether or not the
 * kiosk acts on it (200 kiosks: each central commit is 200 deliveries, each a transaction at
 * central), and coalescing here saves only the kiosk's side; only UNLISTEN saves central's.
 * So once NOTIFYs come faster than this kiosk pulls, it UNLISTENs and pulls every
 * `streamPullMs` instead (kiosks × pulls, not kiosks × commits); the first empty pull ends the
 * stream: LISTEN again, then one more pull, since commits in between notified nobody.
 * Two, not one: a lone change, or a clerk's changes one after another, never has two
 * notifications waiting for one pull, so it still arrives by NOTIFY at once.
 */
export const STREAM_NOTIFIES = 2;

/** Central refuses this installation's pushes and audit rows: another holds the identity (central 0017). */
export const ANOTHER_INSTALLATION = 'WD002';

/**
 * How far behind central's clock this counter's may be and still push. Each change is dated by
 * the counter's clock (its UUIDv7), and central holds back as `expired` every change dated
 * before what it remembers (central 0016): a clock months behind (a dead RTC battery) turned
 * every change into a conflict for staff. A day is far past NTP drift and a time zone set
 * wrong (9 h), and far short of central's memory (90 days): the outbox waits, worded, while
 * the clock is wrong, and leaves once it is right (docs/decisions.md "A counter whose clock is
 * far behind central holds its pushes").
 */
export const PUSH_CLOCK_BEHIND_MS = 86_400_000;

/** Why the outbox waits while the clock is far behind central's (PUSH_CLOCK_BEHIND_MS); its code words it on 同期の状態. */
export class ClockBehindError extends Error {
  readonly code = 'CLOCK_BEHIND';
  constructor(behindMs: number) {
    super(`this counter's clock is ${Math.round(behindMs / 3_600_000)} h behind central's: changes wait until it is set right`);
    this.name = 'ClockBehindError';
  }
}

/**
 * Keeps one replica in step with central, beside request handling: nothing here blocks a
 * customer's call (each step is a short local transaction), and while central is away the
 * kiosk keeps serving and the outbox waits. One connection is held (LISTEN, pull, first
 * sync); a second is borrowed from a one-slot pool only while pushing.
 */
export function createSyncEngine(deps: SyncEngineDeps) {
  const { db, clock, logger } = deps;
  const opts: SyncOptions = { ...defaultSyncOptions, ...deps.options };
  const nowIso = () => iso(clock.nowMs());

  let clientId = '';
  /** The highest mutation number central holds for this client id, as last heard. */
  let centralSeq = 0;
  let clockAheadMs: number | null = null;
  let runState: SyncRunState = 'starting';
  let listener: pg.Client | undefined;
  let pushPool: pg.Pool | undefined;
  let stopped = true;
  let loopDone: Promise<void> | undefined;
  let wakeWaiter: (() => void) | undefined;
  let stopWaiter: (() => void) | undefined;
  // `pulls`: passes over the change log finished since start (read-only below, for tests).
  const memory = { lastPullAt: null as string | null, lastPullPersistedMs: 0, firstSyncDone: false, pulls: 0 };
  // What is due. Scheduling runs on the monotonic clock, not `clock` (tests may freeze that).
  const due = { push: true, pull: true, audit: true, nextPullAt: 0, pollAt: 0 };
  const pace = applyPace(opts.pullApplyMs);
  // The local audit head central last heard of; after a refusal the stream waits for the next poll.
  const audit = { reported: undefined as { seq: number } | undefined, retryAt: 0 };
  // LISTEN is in place on `listener` (off in a stream); NOTIFYs since the last pull that found one pending.
  const notify = { listening: false, redundant: 0 };
  // Central refused this installation's sends (WD002): the refusal while it stands, and when to try again.
  // Pulls go on meanwhile (docs/decisions.md "A counter refused as another installation keeps receiving").
  const held = { refusal: undefined as unknown, retryAt: 0, clock: false };

  function signal(): void {
    wakeWaiter?.();
  }
  /** A local write: pushed at once, whatever the pull gap. */
  function wantPush(): void {
    due.push = true;
    due.audit = true;
    signal();
  }
  /** Central changed (NOTIFY): pulled at once when idle, else when the gap after the last pull ends. */
  function wantPull(): void {
    due.pull = true;
    signal();
  }
  function wake(): void {
    due.push = true;
    due.pull = true;
    due.audit = true;
    signal();
  }
  /**
   * Central's answer changed (an admin took the identity over): the wait after a failure ends
   * too, so the outbox leaves now rather than after a backoff of up to maxBackoffMs.
   */
  function retryNow(): void {
    held.retryAt = 0;
    wake();
    stopWaiter?.();
  }

  /**
   * Local writes (a retention purge too) wake the pusher at once. The engine's own writes do not: its bulk applies
   * (json_each) and its state rows. A kick is never dropped otherwise, not even while a pull
   * is being applied, or a write made meanwhile would wait for the next poll.
   */
  const onQuery = (_response: unknown, query: { sql?: string }) => {
    if (stopped || typeof query?.sql !== 'string') return;
    if (/^\s*(insert|update|delete)/i.test(query.sql) && !/\bsync_(outbox|state|guard)\b|json_each\(/.test(query.sql)) wantPush();
  };

  /** Once per start, before any request is served: identity, capture on, triggers current. */
  async function prepare(): Promise<void> {
    await db.transaction(async (tx) => {
      const state = await readSyncState(tx);
      clientId = state.client_id ?? randomUUID();
      if (!state.client_id || state.kiosk_id !== deps.kioskId) await writeSyncState(tx, { client_id: clientId, kiosk_id: deps.kioskId });
      await installSyncTriggers(tx);
      await enableCapture(tx);
    });
  }

  /**
   * Central's code keys into the SecretStore. First on every connection, before anything is
   * registered, pushed or pulled: a counter whose WEBDESK_SECRET is not the deployment's writes
   * nothing at central and takes nothing from it.
   */
  async function takeCodeKeys(client: pg.ClientBase): Promise<void> {
    const { rows } = await client.query<DeploymentKey>('SELECT id, secret, current FROM sync_code_keys()');
    const line = deps.keys.accept(rows, nowIso());
    if (line) throw new CodeKeyMismatchError(line);
    await setDeploymentKeyIds(db, deps.keys.deploymentKeyIds());
  }

  async function connect(): Promise<pg.Client> {
    if (listener) return listener;
    const client = await connectCentral(deps.centralUrl, 'listen', deps.kioskId, instanceSetting(deps.instance));
    try {
      await takeCodeKeys(client);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    const lost = () => {
      if (listener === client) {
        listener = undefined;
        wake();
      }
    };
    client.on('end', lost);
    client.on('error', lost);
    client.on('notification', () => {
      if (due.pull) notify.redundant += 1;
      wantPull();
    });
    try {
      await client.query('LISTEN webdesk_changes');
      // The highest number central holds for this client id: a store restored from an older
      // backup numbers below it, and its outbox is moved above it before anything is sent.
      // Central's clock on the same round trip: codes and attempt counts carry this counter's
      // time to the others, so a clock hours off is named on 同期 (the midpoint of the trip is
      // compared: the wait for the answer is not counted as skew).
      const sentMs = clock.nowMs();
      const { rows } = await client.query<{ last: string; at: number }>(
        'SELECT sync_register($1::uuid, $2) AS last, extract(epoch FROM clock_timestamp()) * 1000 AS at',
        [clientId, deps.kioskId],
      );
      centralSeq = Number(rows[0]!.last);
      clockAheadMs = aheadOfCentral(sentMs, Number(rows[0]!.at));
      // Before any audit row goes: central then holds the public key every marker of this chain is checked with.
      for (const key of deps.markers?.publicKeys() ?? []) await client.query('SELECT audit_marker_key_register($1::uuid, $2, $3)', [clientId, key.id, key.publicKey]);
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    listener = client;
    notify.listening = true;
    notify.redundant = 0;
    // Whatever was committed while no LISTEN was in place sent its NOTIFY to nobody.
    due.push = true;
    due.pull = true;
    return client;
  }

  const aheadOfCentral = (sentMs: number, centralMs: number) => Math.round((sentMs + clock.nowMs()) / 2 - centralMs);

  /**
   * False while this counter's clock is more than PUSH_CLOCK_BEHIND_MS behind central's: the
   * state names why (CLOCK_BEHIND) and the outbox waits; pulls and the audit stream go on.
   * Measured again each time while held, so a clock set right lets the outbox go without a
   * reconnect.
   */
  async function clockLetsPush(central: pg.ClientBase): Promise<boolean> {
    if (clockAheadMs === null || clockAheadMs >= -PUSH_CLOCK_BEHIND_MS) return true;
    const sentMs = clock.nowMs();
    const { rows } = await central.query<{ at: number }>('SELECT extract(epoch FROM clock_timestamp()) * 1000 AS at');
    clockAheadMs = aheadOfCentral(sentMs, Number(rows[0]!.at));
    if (clockAheadMs >= -PUSH_CLOCK_BEHIND_MS) return true;
    held.clock = true;
    await markOffline(new ClockBehindError(-clockAheadMs));
    return false;
  }

  /** The outbox to central, unless the clock holds it (clockLetsPush) or central refused this installation (send). */
  async function pushIfDue(central: pg.ClientBase): Promise<void> {
    due.push = false;
    if (!(await clockLetsPush(central))) return;
    held.clock = false;
    await send(() => pushAll());
  }

  function pool(): pg.Pool {
    if (!pushPool) {
      pushPool = new pg.Pool({ ...centralClientConfig(deps.centralUrl, 'push', deps.kioskId), ...instanceSetting(deps.instance), max: 1, idleTimeoutMillis: 1_000 });
      pushPool.on('error', () => undefined);
    }
    return pushPool;
  }

  /**
   * A connection borrowed from the pool for one run (push, audit stream), given back broken
   * when the run throws. pg-pool takes its own 'error' listener off a client it lends out: a
   * server that quits mid-run (immediate shutdown: 'Connection terminated unexpectedly') would
   * otherwise be an uncaught exception. The run's query fails with the same error and is retried.
   */
  async function withPooledClient<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool().connect();
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      const result = await run(client);
      client.removeListener('error', ignore);
      client.release();
      return result;
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async function pushAll(onEvent?: (event: string) => void): Promise<number> {
    if ((await outboxStats(db)).depth === 0) return 0;
    return withPooledClient(async (client) => {
      let sent = 0;
      for (;;) {
        const result = await pushBatch(db, client, clientId, opts.pushBatch, nowIso, centralSeq);
        if (!result) break;
        centralSeq = Math.max(centralSeq, result.lastSeq);
        if (result.renumbered > 0) logger.warn({ renumbered: result.renumbered, above: centralSeq }, 'sync push: central had passed this store\'s numbers (a restored or copied store); the outbox was moved above them');
        sent += result.sent;
        onEvent?.(`pushed ${result.sent} up to seq ${result.lastSeq}`);
        logger.debug({ sent: result.sent, lastSeq: result.lastSeq, counts: result.counts }, 'sync push');
        // Central has committed the lock; a notice that fails here is logged, not retried
        // (the push will not answer again), so the notice is at most once.
        if (result.loginLocks.length > 0) await deps.onCentralLoginLocks?.(result.loginLocks).catch((error: unknown) => logger.warn({ err: error }, 'login lock notice not queued'));
        if (stopped) break;
      }
      return sent;
    });
  }

  /**
   * The audit stream, beside the push and on the same borrowed connection: every new local
   * audit row goes to central in seq order, a batch per central transaction (audit-streamer.ts).
   * A refusal (the chain at central does not continue with the local rows: the log was cut or
   * rewritten here) is kept at central and here, logged, and stops only the audit stream until
   * the next poll; the data sync goes on. A lost connection throws, like a push.
   */
  async function streamAudit(onEvent?: (event: string) => void): Promise<number> {
    if (performance.now() < audit.retryAt) return 0;
    // Decided locally: a write without an audit entry, or a poll, borrows no central connection.
    if (!(await nextAuditBatch(db, 1, audit.reported))) return 0;
    return withPooledClient(async (client) => {
      let sent = 0;
      for (;;) {
        const result = await streamAuditBatch(db, client, clientId, opts.auditBatch, nowIso, audit.reported);
        if (!result) break;
        audit.reported = { seq: (await localAuditHead(db)).seq };
        if (result.refused) {
          // Sent again at the next poll only: the same rows are refused the same way until someone looks.
          logger.error({ refused: result.refused, centralSeq: result.lastSeq }, 'audit stream refused by central');
          onEvent?.(`audit stream refused: ${result.refused}`);
          audit.retryAt = performance.now() + opts.pollMs;
          break;
        }
        sent += result.added;
        if (result.sent > 0) onEvent?.(`audit streamed ${result.sent} up to seq ${result.lastSeq}`);
        if (result.sent < opts.auditBatch || stopped) break;
      }
      return sent;
    });
  }

  /**
   * A push or an audit run, unless central refused this installation within the last poll. A
   * refusal (WD002) holds this counter's sends, not the loop: central's rows still arrive, so
   * a lock set at another counter reaches this one while an admin has not yet taken over. The
   * sends go again at the next poll, or at once after a take-over (`retryNow`).
   */
  async function send(run: () => Promise<number>): Promise<void> {
    if (held.refusal !== undefined && performance.now() < held.retryAt) return;
    try {
      // Something accepted: central takes this installation's rows again.
      if ((await run()) > 0) held.refusal = undefined;
    } catch (error) {
      if (sqlState(error) !== ANOTHER_INSTALLATION) throw error;
      held.retryAt = performance.now() + opts.pollMs;
      held.refusal = error;
      // At most once a poll: the state names the refusal again after a lost line in between.
      await markOffline(error);
    }
  }

  async function pullAll(central: pg.Client): Promise<number> {
    const started = performance.now();
    let total = 0;
    for (;;) {
      const result = await pullBatch(db, central, clientId, opts.pullBatch, nowIso, () => takeCodeKeys(central), pace);
      total += result.entries;
      if (result.refused > 0) logger.warn({ refused: result.refused, because: result.refusedBecause }, 'sync pull: rows refused by the local schema');
      if (result.entries < opts.pullBatch || stopped) break;
      // A customer's call has several statements, each queued behind the next page otherwise.
      await letCallersIn(db);
      // Between two short transactions a waiting customer write has had the store; one made
      // meanwhile leaves now, not after the whole catch-up.
      if (due.push) await pushIfDue(central);
    }
    due.nextPullAt = performance.now() + pullGapMs(performance.now() - started, opts.maxPullGapMs);
    if (total > 0) deps.onPulled?.();
    memory.pulls += 1;
    memory.lastPullAt = nowIso();
    // The persisted time feeds `npm run sync -- --status` from another process; keep writes rare when idle.
    if (total > 0) memory.lastPullPersistedMs = clock.nowMs();
    else if (clock.nowMs() - memory.lastPullPersistedMs > 30_000) {
      memory.lastPullPersistedMs = clock.nowMs();
      await writeSyncState(db, { last_pull_at: memory.lastPullAt });
    }
    return total;
  }

  async function firstSync(central: pg.Client, onPage?: (rows: number, total: number) => void, onEvent?: (event: string) => void): Promise<'done' | 'stopped'> {
    if (memory.firstSyncDone) return 'done';
    const state = await readSyncState(db);
    if (state.first_sync !== 'done') {
      runState = 'first-sync';
      if ((await runFirstSync(db, central, clientId, { pageSize: opts.pageSize, nowIso, shouldStop: () => stopped, onPage, onEvent, pace: applyPace(opts.pullApplyMs) })) === 'stopped') return 'stopped';
    }
    memory.firstSyncDone = true;
    return 'done';
  }

  async function markOnline(): Promise<void> {
    // Once online, nothing to store until the next failure (markOffline leaves `online` first).
    if (runState === 'online') return;
    // Stored first, so whoever sees `online` also sees offline_since cleared.
    const state = await readSyncState(db);
    if (state.offline_since || state.last_error) await writeSyncState(db, { offline_since: null, last_error: null, last_error_code: null });
    logger.info({ kioskId: deps.kioskId }, 'sync online');
    runState = 'online';
  }

  async function markOffline(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const next = error instanceof CodeKeyMismatchError ? 'refused' : 'offline';
    // The mismatch line itself is logged (at error level) by code-keys.ts.
    if (runState !== next && next === 'offline') logger.warn({ err: message }, 'sync offline');
    try {
      const state = await readSyncState(db);
      const code = error instanceof CodeKeyMismatchError ? 'CODE_KEY_MISMATCH' : probeError(error).code;
      await writeSyncState(db, { offline_since: state.offline_since ?? nowIso(), last_error: message.slice(0, 300), last_error_code: code });
    } catch {
      // The store is closing; the status is in memory anyway.
    }
    // After the store has the reason: whoever sees the state also sees why.
    runState = next;
  }

  function dropConnections(): void {
    const held = listener;
    listener = undefined;
    held?.end().catch(() => undefined);
  }

  /** The listener and the push pool both, when a pass or the loop ends. */
  async function closeConnections(): Promise<void> {
    dropConnections();
    await pushPool?.end().catch(() => undefined);
    pushPool = undefined;
  }

  function sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (wakeWaiter === done) wakeWaiter = undefined;
        if (stopWaiter === done) stopWaiter = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopWaiter = done;
      if (wakeable) wakeWaiter = done;
    });
  }

  /**
   * Does what is due: push first (a customer's write leaves promptly), then the first sync or
   * the change log, the latter not before the gap after the last pull has passed. Touches the
   * local store only for work that is due: a NOTIFY inside the gap costs nothing here.
   */
  async function step(): Promise<void> {
    const central = await connect();
    const now = performance.now();
    if (now >= due.pollAt) {
      due.pollAt = now + opts.pollMs;
      due.push = true;
      due.pull = true;
      due.audit = true;
    }
    if (due.push) await pushIfDue(central);
    if (due.audit) {
      due.audit = false;
      await send(() => streamAudit());
    }
    if (!memory.firstSyncDone && (await firstSync(central)) === 'stopped') return;
    if (due.pull && performance.now() >= due.nextPullAt) {
      due.pull = false;
      // A stream of changes (see STREAM_NOTIFIES): stop the fan-out to this kiosk, pull on a timer.
      if (notify.listening && notify.redundant >= STREAM_NOTIFIES) {
        await central.query('UNLISTEN webdesk_changes');
        notify.listening = false;
      }
      notify.redundant = 0;
      const pulled = await pullAll(central);
      if (!notify.listening) {
        due.pull = true;
        if (pulled > 0) due.nextPullAt = Math.max(due.nextPullAt, performance.now() + opts.streamPullMs);
        else {
          // The stream has ended: listen again, and pull once more now (commits since this pull notified nobody).
          await central.query('LISTEN webdesk_changes');
          notify.listening = true;
          due.nextPullAt = 0;
        }
      }
    }
    // Refused or held by the clock, the state stays as markOffline left it (WD002, CLOCK_BEHIND named) while the pulls go on.
    if (held.refusal === undefined && !held.clock) await markOnline();
    // The first sync ran meanwhile and named its own state: the store has had the reason since markOffline.
    else runState = 'offline';
  }

  /** Milliseconds until something is due; signals (writes, NOTIFY, kick) end the wait early. */
  function idleMs(): number {
    if (due.push) return 0;
    return Math.max(0, (due.pull ? Math.min(due.pollAt, due.nextPullAt) : due.pollAt) - performance.now());
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      try {
        await step();
        failures = 0;
        const ms = idleMs();
        if (!stopped && ms > 0) await sleep(ms, true);
      } catch (error) {
        if (stopped) break;
        failures += 1;
        dropConnections();
        await markOffline(error);
        await sleep(backoffMs(failures, opts.minBackoffMs, opts.maxBackoffMs), false);
      }
    }
  }

  /** Offline, a first sync copies nothing: no time left to promise from the last rate. */
  const stalledWhileOffline = (progress: FirstSyncProgress): FirstSyncProgress =>
    (runState === 'offline' || runState === 'refused') && progress.state !== 'done' ? { ...progress, secondsLeft: null } : progress;

  async function status(): Promise<SyncStatus> {
    const [state, outbox, head] = await Promise.all([readSyncState(db), outboxStats(db), localAuditHead(db)]);
    const lastPull = [state.last_pull_at, memory.lastPullAt].filter((v): v is string => v !== null).sort().pop() ?? null;
    return {
      mode: 'synced',
      state: runState,
      kioskId: deps.kioskId,
      clientId: state.client_id ?? clientId,
      offlineSince: state.offline_since,
      lastError: state.last_error,
      lastErrorCode: state.last_error ? state.last_error_code : null,
      outboxDepth: outbox.depth,
      oldestPendingAt: outbox.oldestAt,
      lastPushAt: state.last_push_at,
      lastPullAt: lastPull,
      pushedTotal: state.pushed_total,
      pulledTotal: state.pulled_total,
      firstSync: stalledWhileOffline(firstSyncProgress(state)),
      refresh: state.refresh_table ? { table: state.refresh_table, rows: state.refresh_rows, startedAt: state.refresh_started_at } : null,
      auditStream: { localSeq: head.seq, streamedSeq: state.audit_streamed_seq, streamedAt: state.audit_streamed_at, error: state.audit_stream_error },
      clockAheadMs,
      codeKey: deps.keys.status(),
    };
  }

  /** The held connection when online, or a short-lived one (CLI, staff call while reconnecting). */
  async function withCentral<T>(work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
    if (listener) return work(listener);
    const client = await connectCentral(deps.centralUrl, 'staff', deps.kioskId, instanceSetting(deps.instance));
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** A code typed here, decided at central before the customer hears the answer (code-claims.ts, central 0018). */
  function claimCode(claim: CodeClaim): Promise<CodeClaimAnswer | undefined> {
    return claimAt((central, id) => claimAtCentral(central, id, claim));
  }

  /** A password typed here, decided at central as a code is (login-claims.ts, central 0019). */
  function claimLogin(claim: LoginClaim): Promise<LoginClaimAnswer | undefined> {
    return claimAt((central, id) => claimLoginAtCentral(central, id, claim));
  }

  /** マイページ's e-mail change code typed here, decided at central (email-change-claims.ts, central 0020). */
  function claimEmailChange(claim: EmailChangeClaim): Promise<EmailChangeClaimAnswer | undefined> {
    return claimAt((central, id) => claimEmailChangeAtCentral(central, id, claim));
  }

  /** A reset request sent here, through the request caps at central (request-claims.ts, central 0021). */
  function claimRequest(claim: RequestClaim): Promise<RequestClaimAnswer | undefined> {
    return claimAt((central, id) => claimRequestAtCentral(central, id, claim));
  }

  /**
   * A code, a password or a request's caps, decided at central on the held connection before the
   * customer hears the answer (code-claims.ts, login-claims.ts,
   * email-change-claims.ts, request-claims.ts). Only while online: offline, in
   * the first sync or held by the clock, the counter decides alone (the documented offline window), as it does when the line fails
   * here; a line that failed wakes the loop to reconnect. A refused installation is answered
   * without asking, as central would answer it.
   */
  async function claimAt<T>(ask: (central: pg.ClientBase, clientId: string) => Promise<T>): Promise<T | { outcome: 'refused' } | undefined> {
    if (held.refusal !== undefined && sqlState(held.refusal) === ANOTHER_INSTALLATION) return { outcome: 'refused' };
    const central = listener;
    if (runState !== 'online' || !central || !clientId) return undefined;
    try {
      return await ask(central, clientId);
    } catch (error) {
      if (sqlState(error) === ANOTHER_INSTALLATION) {
        // Known from now on, as a refused push makes it known: the next claim is refused without asking.
        held.retryAt = performance.now() + opts.pollMs;
        held.refusal = error;
        await markOffline(error);
        return { outcome: 'refused' };
      }
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'claim at central failed; decided at this counter');
      wake();
      return undefined;
    }
  }

  return {
    prepare,
    status,
    withCentral,
    claimCode,
    claimLogin,
    claimEmailChange,
    claimRequest,
    /** An entry in this counter's audit log (a staff decision about sync); it streams to central with the rest. */
    audit: (entry: AuditEntry) => db.transaction((tx) => appendAudit(tx, entry, nowIso())),
    kick: wake,
    /**
     * An administrator's decision at this counter (central 0017): pushes under this identity
     * come from this installation from now on, and another copy's are refused. Audited here.
     * The one way to do it: `npm run sync -- --take-over` and the call on 同期の状態 both come here.
     */
    async takeOver(by: string): Promise<'taken-over' | 'already'> {
      if (!deps.instance) throw new Error('this counter names no installation');
      if (!clientId) await prepare();
      const client = await connectCentral(deps.centralUrl, 'take-over', deps.kioskId, instanceSetting(deps.instance));
      let previous: string;
      try {
        previous = (await client.query<{ previous: string }>('SELECT sync_take_over($1::uuid) AS previous', [clientId])).rows[0]!.previous;
      } finally {
        await client.end().catch(() => undefined);
      }
      // Central already had this installation: nothing moved, so no decision to audit.
      if (previous === deps.instance) return 'already';
      // Central's answer has changed whatever happens here: the waiting changes leave now.
      retryNow();
      try {
        await db.transaction((tx) => appendAudit(tx, { actor: by, action: 'sync.identity-taken-over', subject: null, detail: {} }, nowIso()));
      } catch (error) {
        // Not undone at central (the other PC may be the one retired): said as it is, and who did it kept in main.log.
        logger.error({ by, err: error instanceof Error ? error.message : String(error) }, 'sync identity taken over at central; its audit entry could not be written');
        throw new TakeOverNotAuditedError(error);
      }
      return 'taken-over';
    },
    get clientId() {
      return clientId;
    },
    /** Central refuses this installation's sends (WD002, a copy): it checks no code and makes no request (reset-service.ts). */
    get refusedInstallation() {
      return held.refusal !== undefined && sqlState(held.refusal) === ANOTHER_INSTALLATION;
    },
    /** LISTEN is in place: false while a stream of central changes is pulled on the timer (STREAM_NOTIFIES). */
    get listening() {
      return notify.listening;
    },
    /**
     * Passes over central's change log finished since start, whatever they brought. A test
     * that must see what a pull did *not* apply waits for a pass begun after its commit
     * (this count two above the one read after it) instead of sleeping.
     */
    get pulls() {
      return memory.pulls;
    },
    /** Runs beside request handling until stop(); reconnects with backoff by itself. */
    start(): void {
      if (!stopped) return;
      stopped = false;
      runState = 'starting';
      db.on('query-response', onQuery);
      loopDone = loop();
    },
    /**
     * One full pass for the CLI and tests: connect, first sync, push everything, pull
     * everything; throws when central cannot be reached.
     */
    async syncOnce(onEvent?: (event: string) => void): Promise<{ pushed: number; pulled: number; audit: number }> {
      stopped = false;
      try {
        const central = await connect();
        onEvent?.('connected');
        const pushing = await clockLetsPush(central);
        const pushed = pushing ? await pushAll(onEvent) : 0;
        const auditRows = await streamAudit(onEvent);
        await firstSync(central, (rows, total) => onEvent?.(`first sync ${rows}/${total}`), onEvent);
        const pulled = await pullAll(central);
        if (pushing) await markOnline();
        return { pushed, pulled, audit: auditRows };
      } catch (error) {
        await markOffline(error);
        throw error;
      } finally {
        stopped = true;
        await closeConnections();
      }
    },
    /**
     * This store's audit entries to central and nothing else, for a command that ran without
     * the loop because it wrote to central itself (import --central): its entries reach central
     * when it ends, with no pull of what it wrote. Throws when central cannot take them.
     */
    async streamAuditOnce(): Promise<number> {
      if (!(await nextAuditBatch(db, 1, audit.reported))) return 0;
      stopped = false;
      try {
        await connect();
        return await streamAudit();
      } finally {
        stopped = true;
        await closeConnections();
      }
    },
    async stop(): Promise<void> {
      if (stopped && !loopDone) return;
      stopped = true;
      db.off('query-response', onQuery);
      stopWaiter?.();
      wakeWaiter?.();
      await loopDone;
      loopDone = undefined;
      runState = 'stopped';
      await closeConnections();
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;
