// Staff sessions for integration tests: calls go through app.dispatch exactly as a transport
// makes them, with the actor the transports derive from the session.
import { v7 as uuidv7 } from 'uuid';
import type { App } from '../../../src-main/app/create-app';
import type { CallResult } from '../../../src-main/contract/errors';
import type { CallInput, CallName, CallOutput } from '../../../src-main/contract/registry';
import type { StaffRole } from '../../../src-main/contract/roles';
import type { Session } from '../../../src-main/services/sessions';

export const ADMIN_PASSWORD = 'kiri-no-naka-no-tokei-2026';
export const STAFF_PASSWORD = 'madoguchi-no-hikari-2026';

export interface StaffClient {
  session: Session;
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallResult<CallOutput<K>>>;
  ok<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>>;
  /** The error code of a call that must fail. */
  fails<K extends CallName>(name: K, input: CallInput<K>): Promise<string>;
}

export function staffClient(app: App): StaffClient {
  const session = app.sessions.create();
  const actor = () => (session.principal.staff ? `staff:${session.principal.staff.staffId}` : 'kiosk');
  const call = async <K extends CallName>(name: K, input: CallInput<K>) =>
    (await app.dispatch(name, input, { session, transport: 'http', actor: actor() })) as CallResult<CallOutput<K>>;
  return {
    session,
    call,
    async ok(name, input) {
      const result = await call(name, input);
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
    async fails(name, input) {
      const result = await call(name, input);
      if (result.ok) throw new Error(`${name} succeeded but should have failed`);
      return result.error.code;
    },
  };
}

/** The printed first-start admin, logged in and past the forced password change. */
export async function readyAdmin(app: App): Promise<StaffClient> {
  if (!app.firstAdmin) throw new Error('no first-start admin: the store was not fresh');
  const admin = staffClient(app);
  await admin.ok('staff.login', { username: 'admin', password: app.firstAdmin.password });
  await admin.ok('staff.changePassword', { current: app.firstAdmin.password, next: ADMIN_PASSWORD, confirm: ADMIN_PASSWORD });
  return admin;
}

/** A further staff user created by the admin, logged in with a changed password. */
export async function readyStaff(app: App, admin: StaffClient, role: StaffRole, username = `${role}-${uuidv7().slice(-6)}`): Promise<StaffClient> {
  const { oneTimePassword } = await admin.ok('staff.users.create', { username, displayName: `${role} さん`, role });
  const client = staffClient(app);
  await client.ok('staff.login', { username, password: oneTimePassword });
  await client.ok('staff.changePassword', { current: oneTimePassword, next: STAFF_PASSWORD, confirm: STAFF_PASSWORD });
  return client;
}

/** An inquiry row as the kiosk forms (issue 4) write it into 0007_inquiries. */
export async function addInquiry(
  app: App,
  inquiry: { kind: 'jsa_id_unknown' | 'contact_change'; data: Record<string, unknown>; replyEmail: string; locale?: 'ja' | 'en' },
): Promise<string> {
  const id = uuidv7();
  await app.db('inquiries').insert({
    id,
    reference: `Q-${id.slice(-8).toUpperCase()}`,
    kind: inquiry.kind,
    status: 'open',
    data_json: JSON.stringify(inquiry.data),
    reply_email: inquiry.replyEmail,
    locale: inquiry.locale ?? 'ja',
    kiosk_id: 'test-kiosk',
    account_id: null,
    created_at: new Date(app.clock.nowMs()).toISOString(),
    version: 1,
  });
  return id;
}
