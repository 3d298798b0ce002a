import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { useSubmit } from '../components/use-submit';
import { useStaff } from './staff-session';
import { CallAlert } from './ui';

type PrintOutcome = CallOutput<'app.testPrint'>;

/**
 * 初期設定's 受付票 printer (issue 15): the name the OS gives the printer, and 「テスト印刷」,
 * which prints one test page there from the Electron app (web mode says it cannot).
 */
export function PrinterSetup({ value, onChange, error }: { value: string; onChange: (value: string) => void; error?: string }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const test = useSubmit({ fields: { printerName: { id: 'setup-printerName', label: t('printerSetup.printerName') } } });
  const [result, setResult] = useState<PrintOutcome | undefined>();
  const testPrint = async () => {
    setResult(undefined);
    const outcome = await test.run(() => call('app.testPrint', { printerName: value.trim() }));
    if (outcome) setResult(outcome);
  };
  const message = !result ? '' : result.done ? t('printerSetup.testOk') : result.reason === 'web-mode' ? t('printerSetup.testWebMode') : t('printerSetup.testFailed');
  return (
    <fieldset className="staff-fieldset">
      <legend>{t('printerSetup.legend')}</legend>
      <CallAlert key={test.attempt} error={test.error} labels={{ printerName: t('printerSetup.printerName') }} />
      <Field
        id="setup-printerName"
        name="printerName"
        label={t('printerSetup.printerName')}
        hint={t('printerSetup.printerNameHint')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error ?? test.described?.byField.printerName}
        autoComplete="off"
        spellCheck={false}
      />
      <div className="staff-buttons">
        <button data-call="app.testPrint" type="button" className="button button--secondary" disabled={test.pending || value.trim() === ''} onClick={() => void testPrint()}>
          {t('printerSetup.testPrint')}
        </button>
      </div>
      {message && (
        <p className={result?.done ? 'staff-notice' : 'staff-probe-failed'} role="status" data-testid="test-print-result">
          {message}
        </p>
      )}
    </fieldset>
  );
}
