// 同期's conflict list under the one staff masking rule (domain/staff-masking.ts): every staff
// role sees JSA-IDs and addresses masked there, as on account detail; a supervisor still
// resolves from it (which fields differ, which side to keep).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../src-main/app/create-app';
import type { StaffRole } from '../../../src-main/contract/roles';
import { kiosk, loginTestStaff } from '../support/test-app';
import { startCentral, type Central } from '../support/sync-central';
import { startKiosk, waitOnline } from '../support/sync-kiosk';
import { makeTempDir, type TempDir } from '../../support/temp-dir';

const ACCOUNT = '0190a000-0000-7000-8000-00000000d001';
const row = (email: string) => ({ id: ACCOUNT, jsa_id: '33333333333', email, email_norm: email, contact_name: '鈴木 一郎', phone: '09012345678', password_hash: '$scrypt$x', version: 2 });
// Everything that must not reach a staff screen in full.
const secrets = ['33333333333', 'suzuki@example.co.jp', 'ichiro@other.example.jp', 'reply@example.jp', 'taken@example.jp', '44444444444', '$scrypt$x'];

describe('the conflict list for each staff role', () => {
  let central: Central;
  let dir: TempDir;
  let app: App;

  beforeAll(async () => {
    central = await startCentral();
    dir = await makeTempDir('webdesk-sync-mask-');
    app = await startKiosk({ dataDir: dir.path, kioskId: 'kiosk-a', centralUrl: await central.kioskUrl('kiosk_a') });
    await waitOnline(app);
    await central.query(
      `INSERT INTO sync_conflicts (table_name, row_key, kiosk_id, kind, fields, central_row, kiosk_row, base_row, detail) VALUES
       ('accounts', $1, 'kiosk-b', 'edit', '{email,email_norm}', $2, $3, $4, NULL),
       ('inquiries', 'inq-1', 'kiosk-b', 'insert-exists', NULL, NULL, $5, NULL, NULL),
       ('accounts', 'acc-2', 'kiosk-b', 'error', NULL, NULL, NULL, NULL, '23505: duplicate key value violates unique constraint "accounts_email_norm" Key (email_norm)=(taken@example.jp), jsa_id 44444444444')`,
      [
        ACCOUNT,
        JSON.stringify(row('suzuki@example.co.jp')),
        JSON.stringify(row('ichiro@other.example.jp')),
        JSON.stringify({ ...row('suzuki@example.co.jp'), version: 1 }),
        JSON.stringify({ id: 'inq-1', reply_email: 'reply@example.jp', data_json: JSON.stringify({ email: 'reply@example.jp', jsaId: '33333333333', phone: '03-1234-5678' }) }),
      ],
    );
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
    await central?.stop();
  });

  it.each<StaffRole>(['agent', 'supervisor', 'admin'])('shows %s JSA-IDs and addresses masked, secrets hidden, other fields as they are', async (role) => {
    const staff = kiosk(app);
    await loginTestStaff(app, staff.session, `s-${role}`, role);
    const { conflicts } = await staff.ok('sync.conflicts', { open: true, limit: 50 });
    expect(conflicts).toHaveLength(3);
    const text = JSON.stringify(conflicts);
    for (const s of secrets) expect(text, `${s} for ${role}`).not.toContain(s);

    const edit = conflicts.find((c) => c.kind === 'edit')!;
    expect(edit.fields).toEqual(['email', 'email_norm']);
    expect(edit.central).toMatchObject({ jsa_id: '•••••••3333', email: 's•••••@example.co.jp', contact_name: '鈴木 一郎', phone: '09012345678', password_hash: '[hidden]' });
    expect(edit.kiosk).toMatchObject({ email: 'i•••••@other.example.jp' });
    const inquiry = conflicts.find((c) => c.kind === 'insert-exists')!;
    expect(JSON.parse(String(inquiry.kiosk!.data_json))).toEqual({ email: 'r••••@example.jp', jsaId: '•••••••3333', phone: '03-1234-5678' });
    expect(conflicts.find((c) => c.kind === 'error')!.detail).toContain('(t••••@example.jp), jsa_id •••••••4444');
  });

  it('lets a supervisor resolve from the masked list, and not an agent', async () => {
    const agent = kiosk(app);
    await loginTestStaff(app, agent.session, 's-agent', 'agent');
    const supervisor = kiosk(app);
    await loginTestStaff(app, supervisor.session, 's-supervisor', 'supervisor');
    const { conflicts } = await supervisor.ok('sync.conflicts', { open: true, limit: 50 });
    const edit = conflicts.find((c) => c.kind === 'edit')!;
    expect((await agent.call('sync.resolveConflict', { id: edit.id, keep: 'central' })).ok).toBe(false);
    expect(await supervisor.ok('sync.resolveConflict', { id: edit.id, keep: 'central' })).toEqual({ result: 'resolved' });
  });
});
