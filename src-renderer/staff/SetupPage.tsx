import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { centralFailureKind, mailFailureKind, type CallInput, type CallOutput } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { DemoDataNotice } from './DemoDataNotice';
import { useSubmit } from '../components/use-submit';
import { PrinterSetup } from './PrinterSetup';
import { useStaff } from './staff-session';
import { CallAlert, Notice, SelectField, useLoad } from './ui';

type SetupView = CallOutput<'ops.setup.get'>;
type TestMail = CallOutput<'ops.testMail'>;
type TestCentral = CallOutput<'ops.testCentral'>;

interface Draft {
  kioskId: string;
  mode: 'kiosk' | 'staff';
  supportEmail: string;
  printerName: string;
  publicUrl: string;
  mailFrom: string;
  smtpUrl: string;
  smtpPassword: string;
  centralUrl: string;
  centralPassword: string;
}

const envName = {
  kioskId: 'WEBDESK_KIOSK_ID',
  mode: 'WEBDESK_MODE',
  publicUrl: 'WEBDESK_PUBLIC_URL',
  mailFrom: 'WEBDESK_MAIL_FROM',
  smtpUrl: 'WEBDESK_SMTP_URL',
  centralUrl: 'WEBDESK_CENTRAL_URL',
} as const;

const draftOf = (v: SetupView): Draft => ({
  kioskId: v.kioskId.value,
  mode: v.mode.value,
  supportEmail: v.supportEmail,
  printerName: v.printerName,
  publicUrl: v.publicUrl.value ?? '',
  mailFrom: v.mailFrom.value,
  smtpUrl: v.smtpUrl.value ?? '',
  smtpPassword: '',
  centralUrl: v.centralUrl.value ?? '',
  centralPassword: '',
});

