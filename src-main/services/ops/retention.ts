import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appendAudit } from '../../store/audit-repo';
import { markerVerifier, type MarkerKeys } from '../audit-marker-keys';
import type { Db } from '../../store/database';
import { captureEnabled, readSyncState } from '../../store/sync-state-repo';
import {
  dropSentMailSecrets,
  auditSeqAgedPast,
  purgeAttemptRecords,
  purgeAuditBefore,
  purgeMail,
  purgeResetRequests,
} from '../../store/retention-repo';
import { AppError } from '../../contract/errors';
import { iso, stampedAhead, type Clock } from '../clock';
import type { Logger } from '../logger';
import type { SecretBox } from '../secret-box';
import type { SettingsService } from '../settings-service';
import { defaultRotation } from '../log-rotation';
import { CLOCK_GAP_MS, RETENTION_PURGED_ACTION, judgeClock, stampedBy } from './clock-trust';

export interface PurgeReport {
  at: string;
  resetRequests: number;
  attemptRecords: number;
  mailSecrets: number;
  mail: number;
  maildropFiles: number;
  auditEntries: number;
}

const DAY_MS = 86_400_000;
/** The code and link in a sent mail are dead after a day (codes live 30 min, staff codes 24 h). */
const MAIL_SECRET_DAYS = 1;

/**
 * Signs audit purge markers with this counter's own Ed25519 marker key and checks them against
 * its public halves (services/audit-marker-keys.ts); markers from before marker keys (an HMAC
 * under a code key) are still checked under the code keys held (`legacy`).
 */
export function auditMarkerSigner(markers: Pick<MarkerKeys, 'sign' | 'publicKeys'>, legacy?: () => Array<{ box: SecretBox }>) {
  return { sign: markers.sign, valid: markerVerifier(markers.publicKeys, legacy) };
}

/**
 * APPI (個人情報保護法 Art. 22: delete personal data once it is no longer needed): reset
 * requests, attempt records, mail and the maildrop go after `retentionDays`; audit entries
 * after `auditRetentionDays`, leaving a signed marker so the chain still verifies. Accounts
 * are the registry itself and are not purged here; inquiries belong to the forms' retention.
 */
export function createRetention(deps: { db: Db; clock: Clock; markers: MarkerKeys; legacyKeys: () => Array<{ box: SecretBox }>; settings: SettingsService; maildropDir: string; logger: Logger }) {
  const { db, clock, settings, logger } = deps;
  const signer = auditMarkerSigner(deps.markers, deps.legacyKeys);

  function purgeMaildrop(beforeMs: number): number {
    if (!existsSync(deps.maildropDir)) return 0;
    let removed = 0;
    for (const name of readdirSync(deps.maildropDir)) {
      if (!name.endsWith('.eml')) continue;
      const file = join(deps.maildropDir, name);
      if (statSync(file).mtimeMs < beforeMs) {
        rmSync(file, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  async function purge(actor: string, note: { clockOverride?: true } = {}): Promise<PurgeReport> {
    const s = await settings.get();
    const nowMs = clock.nowMs();
    const before = nowMs - s.retentionDays * DAY_MS;
    const beforeIso = iso(before);
    const auditBeforeIso = iso(nowMs - s.auditRetentionDays * DAY_MS);
    const report = await db.transaction(async (tx) => {
      const counts = {
        resetRequests: await purgeResetRequests(tx, beforeIso),
        attemptRecords: await purgeAttemptRecords(tx, before, beforeIso),
        mailSecrets: await dropSentMailSecrets(tx, iso(nowMs - MAIL_SECRET_DAYS * DAY_MS)),
        mail: await purgeMail(tx, beforeIso),
      };
      const streamed = (await captureEnabled(tx)) ? (await readSyncState(tx)).audit_streamed_seq : undefined;
      const aged = await auditSeqAgedPast(tx, { nowMs, ageMs: s.auditRetentionDays * DAY_MS, stepCapMs: CLOCK_GAP_MS });
      const marker = await purgeAuditBefore(tx, auditBeforeIso, iso(nowMs), signer.sign, streamed, aged);
      const result: PurgeReport = { at: iso(nowMs), ...counts, maildropFiles: 0, auditEntries: marker?.purged ?? 0 };
      return result;
    });
    report.maildropFiles = purgeMaildrop(before);
    await appendAudit(db, { actor, action: RETENTION_PURGED_ACTION, detail: { ...report, retentionDays: s.retentionDays, auditRetentionDays: s.auditRetentionDays, ...note } }, iso(nowMs));
    logger.info({ ...report }, 'retention purge');
    return report;
  }

  /**
   * 「今すぐ削除」: an admin's purge. Under a clock the chores distrust it runs only when the
   * admin was shown the problem and confirmed the clock (`clockChecked`); otherwise (a screen
   * loaded before the clock went wrong, a call without it) CONFLICT `clock-implausible`.
   * Audited with `clockOverride`, so support can see the purge a person let through.
   */
  async function purgeNow(actor: string, clockChecked: boolean): Promise<PurgeReport> {
    if ((await judgeClock(db, clock.nowMs())).plausible) return purge(actor);
    if (!clockChecked) throw new AppError('CONFLICT', { params: { reason: 'clock-implausible' } });
    return purge(actor, { clockOverride: true });
  }

  /** The last purge; given a time, the last one done by then (one stamped later was made under a wrong clock). */
  async function lastPurge(byMs?: number): Promise<PurgeReport | null> {
    const query = db('audit_log').where('action', RETENTION_PURGED_ACTION);
    if (byMs !== undefined) query.andWhere('at', '<=', iso(stampedBy(byMs)));
    const row = (await query.orderBy('seq', 'desc').first('detail_json')) as { detail_json: string } | undefined;
    if (!row) return null;
    const d = JSON.parse(row.detail_json) as PurgeReport;
    return {
      at: d.at,
      resetRequests: d.resetRequests,
      attemptRecords: d.attemptRecords,
      mailSecrets: d.mailSecrets,
      mail: d.mail,
      maildropFiles: d.maildropFiles,
      auditEntries: d.auditEntries,
    };
  }

  /** What is kept and for how long, for the settings screen. */
  async function policy() {
    const s = await settings.get();
    return [
      { what: 'resetRequests' as const, keptDays: s.retentionDays, keptCount: null },
      { what: 'attemptRecords' as const, keptDays: s.retentionDays, keptCount: null },
      { what: 'mailSecrets' as const, keptDays: MAIL_SECRET_DAYS, keptCount: null },
      { what: 'mail' as const, keptDays: s.retentionDays, keptCount: null },
      { what: 'maildropFiles' as const, keptDays: s.retentionDays, keptCount: null },
      { what: 'auditLog' as const, keptDays: s.auditRetentionDays, keptCount: null },
      { what: 'logs' as const, keptDays: defaultRotation.keepDays, keptCount: defaultRotation.keepFiles },
      { what: 'backups' as const, keptDays: null, keptCount: s.backupKeep },
    ];
  }

  return { purge, purgeNow, lastPurge, stampedAhead: (at: string) => stampedAhead(at, clock.nowMs()), clockVerdict: (nowMs: number) => judgeClock(db, nowMs), policy, markerValid: signer.valid };
}

export type Retention = ReturnType<typeof createRetention>;
