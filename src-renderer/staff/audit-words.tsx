import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { actorKindLabels, auditActionLabels, auditDetailLabels, auditReasonLabels, auditSubjectLabel, codeLabel, importColumnLabels, mailKindLabels, nameWithCode, syncRefusalLabels, type CallOutput } from '../../src-main/contract';
import { identityFields } from '../../src-main/contract/staff-calls';
import { currentLocale } from '../i18n/setup';
import { DataTable } from './DataTable';
import { useTimeFormat } from './ui';

export type AuditEntry = CallOutput<'staff.audit.list'>['items'][number];
export type AuditActor = AuditEntry['actorView'];

/**
 * Detail keys whose value lists an account's columns, joined with ", " (sync.value-replaced,
 * sync.conflict-resolved): staff read them as the screens label the fields, not as the store's
 * column names; a column the table does not know is shown as it is.
 */
const columnListKeys = new Set(['fields', 'changed']);

/**
 * Codes in words, from the one label table (contract/code-labels.ts) in the screen's
 * language: audit actions, mail kinds, actors, detail keys. A code a newer counter wrote and
 * this one does not know is shown as it is, never hidden.
 */
export function useCodeWords() {
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n);
  const action = useCallback((code: string) => codeLabel(auditActionLabels, code, locale), [locale]);
  const mail = useCallback((code: string) => codeLabel(mailKindLabels, code, locale), [locale]);
  const actor = useCallback(
    (a: AuditActor) => {
      if (a.kind !== 'staff') return actorKindLabels[a.kind][locale];
      if (a.displayName === null) return t('staffUx.audit.unknownStaff', { id: a.code.slice('staff:'.length, 'staff:'.length + 8) });
      return `${nameWithCode(a.displayName, a.username ?? '', locale)}${a.disabled ? t('staffUx.audit.disabled') : ''}`;
    },
    [locale, t],
  );
  const subject = useCallback((e: AuditEntry) => (e.subjectView ? actor(e.subjectView) : e.subject === null ? '' : auditSubjectLabel(e.action, e.subject, locale)), [actor, locale]);
  // 変更前・最小文字数 / Before / Minimum length: the separator is the language's.
  const detailKey = useCallback((path: string) => path.split('.').map((part) => codeLabel(auditDetailLabels, part, locale)).join(t('staffUx.audit.pathSeparator')), [locale, t]);
  const detailValue = useCallback(
    (key: string, value: string) => {
      if (value === 'true') return t('staffUx.audit.yes');
      if (value === 'false') return t('staffUx.audit.no');
      if (key.endsWith('template')) return mail(value);
      if (key === 'refusal') return codeLabel(syncRefusalLabels, value, locale);
      if (key === 'reason') return codeLabel(auditReasonLabels, value, locale);
      // inquiry.override: the identity fields that did not match, as 照合 names them.
      if (key === 'refuseBecause' && (identityFields as readonly string[]).includes(value)) return t(`staff.inquiries.fields.${value as (typeof identityFields)[number]}`);
      if (key === 'role' || key.endsWith('.role')) return (['agent', 'supervisor', 'admin'] as const).find((r) => r === value) ? t(`staff.roles.${value as 'agent'}`) : value;
      if (columnListKeys.has(key)) {
        const labels: Record<string, string> = importColumnLabels[locale];
        return value
          .split(', ')
          .map((column) => (Object.hasOwn(labels, column) ? labels[column] : column))
          .join(t('staffUx.audit.listSeparator'));
      }
      return value;
    },
    [t, mail, locale],
  );
  // An array in the detail (e.g. refuseBecause): each entry in words, joined with the language's separator.
  const detailText = useCallback(
    (field: AuditEntry['fields'][number]) => (field.items ? field.items.map((item) => detailValue(field.key, item)).join(t('staffUx.audit.listSeparator')) : detailValue(field.key, field.value)),
    [detailValue, t],
  );
  return { locale, action, mail, actor, subject, detailKey, detailValue, detailText };
}

/** The detail as labelled fields (a description list), not JSON. */
export function AuditDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const words = useCodeWords();
  if (entry.fields.length === 0) return <>{t('staffUx.audit.noDetail')}</>;
  return (
    <dl className="staff-detail">
      {entry.fields.map((f) => (
        <div key={f.key} className="staff-detail__row">
          <dt>{t('staffUx.audit.detailLabel', { label: words.detailKey(f.key) })}</dt>
          <dd>{words.detailText(f)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One table for the audit log and an account's history: 日時, 実行者, 操作, (対象), 内容. */
export function AuditEntries({
  caption,
  rows,
  withSubject,
  empty,
  paging,
}: {
  caption: string;
  rows: readonly AuditEntry[];
  withSubject: boolean;
  empty: string;
  paging?: { page: number; pageSize: number; total: number; onPage: (page: number) => void };
}) {
  const { t } = useTranslation();
  const time = useTimeFormat();
  const words = useCodeWords();
  return (
    <DataTable
      caption={caption}
      rows={rows}
      rowKey={(e) => String(e.seq)}
      empty={empty}
      testId="audit-entries"
      columns={[
        { header: t('staff.audit.at'), cell: (e) => time(e.at), className: 'staff-nowrap' },
        { header: t('staffUx.audit.actor'), cell: (e) => words.actor(e.actorView) },
        { header: t('staffUx.audit.action'), cell: (e) => words.action(e.action) },
        ...(withSubject ? [{ header: t('staff.audit.subject'), cell: (e: AuditEntry) => words.subject(e) }] : []),
        { header: t('staff.audit.detail'), cell: (e) => <AuditDetail entry={e} /> },
      ]}
      paging={paging}
    />
  );
}
