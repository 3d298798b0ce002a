import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { currentLocale } from '../i18n/setup';
import { CLOCK_SKEW_MS, centralFailureKind, formatDuration, type CallError, type CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { ConfirmDialog } from './ConfirmDialog';
import { useStaff } from './staff-session';
import { DataTable } from './DataTable';
import { CallAlert, Notice, useLoad, useTimeFormat } from './ui';

type Conflict = CallOutput<'sync.conflicts'>['conflicts'][number];
type AuditStream = CallOutput<'audit.fleet.streams'>['streams'][number];
type FirstSync = Extract<CallOutput<'sync.status'>, { mode: 'synced' }>['firstSync'];
type CodeKey = CallOutput<'sync.status'>['codeKey'];

/** Every few seconds while the screen is open: first-sync progress and offline time move. */
const REFRESH_MS = 3_000;
/** conflicts.ts replaces secrets with this marker before they leave the main process. */
const HIDDEN = '[hidden]';
/** Columns staff know by the lookup screen's labels; others show as the column name. */
const columnLabels = { jsa_id: 'jsaId', email: 'email', contact_name: 'name', company: 'company', department: 'department', address: 'address', phone: 'phone' } as const;

function show(value: unknown, hidden: string, empty: string): string {
  if (value === HIDDEN) return hidden;
  if (value === null || value === undefined || value === '') return empty;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * 同期の状態 (issue 6 §3–4, DESIGN §7 "sync status is visible"): online or offline since when,
 * the outbox, the last push and pull, first-sync progress; then the conflicts with both values
 * side by side, which a supervisor resolves.
 */
export function SyncPage() {
  const { t, i18n } = useTranslation();
  const { call, can } = useStaff();
  const time = useTimeFormat();
  const status = useLoad(() => call('sync.status', {}), []);
  const synced = status.data?.mode === 'synced';
  const conflicts = useLoad(() => (synced ? call('sync.conflicts', { open: true }) : Promise.resolve({ conflicts: [] as Conflict[] })), [synced]);
  const [asking, setAsking] = useState<{ conflict: Conflict; keep: 'central' | 'kiosk' } | undefined>();
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();
  // useLoad's reload is a new function each render but only bumps a counter: keep the first.
  const [reloadStatus] = useState(() => status.reload);
  const [reloadConflicts] = useState(() => conflicts.reload);
  const streams = useLoad(() => (synced ? call('audit.fleet.streams', {}) : Promise.resolve({ streams: [] as AuditStream[] })), [synced]);
  const [reloadStreams] = useState(() => streams.reload);

  useEffect(() => {
    // Conflicts too: one appears when a kiosk that was offline pushes its queue; and the audit streams move.
    const timer = setInterval(() => (reloadStatus(), reloadConflicts(), reloadStreams()), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reloadStatus, reloadConflicts, reloadStreams]);

  const resolve = async () => {
    if (!asking) return;
    const { conflict, keep } = asking;
    setAsking(undefined);
    setNotice('');
    const answer = await run(() => call('sync.resolveConflict', { id: conflict.id, keep }));
    if (answer) {
      setNotice(t(`staff.sync.results.${answer.result}`));
      conflicts.reload();
      status.reload();
    }
  };

  const s = status.data;
  // Central answers but refuses this PC (central 0017): not "offline until the line is back"; it waits for a take-over.
  const anotherInstallation = s?.mode === 'synced' && s.state === 'offline' && centralFailureKind(s.lastErrorCode) === 'identity';
  return (
    <>
      <PageHeading>{t('staff.sync.heading')}</PageHeading>
      <p className="lead">{t('staff.sync.lead')}</p>
      <CallAlert key={attempt} error={status.error ?? conflicts.error ?? error} />
      <Notice>{notice}</Notice>
      {s?.mode === 'standalone' && (
        <section className="staff-section" aria-labelledby="sync-standalone">
          <h2 id="sync-standalone" data-testid="sync-state">
            {t('staff.sync.standalone')}
          </h2>
          <p>{t('staff.sync.standaloneLead')}</p>
        </section>
      )}
      {s && <CodeKeySection codeKey={s.codeKey} />}
      {s?.mode === 'synced' && (
        <>
          <section className="staff-section" aria-labelledby="sync-now">
            <h2 id="sync-now">{t('staff.sync.state')}</h2>
            <p className={`staff-status staff-status--${s.state === 'online' ? 'ok' : s.state === 'offline' || s.state === 'refused' ? 'degraded' : 'busy'}`} data-testid="sync-state">
              {anotherInstallation
                ? t('staff.sync.anotherInstallation', { time: time(s.offlineSince) })
                : `${t(`staff.sync.states.${s.state}`)}${s.state === 'offline' && s.offlineSince ? `：${t('staff.sync.offlineSince', { time: time(s.offlineSince) })}` : ''}`}
            </p>
            {/* Refused, the counter still receives (the sync engine pulls while its sends wait): the last receipt shows it. */}
            {s.state === 'offline' && <p className="guide">{anotherInstallation ? t('staff.sync.anotherInstallationLead', { time: time(s.lastPullAt) }) : t('staff.sync.offlineLead')}</p>}
            {s.clockAheadMs !== null && Math.abs(s.clockAheadMs) > CLOCK_SKEW_MS && (
              <p className="guide" role="alert" data-testid="sync-clock">
                {t(s.clockAheadMs > 0 ? 'staff.sync.clockAhead' : 'staff.sync.clockBehind', { amount: formatDuration(Math.abs(s.clockAheadMs) / 60_000, currentLocale(i18n)) })}
              </p>
            )}
            <dl className="staff-dl" data-testid="sync-figures">
              <dt>{t('staff.sync.kioskId')}</dt>
              <dd>{s.kioskId}</dd>
              <dt>{t('staff.sync.outboxDepth')}</dt>
              <dd data-testid="sync-outbox">{t('staff.sync.outboxValue', { count: s.outboxDepth })}</dd>
              <dt>{t('staff.sync.oldestPending')}</dt>
              <dd>{time(s.oldestPendingAt)}</dd>
              <dt>{t('staff.sync.lastPush')}</dt>
              <dd>{time(s.lastPushAt)}</dd>
              <dt>{t('staff.sync.lastPull')}</dt>
              <dd>{time(s.lastPullAt)}</dd>
              <dt>{t('staff.sync.totalsLabel')}</dt>
              <dd>{t('staff.sync.totals', { pushed: s.pushedTotal, pulled: s.pulledTotal })}</dd>
              {(s.lastErrorCode ?? s.lastError) && (
                <>
                  <dt>{t('staff.sync.lastError')}</dt>
                  <dd>
                    {t(`staff.sync.failure.${centralFailureKind(s.lastErrorCode)}`)}
                    {/* The driver's own words, for support (an admin's only): not the clerk's reading. */}
                    <span className="staff-muted" lang="en">
                      {' '}({s.lastErrorCode ?? '?'}{s.lastError ? `: ${s.lastError}` : ''})
                    </span>
                  </dd>
                </>
              )}
            </dl>
            {centralFailureKind(s.lastErrorCode) === 'identity' && <TakeOver
                kioskId={s.kioskId}
                onTaken={(done) => {
                  setNotice(done);
                  reloadStatus();
                }}
              />}
          </section>
          {s.refresh && (
            <section className="staff-section" aria-labelledby="sync-refresh">
              <h2 id="sync-refresh">{t('staff.sync.refresh')}</h2>
              <p>{t('staff.sync.refreshLead')}</p>
              <p data-testid="refresh-state">{t('staff.sync.refreshRows', { rows: s.refresh.rows.toLocaleString(), table: tableWords(t, s.refresh.table), time: time(s.refresh.startedAt) })}</p>
            </section>
          )}
          <FirstSyncSection progress={s.firstSync} />
          <AuditStreamsSection streams={streams.data?.streams} unavailable={streams.error !== null} onAccepted={streams.reload} />
          <section className="staff-section" aria-labelledby="sync-conflicts">
            <h2 id="sync-conflicts">{t('staff.sync.conflicts')}</h2>
            <p className="guide">{t('staff.sync.conflictsLead')}</p>
            {conflicts.data?.conflicts.length === 0 && <p>{t('staff.sync.conflictsNone')}</p>}
            {conflicts.data?.conflicts.map((c) => (
              <ConflictCard key={c.id} conflict={c} canResolve={can('sync.resolveConflict')} busy={pending} onAsk={(keep) => setAsking({ conflict: c, keep })} />
            ))}
          </section>
        </>
      )}
      <ConfirmDialog
        open={asking !== undefined}
        title={asking?.keep === 'kiosk' ? t('staff.sync.confirmKioskTitle') : t('staff.sync.confirmCentralTitle')}
        confirmLabel={asking?.keep === 'kiosk' ? t('staff.sync.confirmKiosk') : t('staff.sync.confirmCentral')}
        onConfirm={() => void resolve()}
        onCancel={() => setAsking(undefined)}
      >
        <p>{t('staff.sync.confirmBody')}</p>
      </ConfirmDialog>
    </>
  );
}

/** A refusal of the take-over this screen words itself; the common words otherwise (FORBIDDEN names the role). */
function takeOverRefusal(t: TFunction, error: CallError, kioskId: string): string | null {
  if (error.code === 'CONFLICT' && error.params?.reason === 'already-this-installation') return t('staff.sync.takeOver.already', { kiosk: kioskId });
  // Central took it over; only the audit entry here failed (a full disk): said as it is.
  if (error.code === 'UNAVAILABLE' && error.params?.reason === 'take-over-not-audited') return t('staff.sync.takeOver.notAudited', { kiosk: kioskId });
  if (error.code === 'UNAVAILABLE' && error.params?.reason === 'central') return t('staff.sync.takeOver.failed', { reason: t(`staff.sync.failure.${centralFailureKind(String(error.params.code ?? ''))}`) });
  return null;
}

/**
 * Central refuses this counter as another installation of it (central 0017): an admin at the
 * PC that stays takes the identity over here (sync.takeOver, the CLI's `--take-over`), after a
 * dialog that says what happens to the other PC. An installed counter has no npm to run.
 */
function TakeOver({ kioskId, onTaken }: { kioskId: string; onTaken: (notice: string) => void }) {
  const { t } = useTranslation();
  const { call, can } = useStaff();
  const [asking, setAsking] = useState(false);
  const { error, attempt, pending, run } = useSubmit();
  if (!can('sync.takeOver')) return null;
  const k = 'staff.sync.takeOver';

  const takeOver = async () => {
    setAsking(false);
    // The notice lives on the page: this part goes once central takes the counter's pushes again.
    if (await run(() => call('sync.takeOver', {}))) onTaken(t(`${k}.done`, { kiosk: kioskId }));
  };

  const own = error && takeOverRefusal(t, error, kioskId);
  return (
    <div data-testid="sync-take-over">
      {own ? (
        <div key={attempt} className="error-summary staff-alert" role="alert">
          <p className="error-summary__text">{own}</p>
        </div>
      ) : (
        <CallAlert key={attempt} error={error} />
      )}
      <p className="guide">{t(`${k}.lead`)}</p>
      <div className="staff-buttons">
        <button data-call="sync.takeOver" type="button" className="button button--secondary" disabled={pending} onClick={() => setAsking(true)}>
          {t(`${k}.button`)}
        </button>
      </div>
      <ConfirmDialog open={asking} title={t(`${k}.confirmTitle`)} confirmLabel={t(`${k}.confirm`)} onConfirm={() => void takeOver()} onCancel={() => setAsking(false)}>
        <p>{t(`${k}.confirmBody`, { kiosk: kioskId })}</p>
        <p>{t(`${k}.confirmWhen`)}</p>
      </ConfirmDialog>
    </div>
  );
}

/**
 * 変更権限コードの鍵 (issue 14): the key id in use, earlier ones still checking codes, and a
 * mismatch said in words with what to do. Ids only, never a key.
 */
function CodeKeySection({ codeKey: k }: { codeKey: CodeKey }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const none = t('staff.codeKey.none');
  return (
    <section className="staff-section" aria-labelledby="sync-code-key">
      <h2 id="sync-code-key">{t('staff.codeKey.heading')}</h2>
      <p className="guide">{t('staff.codeKey.lead')}</p>
      {k.mismatchKind && (
        <div role="alert" className="staff-status staff-status--degraded" data-testid="code-key-mismatch">
          <p>{t(`staff.codeKey.mismatchKinds.${k.mismatchKind}`, { keyId: k.mismatchKeyId ?? '' })}</p>
          <p>{t('staff.codeKey.mismatchLead')}</p>
        </div>
      )}
      <dl className="staff-dl" data-testid="code-key">
        <dt>{t('staff.codeKey.state')}</dt>
        <dd data-testid="code-key-state">{t(`staff.codeKey.states.${k.state}`)}</dd>
        <dt>{t('staff.codeKey.current')}</dt>
        <dd>
          <code>{k.currentKeyId}</code>
        </dd>
        <dt>{t('staff.codeKey.previous')}</dt>
        <dd>{k.previousKeyIds.length > 0 ? k.previousKeyIds.map((id) => <code key={id}>{id} </code>) : none}</dd>
        {k.retiredLocalKeyId && (
          <>
            <dt>{t('staff.codeKey.retiredLocal')}</dt>
            <dd>
              <code>{k.retiredLocalKeyId}</code>
            </dd>
          </>
        )}
        {k.state !== 'standalone' && (
          <>
            <dt>{t('staff.codeKey.receivedAt')}</dt>
            <dd>{k.receivedAt ? time(k.receivedAt) : none}</dd>
          </>
        )}
      </dl>
      {k.state === 'awaiting' && <p className="guide">{t('staff.codeKey.awaitingLead')}</p>}
    </section>
  );
}

/**
 * 初回同期 in its two stages (first-sync.ts): the copy of central's rows, then the staff search
 * keys folded from them. The bar follows the stage under way; the list keeps what each stage did.
 */
function FirstSyncSection({ progress: p }: { progress: FirstSync }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const n = (value: number) => value.toLocaleString();
  const rows = { rows: n(p.rows), total: n(p.total) };
  const index = { accounts: n(p.index.accounts), total: n(p.index.total) };
  // A store that finished its first sync before 0019 has no copy time and no index figures.
  const indexStage = p.state === 'indexing' || (p.state === 'done' && p.copiedAt !== null);
  const bar =
    p.state === 'paging'
      ? { max: p.total, value: p.rows, text: t('staff.sync.firstSyncRows', rows) }
      : p.state === 'indexing'
        ? { max: p.index.total, value: p.index.accounts, text: t('staff.sync.firstSyncIndex', index) }
        : { max: 1, value: 1, text: t('staff.sync.firstSyncStates.done') };
  return (
    <section className="staff-section" aria-labelledby="sync-first">
      <h2 id="sync-first">{t('staff.sync.firstSync')}</h2>
      <p data-testid="first-sync-state">{t(`staff.sync.firstSyncStates.${p.state}`)}</p>
      {p.state === 'indexing' && <p className="guide">{t('staff.sync.firstSyncIndexingLead')}</p>}
      {p.state !== 'not-started' && (
        <>
          <progress
            className="staff-progress"
            aria-label={t('staff.sync.firstSyncProgress')}
            aria-valuetext={bar.text}
            max={Math.max(1, bar.max)}
            value={Math.min(bar.value, Math.max(1, bar.max))}
          />
          <ul className="staff-list" data-testid="first-sync-figures">
            <li>{p.copiedAt ? t('staff.sync.firstSyncCopied', { ...rows, time: time(p.copiedAt) }) : t('staff.sync.firstSyncRows', rows)}</li>
            {p.state === 'paging' && p.table && <li>{t('staff.sync.firstSyncTable', { table: tableWords(t, p.table) })}</li>}
            {p.state === 'paging' && p.ratePerSecond !== null && <li>{t('staff.sync.firstSyncRate', { rate: n(Math.round(p.ratePerSecond)) })}</li>}
            {indexStage && <li>{t('staff.sync.firstSyncIndex', index)}</li>}
            {p.state === 'indexing' && p.index.ratePerSecond !== null && <li>{t('staff.sync.firstSyncIndexRate', { rate: n(Math.round(p.index.ratePerSecond)) })}</li>}
            {(p.state === 'paging' || p.state === 'indexing') && p.secondsLeft !== null && <li>{t('staff.sync.firstSyncLeft', { seconds: n(Math.ceil(p.secondsLeft)) })}</li>}
            {p.state === 'done' && p.finishedAt && <li>{t('staff.sync.firstSyncDone', { time: time(p.finishedAt) })}</li>}
          </ul>
        </>
      )}
    </section>
  );
}

/**
 * 監査ログの送信状況 (issue 14 item 6): how far each counter's audit log has reached central. A
 * counter whose log is shorter than central's copy, or whose entries central refused, is named
 * here as well as by `npm run audit:verify -- --central`.
 */
function AuditStreamsSection({ streams, unavailable, onAccepted }: { streams: AuditStream[] | undefined; unavailable: boolean; onAccepted: () => void }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const n = (value: number) => value.toLocaleString();
  const k = 'staff.auditFleet.streams';
  return (
    <section className="staff-section" aria-labelledby="sync-audit-streams">
      <h2 id="sync-audit-streams">{t(`${k}.heading`)}</h2>
      <p className="guide">{t(`${k}.lead`)}</p>
      {/* A failed refresh keeps the last table it had, under the note. */}
      {unavailable && <p>{t(`${k}.unavailable`)}</p>}
      {!unavailable && streams?.length === 0 && <p>{t(`${k}.none`)}</p>}
      {streams && streams.length > 0 && (
        <div data-testid="audit-streams">
          <DataTable
            caption={t(`${k}.heading`)}
            rows={streams}
            rowKey={(r) => r.clientId}
            columns={[
              { header: t(`${k}.kiosk`), cell: (r) => (r.thisCounter ? t(`${k}.thisCounter`, { kiosk: r.kioskId }) : r.kioskId), rowHeader: true },
              { header: t(`${k}.held`), cell: (r) => t(`${k}.heldValue`, { seq: n(r.heldThroughSeq), rows: n(r.rowsHeld) }) },
              { header: t(`${k}.local`), cell: (r) => (r.localSeq === null ? t(`${k}.localUnknown`) : t(`${k}.localValue`, { seq: n(r.localSeq) })) },
              { header: t(`${k}.lastEntry`), cell: (r) => time(r.lastEntryAt) },
              { header: t(`${k}.received`), cell: (r) => time(r.receivedAt) },
              {
                header: t(`${k}.state`),
                cell: (r) => (
                  <span className={`staff-status staff-status--${r.state === 'complete' ? 'ok' : r.state === 'behind' || r.state === 'accepted' ? 'busy' : 'degraded'}`}>
                    {r.state === 'accepted' ? t('staff.auditGap.stateAccepted') : t(`${k}.states.${r.state}`)}
                  </span>
                ),
              },
            ]}
          />
        </div>
      )}
      {streams && <AuditGaps streams={streams} onAccepted={onAccepted} />}
    </section>
  );
}

/**
 * Gaps in counters' logs (issue 14): the ones admins accepted, with who, when and why (they
 * stay in the history), and for an admin a form per counter whose cut central can place:
 * accepting records it at central (audit.fleet.acceptGap) after a confirmation.
 */
function AuditGaps({ streams, onAccepted }: { streams: AuditStream[]; onAccepted: () => void }) {
  const { t } = useTranslation();
  const { call, can } = useStaff();
  const time = useTimeFormat();
  const g = 'staff.auditGap';
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [asking, setAsking] = useState<AuditStream | undefined>();
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();
  const range = (from: number, to: number) => t(`${g}.range`, { from: from.toLocaleString(), to: to.toLocaleString() });
  const accepted = streams.flatMap((s) => s.acceptedGaps.map((gap) => ({ kioskId: s.kioskId, gap })));
  const flagged = streams.filter((s) => s.state === 'cut' || s.state === 'refused');
  const mayAccept = can('audit.fleet.acceptGap');

  const accept = async () => {
    if (!asking) return;
    const stream = asking;
    setAsking(undefined);
    setNotice('');
    const answer = await run(() => call('audit.fleet.acceptGap', { clientId: stream.clientId, reason: reasons[stream.clientId] ?? '' }));
    if (answer) {
      setNotice(t(`${g}.accepted`, { kiosk: stream.kioskId, range: range(answer.fromSeq, answer.toSeq) }));
      setReasons((r) => ({ ...r, [stream.clientId]: '' }));
      onAccepted();
    }
  };

  return (
    <>
      <CallAlert key={attempt} error={error} />
      <Notice>{notice}</Notice>
      {accepted.length > 0 && (
        <>
          <h3>{t(`${g}.acceptedHeading`)}</h3>
          <ul data-testid="accepted-gaps">
            {accepted.map(({ kioskId, gap }) => (
              <li key={`${kioskId}-${gap.toSeq}`}>
                {t(`${g}.acceptedItem`, { kiosk: kioskId, range: range(gap.fromSeq, gap.toSeq), by: gap.acceptedBy, time: time(gap.acceptedAt), at: gap.acceptedAtKiosk, role: gap.acceptedRole, reason: gap.reason })}
              </li>
            ))}
          </ul>
        </>
      )}
      {mayAccept &&
        flagged.map((s) =>
          s.acceptable ? (
            <article key={s.clientId} className="staff-candidate" aria-labelledby={`gap-${s.clientId}`} data-testid="gap-form">
              <h3 id={`gap-${s.clientId}`}>{t(`${g}.formHeading`, { kiosk: s.kioskId })}</h3>
              <p className="guide">{t(`${g}.formLead`, { kiosk: s.kioskId, held: s.heldThroughSeq.toLocaleString() })}</p>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  setAsking(s);
                }}
              >
                <Field
                  id={`gap-reason-${s.clientId}`}
                  name="reason"
                  label={t(`${g}.reason`)}
                  hint={t(`${g}.reasonHint`)}
                  required
                  maxLength={500}
                  value={reasons[s.clientId] ?? ''}
                  onChange={(e) => setReasons((r) => ({ ...r, [s.clientId]: e.target.value }))}
                />
                <div className="staff-buttons">
                  <button data-call="audit.fleet.acceptGap" type="submit" className="button button--secondary" disabled={pending || !(reasons[s.clientId] ?? '').trim()}>
                    {t(`${g}.accept`)}
                  </button>
                </div>
              </form>
            </article>
          ) : (
            <p key={s.clientId}>{t(`${g}.notAcceptable`, { kiosk: s.kioskId })}</p>
          ),
        )}
      <ConfirmDialog
        open={asking !== undefined}
        title={t(`${g}.confirmTitle`, { kiosk: asking?.kioskId ?? '' })}
        confirmLabel={t(`${g}.confirm`)}
        onConfirm={() => void accept()}
        onCancel={() => setAsking(undefined)}
      >
        <p>{t(`${g}.confirmBody`)}</p>
      </ConfirmDialog>
    </>
  );
}

/** A synced table in words; one a newer central syncs and this counter does not know is shown as named. */
const tableWords = (t: TFunction, table: string): string => t(`staff.sync.tables.${table}`, { defaultValue: table });

function ConflictCard({ conflict: c, canResolve, busy, onAsk }: { conflict: Conflict; canResolve: boolean; busy: boolean; onAsk: (keep: 'central' | 'kiosk') => void }) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const headingId = `conflict-${c.id}`;
  // The fields the race was about; without them, every field either side holds.
  const fields = c.fields ?? [...new Set([...Object.keys(c.central ?? {}), ...Object.keys(c.kiosk ?? {})])];
  const hidden = t('staff.sync.hidden');
  const empty = t('staff.sync.empty');
  const title = t('staff.sync.conflictTitle', { table: tableWords(t, c.table), kind: t(`staff.sync.conflictKinds.${c.kind}`), time: time(c.createdAt) });
  return (
    <article className="staff-candidate" aria-labelledby={headingId} data-testid="conflict">
      <h3 id={headingId}>{title}</h3>
      {c.kioskId && <p>{t('staff.sync.conflictFrom', { kiosk: c.kioskId })}</p>}
      {c.kind === 'error' && <p className="guide">{t('staff.sync.errorDetail')}</p>}
      {c.kind === 'expired' && <p className="guide">{t('staff.sync.expiredDetail')}</p>}
      {/* Central's own words (a database message for an 'error'), for support: not the clerk's reading. */}
      {c.detail && (
        <p className="staff-muted" lang="en">
          {c.detail}
        </p>
      )}
      <DataTable
        caption={title}
        rows={fields}
        rowKey={(f) => f}
        columns={[
          { header: t('staff.sync.field'), cell: (f) => (f in columnLabels ? `${t(`staff.lookup.${columnLabels[f as keyof typeof columnLabels]}`)} (${f})` : f), rowHeader: true },
          { header: t('staff.sync.centralValue'), cell: (f) => show(c.central?.[f], hidden, empty) },
          { header: t('staff.sync.kioskValue'), cell: (f) => show(c.kiosk?.[f], hidden, empty) },
        ]}
      />
      {canResolve && (
        <div className="staff-buttons">
          <button data-call="sync.resolveConflict" type="button" className="button button--secondary" disabled={busy} onClick={() => onAsk('central')}>
            {t('staff.sync.keepCentral')}
          </button>
          <button data-call="sync.resolveConflict" type="button" className="button button--secondary" disabled={busy} onClick={() => onAsk('kiosk')}>
            {t('staff.sync.applyKiosk')}
          </button>
        </div>
      )}
    </article>
  );
}
