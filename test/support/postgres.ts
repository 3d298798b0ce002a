// A throwaway PostgreSQL server for integration tests (DESIGN.md §8): Debian's binaries,
// initdb in a temp folder, loopback only, a free port, removed again by stop().
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './net';

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres — trust auth, no password. */
  url: string;
  port: number;
  /** Fast shutdown, then the data folder is deleted. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Shuts the server down and keeps its data folder, as `pg_ctl stop -m fast|immediate` would:
   * fast ends every session with 57P01 (admin shutdown) and a checkpoint; immediate quits
   * at once (recovery from WAL at the next start). Until start(), connections are refused.
   */
  halt(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts the server again on the same data folder and port; resolves once it accepts sessions. */
  start(): Promise<void>;
}

const INSTALL_HINT =
  'PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin; install them: apt-get install -y postgresql';

/** Newest /usr/lib/postgresql/<major>/bin, or $PG_BIN on machines laid out differently. */
export function findPostgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0] === undefined) throw new Error(INSTALL_HINT);
  return join(base, majors[0], 'bin');
}

// PostgreSQL refuses to run as root. Node's spawn drops to the `postgres` user itself
// (uid/gid), rather than through runuser/su: those wrappers turn our SIGINT (fast shutdown)
// into SIGTERM (smart shutdown, which waits for every client) and SIGKILL two seconds later.
function serverUser(dir: string): SpawnOptions {
  if (process.getuid?.() !== 0) return { cwd: dir };
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('running as root but there is no `postgres` user (apt-get install -y postgresql)');
  chownSync(dir, uid, gid);
  return { uid, gid, cwd: dir, env: { ...process.env, HOME: dir } };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** `options`: extra server flags, e.g. ['-c', 'max_connections=500'] for a fleet bench. */
export async function startPostgres(options: string[] = []): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'webdesk-pg-'));
  const as = serverUser(dir);

  // trust auth on loopback: the cluster lives for one test file and holds no real data.
  // C locale + UTF8: results must not depend on the machine's locale settings.
  const init = spawnSync(
    join(bin, 'initdb'),
    ['-D', dir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'],
    { ...as, encoding: 'utf8' },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (exit ${init.status}): ${init.stderr || init.stdout || init.error}`);
  }

  const port = await freePort();
  let log = '';
  // The postmaster stays our child (not pg_ctl's daemon) so a crashed run can still end it;
  // halt() sends the signals pg_ctl's modes send: SIGINT = fast, SIGQUIT = immediate.
  let child: ChildProcess;
  const launch = (): void => {
    // -F / fsync=off: durability is pointless for a throwaway cluster and costs seconds.
    child = spawn(
      join(bin, 'postgres'),
      ['-D', dir, '-k', dir, '-h', '127.0.0.1', '-p', String(port), '-F', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', ...options],
      { ...as, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (d: Buffer) => {
      log = (log + d.toString()).slice(-4000);
    });
  };

  // A crashed test run must not leave a postmaster behind: SIGQUIT is immediate shutdown.
  const onExit = (): void => {
    child.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const shutDown = async (signal: 'SIGINT' | 'SIGQUIT'): Promise<void> => {
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      process.removeListener('exit', onExit);
      // SIGINT = fast shutdown: ends open sessions (a leaked pool must not hang the run).
      await shutDown('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    })());

  // Bounded wait: the port opens, then pg_isready confirms the server accepts sessions.
  const isReady = join(bin, 'pg_isready');
  const waitReady = async (): Promise<void> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ready =
        (await canConnect(port)) &&
        (!existsSync(isReady) || spawnSync(isReady, ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '2']).status === 0);
      if (ready) return;
      if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`PostgreSQL did not start on port ${port}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  launch();
  await waitReady();

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop,
    async halt(mode) {
      if (stopped) throw new Error('halt() after stop(): the data folder is gone');
      await shutDown(mode === 'fast' ? 'SIGINT' : 'SIGQUIT');
    },
    async start() {
      if (stopped) throw new Error('start() after stop(): the data folder is gone');
      if (child.exitCode === null && child.signalCode === null) return;
      launch();
      await waitReady();
    },
  };
}
