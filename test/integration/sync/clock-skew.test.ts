// A counter whose clock is hours off central's: its codes and attempt counts carry its time to
// the other counters, so 同期 must be able to name it. The offset is measured on connect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { CLOCK_SKEW_MS } from '../../../src-main/contract/clock-skew';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const HOUR_MS = 3_600_000;

describe('clocks that differ from central', () => {
  let central: Central;
  const running: Array<{ app: App; dir: TempDir }> = [];

  beforeAll(async () => {
    central = await startCentral();
  });
  afterAll(async () => {
    for (const r of running) {
      await r.app.close();
      await r.dir.remove();
    }
    await central?.stop();
  });

  const kioskAhead = async (kioskId: string, aheadMs: number): Promise<App> => {
    const dir = await makeTempDir('webdesk-skew-');
    const app = await startKiosk({ dataDir: dir.path, kioskId, centralUrl: await central.kioskUrl(kioskId.replace('-', '_')), clock: { nowMs: () => Date.now() + aheadMs } });
    running.push({ app, dir });
    await waitOnline(app);
    return app;
  };

  it('measures a clock three hours ahead, and one in step as within the allowed skew', async () => {
    const ahead = await kioskAhead('kiosk-ahead', 3 * HOUR_MS);
    const inStep = await kioskAhead('kiosk-step', 0);
    const measured = (app: App) => app.sync!.status().then((s) => s.clockAheadMs!);
    expect(Math.abs((await measured(ahead)) - 3 * HOUR_MS)).toBeLessThan(60_000);
    expect(Math.abs(await measured(inStep))).toBeLessThan(CLOCK_SKEW_MS);
  });
});
