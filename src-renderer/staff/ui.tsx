import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { staffRoles, type CallError, type StaffRole } from '../../src-main/contract';
import { toCallError } from '../api/api-context';
import { errorMessage, fieldIssueMessage } from '../i18n/error-text';
import { currentLocale } from '../i18n/setup';

/** A failed call, announced (role=alert): the code's message, then each field issue. */
export function CallAlert({ error, labels = {} }: { error: CallError | null; labels?: Record<string, string> }) {
  const { t } = useTranslation();
  if (!error) return null;
  const lines = error.code === 'INVALID_INPUT' && error.fields?.length ? [] : error.code === 'FORBIDDEN' ? [forbiddenText(t, error)] : errorMessage(t, error, 'staff');
  const issues = (error.fields ?? []).map((issue) => fieldIssueMessage(t, issue, labels[issue.field] ?? issue.field));
  return (
    <div className="error-summary staff-alert" role="alert">
      {[...lines, ...issues].map((line, i) => (
        <p key={`${i}-${line}`} className="error-summary__text">
          {line}
        </p>
      ))}
    </div>
  );
}

const isStaffRole = (role: unknown): role is StaffRole => (staffRoles as readonly unknown[]).includes(role);

/**
 * A refusal said to a clerk, not to a customer: which role does it (the server names the
 * contract's role), instead of the kiosk's 「係員にお声がけください」.
 */
export function forbiddenText(t: TFunction, error: CallError): string {
  const role = error.params?.role;
  return isStaffRole(role) ? t('staffUx.forbidden.role', { role: t(`staffUx.roleAtLeast.${role}`) }) : t('staffUx.forbidden.unknown');
}

/** A success message, announced politely. */
export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="staff-notice" role="status">
      {children}
    </p>
  );
}

/**
 * How many screen parts are still waiting for their first answer. The staff <main> carries
 * aria-busy while any is, so a screen reader (and a test) knows the screen is not complete
 * yet; background refreshes of data already shown do not count.
 */
const FirstLoads = createContext<(delta: 1 | -1) => void>(() => undefined);

/** The staff screens' <main>: aria-busy until every part of the screen has its first answer. */
export function LoadingMain({ className, children }: { className: string; children: ReactNode }) {
  const [waiting, setWaiting] = useState(0);
  const count = useCallback((delta: 1 | -1) => setWaiting((n) => n + delta), []);
  return (
    <main className={className} aria-busy={waiting > 0 || undefined}>
      <FirstLoads.Provider value={count}>{children}</FirstLoads.Provider>
    </main>
  );
}

/** Loads once and on every change of `deps`; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<CallError | null>(null);
  const [tick, setTick] = useState(0);
  const count = useContext(FirstLoads);
  const waiting = data === undefined && error === null;
  const counted = useRef(false);
  // Counted before the screen is first painted (a layout effect): a screen drawn, its heading
  // shown, must not look complete for the moment until a passive effect would have run (a test
  // read the export screen's actions then, before its button was there).
  useLayoutEffect(() => {
    if (!waiting || counted.current) return;
    counted.current = true;
    count(1);
  }, [waiting, count]);
  // Cleared in the same effect flush as the page's own effects on `data` (a draft copied from
  // it), so the screen is never announced complete before the form it loads is drawn.
  useEffect(() => {
    if (waiting || !counted.current) return;
    counted.current = false;
    count(-1);
  }, [waiting, count]);
  useEffect(
    () => () => {
      if (!counted.current) return;
      counted.current = false;
      count(-1);
    },
    [count],
  );
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && (setData(value), setError(null)),
      (e: unknown) => live && setError(toCallError(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="staff-pager" aria-label={t('staff.common.page', { page, pages, total })}>
      <button type="button" className="button button--secondary" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t('staff.common.prev')}
      </button>
      <span>{t('staff.common.page', { page, pages, total })}</span>
      <button type="button" className="button button--secondary" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('staff.common.next')}
      </button>
    </nav>
  );
}

/** Times are shown in Japan time, as the counter works in it. */
export function useTimeFormat() {
  const { i18n } = useTranslation();
  const locale = currentLocale(i18n) === 'en' ? 'en-GB' : 'ja-JP';
  return useCallback(
    (iso: string | null | undefined) =>
      iso ? new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso)) : '—',
    [locale],
  );
}

/** A labelled <select>; every staff field has a visible label. */
export function SelectField<V extends string>({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: V;
  options: ReadonlyArray<{ value: V; label: string }>;
  onChange: (value: V) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <div className="field__control">
        <select id={id} className="input staff-select" value={value} onChange={(e) => onChange(e.target.value as V)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
