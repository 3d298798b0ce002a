// app.pid after a power cut: the number it names may belong to another live process by now.
// Only a process that started when the counter that wrote the file did may block.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src-main/app/config';
import { pidFile, processStart, runningApp } from '../../../src-main/app/app-pid';
import { backupCommand, restoreCommand } from '../../../src-main/app/store-commands';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { startOpsApp } from './ops-support';

describe.skipIf(process.platform !== 'linux')('app.pid names a process and its start', () => {
  let dir: TempDir;
  let sleeper: ChildProcess;
  beforeEach(async () => {
    dir = await makeTempDir();
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  afterEach(async () => {
    sleeper.kill();
    await dir.remove();
  });

  it('a live unrelated process whose pid a stale app.pid names blocks neither start-up nor restore', async () => {
    const data = join(dir.path, 'data');
    const first = await startOpsApp({ dataDir: data });
    const written = readFileSync(pidFile(data), 'utf8').split('\n');
    expect(written[0]).toBe(String(process.pid));
    expect(written[1]).toBe(processStart(process.pid));
    const backup = join(dir.path, 'b.sqlite3');
    expect(await backupCommand(loadConfig({ WEBDESK_DATA_DIR: data }), [backup])).toBe(0);
    await first.close();

    // The counter's file from before the reboot, its pid now `sleep`'s.
    writeFileSync(pidFile(data), `${sleeper.pid}\n${written[1]}\n`);
    expect(runningApp(data)).toBeUndefined();
    const second = await startOpsApp({ dataDir: data, app: { exclusive: true } });
    expect(readFileSync(pidFile(data), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await second.close();

    writeFileSync(pidFile(data), `${sleeper.pid}\n${written[1]}\n`);
    expect(await restoreCommand(loadConfig({ WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' }), [backup])).toBe(0);
  });

  it('a live process that started as the file says still blocks, as does a file without a start', async () => {
    const data = join(dir.path, 'data');
    await (await startOpsApp({ dataDir: data })).close();
    writeFileSync(pidFile(data), `${sleeper.pid}\n${processStart(sleeper.pid!)}\n`);
    expect(runningApp(data)).toBe(sleeper.pid);
    await expect(startOpsApp({ dataDir: data, app: { exclusive: true } })).rejects.toThrow(`another counter (pid ${sleeper.pid}) is running`);
    // A counter surely running is not passed by --force (it would write into the store moved aside).
    const backup = join(dir.path, 'b.sqlite3');
    writeFileSync(pidFile(data), '');
    expect(await backupCommand(loadConfig({ WEBDESK_DATA_DIR: data }), [backup])).toBe(0);
    writeFileSync(pidFile(data), `${sleeper.pid}\n${processStart(sleeper.pid!)}\n`);
    expect(await restoreCommand(loadConfig({ WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' }), [backup, '--force'])).toBe(1);
    // Written by an older version (the number alone): liveness is all there is to go on.
    writeFileSync(pidFile(data), `${sleeper.pid}\n`);
    expect(runningApp(data)).toBe(sleeper.pid);
    // That file cannot be judged: --force passes it, as before.
    expect(await restoreCommand(loadConfig({ WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' }), [backup])).toBe(1);
    expect(await restoreCommand(loadConfig({ WEBDESK_DATA_DIR: data, WEBDESK_LOG_LEVEL: 'silent' }), [backup, '--force'])).toBe(0);
  });
});
