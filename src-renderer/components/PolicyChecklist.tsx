import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { PasswordCheckItem, PasswordPolicy } from '../../src-main/contract';
import { CheckIcon } from './CheckIcon';

interface PolicyChecklistProps {
  policy: PasswordPolicy;
  /** The server's latest answer from reset.checkPassword (the same rules the save applies). */
  items: readonly PasswordCheckItem[];
  /** Client-only: the two fields are equal (after NFKC, as the server compares them). */
  confirmMatches: boolean;
  /** The save refused the password as one of the last N: shown as a failed line until it changes. */
  recentRejected?: boolean;
}

/**
 * The seed's パスワードポリシー欄 as a live checklist: one line per rule the server checks,
 * each with an icon and words (never colour alone), plus the confirm-match line and the
 * history rule, which only the save can check.
 */
export function PolicyChecklist({ policy, items, confirmMatches, recentRejected = false }: PolicyChecklistProps) {
  const { t } = useTranslation();
  const headingId = useId();
  const noClassRules = !policy.requireLower && !policy.requireUpper && !policy.requireDigit && !policy.requireSymbol;
  // notRecent is only known on save, so it appears only when the save has failed on it.
  const shown: PasswordCheckItem[] = [
    ...items.filter((item) => item.rule !== 'notRecent'),
    ...(recentRejected ? [{ rule: 'notRecent' as const, ok: false }] : []),
  ];
  const allMet = shown.length > 0 && shown.every((item) => item.ok) && confirmMatches;

  const text = (item: PasswordCheckItem): string => {
    const p = item.params ?? {};
    switch (item.rule) {
      case 'minLength':
        return t('policy.minLength', { min: p.min ?? policy.minLength, length: p.length ?? 0 });
      case 'maxLength':
        return t('policy.maxLength', { max: p.max ?? policy.maxLength });
      default:
        return t(`policy.${item.rule}`);
    }
  };

  const line = (key: string, ok: boolean, label: string) => (
    <li key={key} className={`checklist__item ${ok ? 'checklist__item--ok' : 'checklist__item--ng'}`}>
      <CheckIcon ok={ok} />
      <span>
        {label}
        <span className="visually-hidden">{ok ? t('policy.met') : t('policy.unmet')}</span>
      </span>
    </li>
  );

  return (
    <section className="policy" aria-labelledby={headingId}>
      <h2 id={headingId} className="policy__heading">
        {t('policy.heading')}
      </h2>
      <p className="policy__lead">{t('policy.lead')}</p>
      {noClassRules && <p className="policy__lead">{t('policy.anyCharacters')}</p>}
      <ul className="checklist">
        {shown.map((item) => line(item.rule, item.ok, text(item)))}
        {line('match', confirmMatches, t('policy.match'))}
      </ul>
      {policy.historyCount > 0 && <p className="policy__info">{t('policy.history', { count: policy.historyCount })}</p>}
      <p className="policy__status" aria-live="polite">
        {allMet ? t('policy.allMet') : ''}
      </p>
    </section>
  );
}

/** What the list shows before the server's first answer: every rule the policy has, unmet. */
export function initialPolicyItems(policy: PasswordPolicy): PasswordCheckItem[] {
  const items: PasswordCheckItem[] = [
    { rule: 'minLength', ok: false, params: { min: policy.minLength, length: 0 } },
    { rule: 'maxLength', ok: true, params: { max: policy.maxLength } },
  ];
  if (policy.requireLower) items.push({ rule: 'lower', ok: false });
  if (policy.requireUpper) items.push({ rule: 'upper', ok: false });
  if (policy.requireDigit) items.push({ rule: 'digit', ok: false });
  if (policy.requireSymbol) items.push({ rule: 'symbol', ok: false });
  items.push({ rule: 'notCommon', ok: false }, { rule: 'notPersonal', ok: false });
  return items;
}
