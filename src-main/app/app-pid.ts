import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** DATA_DIR/app.pid while an app (any entry) has the store open; `restore` refuses then. */
export const pidFile = (dataDir: string) => join(dataDir, 'app.pid');

/**
 * Which process run a pid names, beyond the number: on Linux the boot and the start time in
 * clock ticks since boot (/proc/<pid>/stat field 22). After a reboot, or once pids wrap, the
 * number alone names another process, and a stale app.pid blocked start-up for ever.
 * Elsewhere undefined: only liveness is known (Electron has its own single-instance lock).
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and ')': fields are counted after its last ')'.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return start ? `${boot}:${start}` : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of another live process that holds the store open (DATA_DIR/app.pid), else undefined. */
export function runningApp(dataDir: string): number | undefined {
  return readRunningApp(dataDir)?.pid;
}

/**
 * runningApp, and whether it is surely the counter: the file names its start and the live
 * process started then. `restore --force` passes a stale file, never a counter known to run.
 */
export function readRunningApp(dataDir: string): { pid: number; certain: boolean } | undefined {
  const file = pidFile(dataDir);
  if (!existsSync(file)) return undefined;
  const [first = '', recorded] = readFileSync(file, 'utf8').split('\n').map((line) => line.trim());
  const pid = Number(first);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  // Alive, but started at another time than the counter that wrote the file: a reused pid.
  const now = recorded ? processStart(pid) : undefined;
  if (now !== undefined && now !== recorded) return undefined;
  return { pid, certain: now !== undefined };
}

/** Writes this process into app.pid (with its start, where known) unless another live one holds it. */
export function claimPidFile(dataDir: string): void {
  if (runningApp(dataDir) !== undefined) return;
  const start = processStart(process.pid);
  writeFileSync(pidFile(dataDir), `${process.pid}\n${start ? `${start}\n` : ''}`, { mode: 0o600 });
}

/** Removes app.pid at close when it is this process's own. */
export function releasePidFile(dataDir: string): void {
  const file = pidFile(dataDir);
  if (existsSync(file) && readFileSync(file, 'utf8').split('\n')[0]?.trim() === String(process.pid)) rmSync(file, { force: true });
}
