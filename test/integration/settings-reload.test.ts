// `npm run cli -- settings-set` beside a running counter: the counter takes the new value
// without a restart (it kept its cached copy for ever).
import { afterEach, expect, it } from 'vitest';
import { runCli } from '../support/cli-bundle';
import { makeTempDir } from '../support/temp-dir';
import { waitFor } from '../support/wait';
import { createSettingsService } from '../../src-main/services/settings-service';
import { startTestApp } from './support/test-app';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

it('a setting changed from the command line reaches the running counter', async () => {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const app = await startTestApp({ dataDir: dir.path });
  cleanups.push(() => app.close());
  expect((await app.settings.get()).idleTimeoutSeconds).not.toBe(75);

  const cli = await runCli(['settings-set', 'idleTimeoutSeconds', '75'], { WEBDESK_DATA_DIR: dir.path, WEBDESK_LOG_LEVEL: 'silent' });
  expect((await cli.exited).code, cli.output()).toBe(0);
  await waitFor(async () => ((await app.settings.get()).idleTimeoutSeconds === 75 ? true : undefined), { what: 'the counter to read the new idle timeout' });
});

it('a stale copy is read again beside a transaction, never inside it (the store has one connection)', async () => {
  const dir = await makeTempDir();
  cleanups.push(dir.remove);
  const app = await startTestApp({ dataDir: dir.path });
  cleanups.push(() => app.close());
  // Always stale: every get() would read the store.
  const settings = createSettingsService(app.db, app.clock, 0);
  const before = await settings.get();
  const inside = await app.db.transaction(async (tx) => {
    await tx('settings').count({ n: '*' });
    return settings.get();
  });
  expect(inside).toEqual(before);
  await settings.update({ idleTimeoutSeconds: 77 }, 'test');
  await waitFor(async () => ((await settings.get()).idleTimeoutSeconds === 77 ? true : undefined), { what: 'the update to be what get() answers' });
});
