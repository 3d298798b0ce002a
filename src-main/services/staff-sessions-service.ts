import { AppError } from '../contract/errors';
import { appendAudit } from '../store/audit-repo';
import type { Db } from '../store/database';
import { findStaffById } from '../store/staff-repo';
import { iso, type Clock } from './clock';
import { sessionTimeouts, type SessionRegistry } from './sessions';
import type { SettingsService } from './settings-service';

/**
 * ASVS 5.0 V7.4.5 for staff users: an admin lists a user's logins and ends one or all. Only
 * the session's handle (`ref`) leaves the main process, never its token. Ending is audited
 * with the count, so the audit log says who ended whose logins; the user's next call finds no
 * login and the staff screen asks for it again.
 */
export function createStaffSessionsService(deps: { db: Db; clock: Clock; settings: SettingsService; sessions: SessionRegistry }) {
  const { db, clock, settings, sessions } = deps;

  async function user(staffId: string) {
    const row = await findStaffById(db, staffId);
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  return {
    async list(staffId: string, callerRef: string) {
      await user(staffId);
      const views = sessions.staffSessions(staffId, sessionTimeouts(await settings.get()));
      return { sessions: views.map((v) => ({ ref: v.ref, loggedInAt: iso(v.loggedInMs), lastSeenAt: iso(v.seenMs), current: v.ref === callerRef })) };
    },

    async end(actor: string, staffId: string, ref?: string) {
      const row = await user(staffId);
      const ended = sessions.endStaffSessions(staffId, ref);
      // Two admins pressing ログインを終了 at once: the first ended the logins; the others ended
      // none and record nothing (20 presses wrote 20 entries for one event).
      if (ended === 0) return { ended };
      await appendAudit(db, { actor, action: 'staff.sessions-ended', subject: `staff:${staffId}`, detail: { username: row.username, ended, all: ref === undefined } }, iso(clock.nowMs()));
      return { ended };
    },
  };
}
