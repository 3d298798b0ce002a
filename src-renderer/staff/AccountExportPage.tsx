import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { importColumnLabels, type CallOutput, type CsvFileEncoding } from '../../src-main/contract';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { currentLocale } from '../i18n/setup';
import { saveFromMain } from './save-file';
import { useStaff } from './staff-session';
import { CallAlert, Notice, useLoad } from './ui';

type Unwritable = Extract<CallOutput<'accounts.export.begin'>, { unwritable: unknown }>['unwritable'];

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * 「アカウントの書き出し」 (issue 18 §4, supervisor+): the accounts as a CSV in the import's
 * columns (so it re-imports unchanged), UTF-8 with BOM or Shift_JIS, after the personal-data
 * warning is confirmed. The main process streams the file; the page only names where it goes.
 */
export function AccountExportPage() {
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n);
  const { call } = useStaff();
  const summary = useLoad(() => call('accounts.export.summary', {}), []);
  const [encoding, setEncoding] = useState<CsvFileEncoding>('utf-8');
  const [confirmed, setConfirmed] = useState(false);
  const [missingConfirm, setMissingConfirm] = useState(false);
  const [unwritable, setUnwritable] = useState<Unwritable | null>(null);
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit();

  const exportNow = async () => {
    setNotice('');
    setUnwritable(null);
    if (!confirmed) {
      setMissingConfirm(true);
      return;
    }
    setMissingConfirm(false);
    const answer = await run(async () => {
      const begun = await call('accounts.export.begin', { encoding, personalDataConfirmed: true });
      if ('unwritable' in begun) return begun;
      return { ...begun, saved: await saveFromMain(begun.ticket, begun.fileName) };
    });
    if (!answer) return;
    if ('unwritable' in answer) setUnwritable(answer.unwritable);
    else setNotice(answer.saved === 'cancelled' ? t('staff.accountFiles.import.saveCancelled') : t('staff.accountFiles.export.saving', { file: answer.fileName, count: answer.accounts }));
  };

  return (
    <>
      <PageHeading>{t('staff.accountFiles.export.heading')}</PageHeading>
      <p className="lead">{t('staff.accountFiles.export.lead')}</p>
      <CallAlert key={attempt} error={summary.error ?? error} />
      {missingConfirm && (
        <div className="error-summary staff-alert" role="alert">
          <p className="error-summary__text">{t('staff.accountFiles.export.confirmMissing')}</p>
        </div>
      )}
      {unwritable && (
        <div className="error-summary staff-alert" role="alert" data-testid="export-unwritable">
          <p className="error-summary__text">{t('staff.accountFiles.export.unwritable', { count: unwritable.accounts })}</p>
          <ul className="staff-list">
            {unwritable.examples.map((e, i) => (
              <li key={i}>
                {t('staff.accountFiles.export.unwritableItem', {
                  jsaId: e.maskedJsaId,
                  column: importColumnLabels[locale][e.column],
                  characters: e.characters.map((ch) => `「${ch}」(${codePoint(ch)})`).join(locale === 'ja' ? '、' : ', '),
                })}
              </li>
            ))}
          </ul>
          {unwritable.accounts > unwritable.examples.length && <p className="error-summary__text">{t('staff.accountFiles.export.unwritableMore', { count: unwritable.accounts - unwritable.examples.length })}</p>}
        </div>
      )}
      <Notice>{notice}</Notice>
      {summary.data && (
        <section className="staff-section" aria-labelledby="export-heading">
          <h2 id="export-heading">{t('staff.accountFiles.export.count', { count: summary.data.accounts })}</h2>
          <fieldset className="staff-fieldset">
            <legend>{t('staff.accountFiles.export.encoding')}</legend>
            {(['utf-8', 'shift_jis'] as const).map((value) => (
              <div key={value} className="staff-radio">
                <input id={`export-encoding-${value}`} type="radio" name="export-encoding" value={value} checked={encoding === value} onChange={() => setEncoding(value)} />
                <label htmlFor={`export-encoding-${value}`}>{t(`staff.accountFiles.export.encodings.${value}`)}</label>
              </div>
            ))}
          </fieldset>
          <div className="staff-warning" aria-labelledby="export-warning-title" role="note">
            <p className="staff-warning__title" id="export-warning-title">
              {t('staff.accountFiles.export.warningTitle')}
            </p>
            <p>{t('staff.accountFiles.export.warning')}</p>
            <div className="staff-check">
              <input id="export-confirm" type="checkbox" checked={confirmed} onChange={(e) => (setConfirmed(e.target.checked), setMissingConfirm(false))} />
              <label htmlFor="export-confirm">{t('staff.accountFiles.export.confirmLabel')}</label>
            </div>
          </div>
          <div className="staff-toolbar">
            <button data-call="accounts.export.begin" type="button" className="button button--primary" disabled={pending} onClick={() => void exportNow()}>
              {t('staff.accountFiles.export.run')}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