/** Only what the admin changed, and never a value the environment sets (it would win anyway). */
function changes(view: SetupView, draft: Draft): CallInput<'ops.setup.save'> {
  const out: CallInput<'ops.setup.save'> = {};
  const editable = (key: keyof typeof envName) => view[key].source !== 'env';
  if (editable('kioskId') && draft.kioskId.trim() !== view.kioskId.value) out.kioskId = draft.kioskId.trim();
  if (editable('mode') && draft.mode !== view.mode.value) out.mode = draft.mode;
  if (draft.supportEmail.trim() !== view.supportEmail) out.supportEmail = draft.supportEmail.trim();
  if (draft.printerName.trim() !== view.printerName) out.printerName = draft.printerName.trim();
  if (editable('mailFrom') && draft.mailFrom.trim() !== view.mailFrom.value) out.mailFrom = draft.mailFrom.trim();
  // An emptied URL clears the saved one (back to maildrop / standalone).
  const url = (typed: string, was: string | null) => (typed.trim() === '' ? (was === null ? undefined : null) : typed.trim() === was ? undefined : typed.trim());
  if (editable('publicUrl')) out.publicUrl = url(draft.publicUrl, view.publicUrl.value);
  if (editable('smtpUrl')) {
    out.smtpUrl = url(draft.smtpUrl, view.smtpUrl.value);
    if (draft.smtpPassword !== '') out.smtpPassword = draft.smtpPassword;
  }
  if (editable('centralUrl')) {
    out.centralUrl = url(draft.centralUrl, view.centralUrl.value);
    if (draft.centralPassword !== '') out.centralPassword = draft.centralPassword;
  }
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/**
 * 初期設定 (issue 7 §1): what the kiosk starts with. Values from the environment are shown
 * read-only (they win over saved ones); passwords go in and never come back out, only
 * 設定済み/未設定. Saved values apply at the next start, which the screen says.
 */
export function SetupPage({ onSaved }: { onSaved?: (view: SetupView) => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const loaded = useLoad(() => call('ops.setup.get', {}), []);
  const [view, setView] = useState<SetupView | undefined>();
  const [draft, setDraft] = useState<Draft | undefined>();
  const [testTo, setTestTo] = useState('');
  const [mailResult, setMailResult] = useState<TestMail | undefined>();
  const [centralResult, setCentralResult] = useState<TestCentral | undefined>();
  const [notice, setNotice] = useState('');
  useEffect(() => {
    if (loaded.data) {
      setView(loaded.data);
      setDraft(draftOf(loaded.data));
    }
  }, [loaded.data]);

  const labels = {
    kioskId: t('staff.setup.kioskId'),
    mode: t('staff.setup.mode'),
    supportEmail: t('staff.setup.supportEmail'),
    publicUrl: t('staff.setup.publicUrl'),
    mailFrom: t('staff.setup.mailFrom'),
    smtpUrl: t('staff.setup.smtpUrl'),
    smtpPassword: t('staff.setup.smtpPassword'),
    centralUrl: t('staff.setup.centralUrl'),
    centralPassword: t('staff.setup.centralPassword'),
    to: t('staff.setup.testTo'),
  };
  const { error, attempt, pending, run, described } = useSubmit({
    fields: Object.fromEntries(Object.entries(labels).map(([key, label]) => [key, { id: key === 'to' ? 'setup-test-to' : `setup-${key}`, label }])),
    // Another admin saved since this screen was loaded: the refusal stays on screen and the
    // form shows their values, so a second press does not put the old ones back.
    handled: (e) => {
      if (e.code === 'CONFLICT' && e.params?.reason === 'settings-changed') loaded.reload();
      return false;
    },
  });
  const fieldErrors = described?.byField ?? {};
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => d && { ...d, [key]: e.target.value });

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!view || !draft) return;
    setNotice('');
    const input = changes(view, draft);
    const firstTime = !view.configured;
    const saved = await run(() => call('ops.setup.save', { ...input, revision: view.revision }));
    if (saved) {
      setView(saved);
      setDraft(draftOf(saved));
      setNotice(Object.keys(input).length === 0 && !firstTime ? t('staff.setup.nothingChanged') : t('staff.setup.saved'));
      onSaved?.(saved);
    }
  };

  const testMail = async () => {
    if (!view || !draft) return;
    setMailResult(undefined);
    const typed = view.smtpUrl.source !== 'env' && draft.smtpUrl.trim() !== '' ? { smtpUrl: draft.smtpUrl.trim() } : {};
    const password = view.smtpUrl.source !== 'env' && draft.smtpPassword !== '' ? { smtpPassword: draft.smtpPassword } : {};
    const result = await run(() => call('ops.testMail', { to: testTo.trim(), ...typed, ...password }));
    if (result) setMailResult(result);
  };

  const testCentral = async () => {
    if (!view || !draft) return;
    setCentralResult(undefined);
    const typed = view.centralUrl.source !== 'env' && draft.centralUrl.trim() !== '' ? { centralUrl: draft.centralUrl.trim() } : {};
    const password = view.centralUrl.source !== 'env' && draft.centralPassword !== '' ? { centralPassword: draft.centralPassword } : {};
    const result = await run(() => call('ops.testCentral', { ...typed, ...password }));
    if (result) setCentralResult(result);
  };

  /** A deployment value: editable, or read-only with the variable that sets it. */
  const deployField = (key: 'kioskId' | 'publicUrl' | 'mailFrom' | 'smtpUrl' | 'centralUrl', hint?: string, type = 'text') => {
    const fromEnv = view?.[key].source === 'env';
    return (
      <Field
        id={`setup-${key}`}
        name={key}
        type={type}
        label={labels[key]}
        value={draft?.[key] ?? ''}
        onChange={set(key)}
        readOnly={fromEnv}
        hint={fromEnv ? t('staff.setup.envNote', { name: envName[key] }) : hint}
        error={fieldErrors[key]}
        autoComplete="off"
        spellCheck={false}
      />
    );
  };
  const passwordField = (key: 'smtpPassword' | 'centralPassword', isSet: boolean, urlKey: 'smtpUrl' | 'centralUrl') => (
    <>
      <p className="staff-password-state" data-testid={`${key}-state`}>
        {t('staff.setup.passwordState', { state: isSet ? t('staff.setup.passwordSet') : t('staff.setup.passwordUnset') })}
      </p>
      {view?.[urlKey].source !== 'env' && (
        <Field
          id={`setup-${key}`}
          name={key}
          type="password"
          label={labels[key]}
          hint={t('staff.setup.passwordHint')}
          value={draft?.[key] ?? ''}
          onChange={set(key)}
          error={fieldErrors[key]}
          autoComplete="new-password"
        />
      )}
    </>
  );

  return (
    <>
      <PageHeading>{t('staff.setup.heading')}</PageHeading>
      <p className="lead">{t('staff.setup.lead')}</p>
      {view && !view.configured && (
        <p className="staff-callout" role="note">
          {t('staff.setup.notConfigured')}
        </p>
      )}
      {view?.restartRequired && (
        <p className="staff-callout" role="note" data-testid="restart-required">
          {t('staff.setup.restartRequired')}
        </p>
      )}
      <CallAlert key={attempt} error={loaded.error ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {view && (
        <DemoDataNotice
          count={view.demoAccounts}
          onRemoved={(removed) => {
            setView((v) => v && { ...v, demoAccounts: 0 });
            setNotice(t('staff.demo.removed', { count: removed }));
          }}
        />
      )}
      {view && draft && (
        <form className="form staff-form" onSubmit={(e) => void save(e)} noValidate>
          <p className="guide">{t('staff.setup.secretStore', { where: t(`staff.setup.secretStores.${view.secretStore}`) })}</p>
          <fieldset className="staff-fieldset">
            <legend>{t('staff.setup.basics')}</legend>
            {deployField('kioskId', t('staff.setup.kioskIdHint'))}
            {view.mode.source === 'env' ? (
              <Field id="setup-mode" name="mode" label={labels.mode} value={t(`staff.setup.modes.${view.mode.value}`)} readOnly hint={t('staff.setup.envNote', { name: envName.mode })} />
            ) : (
              <SelectField id="setup-mode" label={labels.mode} value={draft.mode} options={(['kiosk', 'staff'] as const).map((m) => ({ value: m, label: t(`staff.setup.modes.${m}`) }))} onChange={(mode) => setDraft((d) => d && { ...d, mode })} />
            )}
            <Field id="setup-supportEmail" name="supportEmail" type="email" label={labels.supportEmail} value={draft.supportEmail} onChange={set('supportEmail')} error={fieldErrors.supportEmail} autoComplete="off" />
            {deployField('publicUrl', t('staff.setup.publicUrlHint'), 'url')}
          </fieldset>

          <fieldset className="staff-fieldset">
            <legend>{t('staff.setup.smtp')}</legend>
            {deployField('smtpUrl', t('staff.setup.smtpUrlHint'), 'url')}
            {passwordField('smtpPassword', view.smtpPasswordSet, 'smtpUrl')}
            {deployField('mailFrom')}
            <Field id="setup-test-to" name="to" type="email" label={labels.to} value={testTo} onChange={(e) => setTestTo(e.target.value)} error={fieldErrors.to} autoComplete="off" />
            <div className="staff-buttons">
              <button data-call="ops.testMail" type="button" className="button button--secondary" disabled={pending} onClick={() => void testMail()}>
                {t('staff.setup.testMail')}
              </button>
            </div>
            {mailResult && (
              <p className={mailResult.ok ? 'staff-notice' : 'staff-probe-failed'} role={mailResult.ok ? 'status' : 'alert'} data-testid="test-mail-result">
                {mailResult.ok
                  ? t('staff.setup.testMailOk', { ms: mailResult.ms })
                  : t('staff.setup.testMailFailed', { code: mailResult.error?.code ?? '?', reason: t(`staff.setup.mailFailure.${mailFailureKind(mailResult.error?.code, mailResult.error?.responseCode, mailResult.error?.noGreeting)}`) })}
              </p>
            )}
          </fieldset>

          <fieldset className="staff-fieldset">
            <legend>{t('staff.setup.central')}</legend>
            {deployField('centralUrl', t('staff.setup.centralUrlHint'), 'url')}
            {passwordField('centralPassword', view.centralPasswordSet, 'centralUrl')}
            <div className="staff-buttons">
              <button data-call="ops.testCentral" type="button" className="button button--secondary" disabled={pending} onClick={() => void testCentral()}>
                {t('staff.setup.testCentral')}
              </button>
            </div>
            {centralResult && (
              <div role={centralResult.ok ? 'status' : 'alert'} data-testid="test-central-result">
                {centralResult.ok ? (
                  <>
                    <p className="staff-notice">{t('staff.setup.testCentralOk', { ms: centralResult.ms })}</p>
                    <dl className="staff-dl">
                      <dt>{t('staff.setup.serverVersion')}</dt>
                      <dd>{centralResult.serverVersion ?? '—'}</dd>
                      <dt>{t('staff.setup.schemaVersion')}</dt>
                      <dd>{centralResult.schemaVersion ?? t('staff.setup.schemaMissing')}</dd>
                      <dt>{t('staff.setup.tls')}</dt>
                      <dd>{centralResult.tls ? t('staff.common.yes') : t('staff.common.no')}</dd>
                    </dl>
                  </>
                ) : (
                  <p className="staff-probe-failed">{t('staff.setup.testCentralFailed', { code: centralResult.error?.code ?? '?', reason: t(`staff.sync.failure.${centralFailureKind(centralResult.error?.code)}`) })}</p>
                )}
              </div>
            )}
          </fieldset>

          <PrinterSetup value={draft.printerName} onChange={(printerName) => setDraft((d) => d && { ...d, printerName })} error={fieldErrors.printerName} />

          <div className="actions">
            <button data-call="ops.setup.save" type="submit" className="button button--primary" disabled={pending}>
              {t('staff.setup.save')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
