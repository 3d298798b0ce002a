// app.exitKiosk: staff leave the Electron kiosk's full screen through the shell's callback;
// web mode and staff mode answer why not; every request is audited; the public is refused.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { kiosk, loginTestStaff } from '../support/test-app';
import { startOpsApp, staff } from './ops-support';

describe('app.exitKiosk', () => {
  let dir: TempDir;
  let app: App;
  let exits: number;
  beforeEach(async () => {
    dir = await makeTempDir();
    exits = 0;
    app = await startOpsApp({ dataDir: dir.path, env: { WEBDESK_MODE: 'kiosk' }, app: { onExitKiosk: () => (exits += 1) } });
  });
  afterEach(async () => {
    await app.close();
    await dir.remove();
  });

  it('asks the shell to leave kiosk mode for staff over IPC and audits it', async () => {
    expect(await staff(app, 'agent').ok('app.exitKiosk', {})).toEqual({ done: true });
    expect(exits).toBe(1);
    const audit = (await app.db('audit_log').where({ action: 'app.exit-kiosk' }).select('actor', 'detail_json')) as Array<{ actor: string; detail_json: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('staff:test-agent');
  });

  it('answers web-mode over HTTP and not-kiosk in staff mode, without calling the shell', async () => {
    const web = kiosk(app);
    await loginTestStaff(app, web.session, 'test-agent', 'agent');
    expect(await web.ok('app.exitKiosk', {})).toEqual({ done: false, reason: 'web-mode' });
    await app.close();
    app = await startOpsApp({ dataDir: dir.path, env: { WEBDESK_MODE: 'staff' }, app: { onExitKiosk: () => (exits += 1) } });
    expect(await staff(app, 'agent').ok('app.exitKiosk', {})).toEqual({ done: false, reason: 'not-kiosk' });
    expect(exits).toBe(0);
    expect(await app.db('audit_log').where({ action: 'app.exit-kiosk' }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('refuses a caller without a staff login', async () => {
    const result = await kiosk(app).call('app.exitKiosk', {});
    expect(result.ok).toBe(false);
    expect(exits).toBe(0);
  });
});
