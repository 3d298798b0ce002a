// A fixed port for a server that cannot listen on port 0 and say where it is (PostgreSQL: its
// `port` setting is 1–65535, and a restarted server must come back on the same one).
// freePort() hands out a port from the ephemeral range and lets it go: any outgoing connection
// or listen(0) on the machine may take it before the server binds it. So the port comes from
// below the ephemeral range, where the OS never hands one out by itself, and a lock file claims
// it against the other test processes on the machine (workers, other checkouts) until release,
// also while the server is halted. A server outside our tests may still hold it: the caller
// binds, and on "address in use" claims the next one.
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PortClaim {
  port: number;
  /** Removes the lock file. Safe to call twice; synchronous so an 'exit' handler can call it. */
  release(): void;
}

const CLAIMS_DIR = join(tmpdir(), 'webdesk-test-ports');
const LOWEST = 20_000;

/** The first port of the OS's ephemeral range (Linux: /proc; elsewhere IANA's 49152). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 1024 ? low : 49_152;
  } catch {
    return 49_152;
  }
}

/** Every port from 20000 to just below the ephemeral range, from a random start (two runs rarely try the same first). */
export function portsBelowEphemeral(): number[] {
  const high = ephemeralLow();
  const [from, to] = high > LOWEST + 1000 ? [LOWEST, high] : [10_000, 20_000];
  const count = to - from;
  const start = Math.floor(Math.random() * count);
  return Array.from({ length: count }, (_, i) => from + ((start + i) % count));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lock file, or takes over one whose process has ended (a killed run). */
function tryClaim(port: number): boolean {
  const file = join(CLAIMS_DIR, String(port));
  for (let round = 0; round < 2; round += 1) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner: number;
    try {
      owner = Number(readFileSync(file, 'utf8'));
    } catch {
      // Released meanwhile: try again.
      continue;
    }
    // Half-written by a process creating it right now, or held: another port.
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) return false;
    try {
      unlinkSync(file);
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * The first of `ports` no other test process has claimed. A stale lock two processes take over
 * at once is claimed by both: the second server to bind then meets "address in use" and its
 * caller claims another, so the lock never has to be perfect, only the bind.
 */
export function claimPort(ports: Iterable<number>): PortClaim {
  mkdirSync(CLAIMS_DIR, { recursive: true });
  try {
    // Sticky and open to all: other users' test runs claim ports here too.
    chmodSync(CLAIMS_DIR, 0o1777);
  } catch {
    // Another user's folder: it is already so.
  }
  for (const port of ports) {
    if (!tryClaim(port)) continue;
    let held = true;
    return {
      port,
      release() {
        if (!held) return;
        held = false;
        try {
          unlinkSync(join(CLAIMS_DIR, String(port)));
        } catch {
          // Already gone.
        }
      },
    };
  }
  throw new Error(`no port left to claim in ${CLAIMS_DIR}`);
}

/** Whether a connection to 127.0.0.1:port is refused now (nothing listens there). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * A claimed port where nothing listens now, for a test of a peer that is down and then comes
 * back there (smtp-outage: refused while down, bound by the test later). freePort()'s port may
 * be taken in between by any outgoing connection or listen(0); this one is below the ephemeral
 * range and claimed, so it stays unused until the test binds it. Release it in the clean-up.
 */
export async function claimQuietPort(): Promise<PortClaim> {
  const tried = new Set<number>();
  for (let round = 0; round < 20; round += 1) {
    const claim = claimPort(portsBelowEphemeral().filter((p) => !tried.has(p)));
    tried.add(claim.port);
    if (await refused(claim.port)) return claim;
    // A program outside the tests listens there: another port.
    claim.release();
  }
  throw new Error('found no quiet port to claim in 20 tries');
}
