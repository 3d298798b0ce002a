// 同期の状態 by role: why central cannot be used reaches agents and supervisors as a code the
// screen words through the label table; the driver's own sentence (host and role names, perhaps
// SQL) reaches only an admin, and there without a password.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import { centralFailureKind } from '../../../src-main/contract/central-failures';
import { kiosk, loginTestStaff } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';
import { waitFor } from '../../support/wait';

describe('sync status by role', () => {
  let central: Central;
  let dir: TempDir;
  let app: App;

  beforeAll(async () => {
    central = await startCentral();
    dir = await makeTempDir('webdesk-status-roles-');
    // A role central does not know, with a password in the URL: refused at login (28000), in words that name the role.
    app = await startKiosk({ dataDir: join(dir.path, 'data'), kioskId: 'kiosk-roles', centralUrl: `postgres://kiosk_unknown_role:pw-s3cret-9@127.0.0.1:${central.server.port}/postgres` });
    await waitFor(async () => ((await app.sync!.status()).lastError ? true : undefined), { what: 'the refusal stored' });
  });

  afterAll(async () => {
    await app?.close();
    await central?.stop();
    await dir?.remove();
  });

  const statusAs = async (role: 'agent' | 'supervisor' | 'admin') => {
    const staff = kiosk(app);
    await loginTestStaff(app, staff.session, `status-${role}`, role);
    const status = await staff.ok('sync.status', {});
    if (status.mode !== 'synced') throw new Error('kiosk is standalone');
    return status;
  };

  it('gives agents and supervisors the reason as a code, not the driver’s sentence', async () => {
    for (const role of ['agent', 'supervisor'] as const) {
      const status = await statusAs(role);
      expect(status.state).toBe('offline');
      expect(centralFailureKind(status.lastErrorCode)).toBe('auth');
      expect(status.lastError).toBeNull();
      expect(JSON.stringify(status)).not.toContain('kiosk_unknown_role');
    }
  });

  it('gives an admin the driver’s sentence for support, without the password', async () => {
    const status = await statusAs('admin');
    expect(centralFailureKind(status.lastErrorCode)).toBe('auth');
    expect(status.lastError).toContain('kiosk_unknown_role');
    expect(JSON.stringify(status)).not.toContain('pw-s3cret-9');
  });
});
