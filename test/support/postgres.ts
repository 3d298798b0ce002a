// A throwaway PostgreSQL server for integration tests (DESIGN.md §8): Debian's binaries,
// initdb in a temp folder, loopback only, a port claimed for it (port-claims.ts), removed
// again by stop().
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimPort, portsBelowEphemeral, type PortClaim } from './port-claims';

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

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** What postmaster.pid says: our own child has every socket open and accepts sessions. */
function readyAs(dir: string, pid: number | undefined): boolean {
  try {
    const lines = readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n');
    return Number(lines[0]) === pid && lines[7]?.trim() === 'ready';
  } catch {
    return false;
  }
}

const BIND_FAILED = /could not bind|could not create any TCP\/IP sockets|Address already in use/;

export interface PostgresStartOptions {
  /** The ports to try, in order (a test of the harness); by default those below the ephemeral range. */
  ports?: Iterable<number>;
}

/** `options`: extra server flags, e.g. ['-c', 'max_connections=500'] for a fleet bench. */
export async function startPostgres(options: string[] = [], start: PostgresStartOptions = {}): Promise<PostgresServer> {
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

  let claim: PortClaim | undefined;
  let log = '';
  // The postmaster stays our child (not pg_ctl's daemon) so a crashed run can still end it;
  // halt() sends the signals pg_ctl's modes send: SIGINT = fast, SIGQUIT = immediate.
  let child: ChildProcess | undefined;
  const launch = (port: number): void => {
    log = '';
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
    child?.kill('SIGQUIT');
    claim?.release();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const shutDown = async (signal: 'SIGINT' | 'SIGQUIT'): Promise<void> => {
    if (!child) return;
    const running = child;
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited(running);
    clearTimeout(timer);
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      process.removeListener('exit', onExit);
      // SIGINT = fast shutdown: ends open sessions (a leaked pool must not hang the run).
      await shutDown('SIGINT');
      claim?.release();
      rmSync(dir, { recursive: true, force: true });
    })());

  // Bounded wait for the server's own word (postmaster.pid), never a connection to the port:
  // a server that lost the port would find another one answering there.
  const waitReady = async (): Promise<'ready' | 'port-taken'> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const running = child!;
      // Several listen addresses: the server runs when one of them binds; each must have.
      if (readyAs(dir, running.pid)) {
        if (!BIND_FAILED.test(log)) return 'ready';
        await shutDown('SIGQUIT');
        return 'port-taken';
      }
      if (running.exitCode !== null || running.signalCode !== null) {
        if (BIND_FAILED.test(log)) return 'port-taken';
        throw new Error(`PostgreSQL did not start on port ${claim!.port}:\n${log}`);
      }
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not start on port ${claim!.port} within 20 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  try {
    const ports = start.ports ?? portsBelowEphemeral();
    const tried: number[] = [];
    for (;;) {
      // A port another test process holds is passed over; one a foreign server holds, bound and given up.
      claim = claimPort([...ports].filter((p) => !tried.includes(p)));
      tried.push(claim.port);
      launch(claim.port);
      if ((await waitReady()) === 'ready') break;
      claim.release();
      if (tried.length >= 20) throw new Error(`PostgreSQL found 20 ports taken, the last ${claim.port}:\n${log}`);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const port = claim.port;

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
      if (child!.exitCode === null && child!.signalCode === null) return;
      // The claim was kept while halted: no other test process took the port meanwhile.
      launch(port);
      if ((await waitReady()) === 'port-taken') throw new Error(`PostgreSQL could not bind its port ${port} again: a server outside the tests took it while halted`);
    },
  };
}
