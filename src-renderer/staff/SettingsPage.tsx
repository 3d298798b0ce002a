import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../i18n/setup';
import { codeLabel, settingLabels, type CallOutput, type SettingKey } from '../../src-main/contract';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useSubmit } from '../components/use-submit';
import { useStaff } from './staff-session';
import { CallAlert, Notice, useLoad } from './ui';

type Settings = CallOutput<'staff.settings.get'>['settings'];
type Policy = Settings['passwordPolicy'];
type Limits = Settings['limits'];

const policyNumbers = ['minLength', 'maxLength', 'historyCount'] as const;
const policyFlags = ['requireLower', 'requireUpper', 'requireDigit', 'requireSymbol'] as const;
const lifetimeNumbers = ['codeLifetimeMinutes', 'staffCodeLifetimeHours', 'idleTimeoutSeconds', 'customerSessionMinutes', 'staffSessionMinutes', 'customerSessionMaxHours', 'staffSessionMaxHours'] as const;
const limitNumbers = ['perAccountPerHour', 'perEmailPerHour', 'perKioskPerHour', 'resendCooldownSeconds', 'maxCodeAttempts', 'maxFailuresPerDay', 'maxLoginFailures'] as const;

/**
 * RuntimeSettings for admins. The server validates (zod, with bounds that keep a protection
 * from being switched off) and audits each changed key; the kiosk id is an environment
 * setting and shown read-only.
 */
export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const { call, reloadMe } = useStaff();
  // The fields' words are the settings' own (contract/setting-labels.ts): the audit log names a change with them too.
  const label = (key: SettingKey) => codeLabel(settingLabels, key, currentLocale(i18n));
  const loaded = useLoad(() => call('staff.settings.get', {}), []);
  const [draft, setDraft] = useState<Settings | undefined>();
  // The settings this screen shows, as the server named them: a save on older ones is refused.
  const [revision, setRevision] = useState('');
  const [notice, setNotice] = useState('');
  const { error, attempt, pending, run } = useSubmit({
    // Another admin saved since this screen was loaded: the refusal stays on screen and the
    // form shows their settings, so nothing of theirs is put back by a second press.
    handled: (e) => {
      if (e.code === 'CONFLICT' && e.params?.reason === 'settings-changed') loaded.reload();
      return false;
    },
  });
  useEffect(() => {
    if (!loaded.data) return;
    setDraft(loaded.data.settings);
    setRevision(loaded.data.revision);
  }, [loaded.data]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    setNotice('');
    const saved = await run(() => call('staff.settings.update', { settings: draft, revision }));
    if (saved) {
      setDraft(saved.settings);
      setRevision(saved.revision);
      setNotice(t('staff.settings.saved'));
      // The staff login's length may have changed: the idle warning counts with the new one.
      void reloadMe().catch(() => undefined);
    }
  };

  const num = (value: string) => (value.trim() === '' ? Number.NaN : Number(value));
  const setPolicy = <K extends keyof Policy>(key: K, value: Policy[K]) => setDraft((d) => d && { ...d, passwordPolicy: { ...d.passwordPolicy, [key]: value } });
  const setLimit = <K extends keyof Limits>(key: K, value: Limits[K]) => setDraft((d) => d && { ...d, limits: { ...d.limits, [key]: value } });
  const labels = Object.fromEntries(
    [...policyNumbers.map((k) => [`passwordPolicy.${k}`, k] as const), ...limitNumbers.map((k) => [`limits.${k}`, k] as const), ...lifetimeNumbers.map((k) => [`settings.${k}`, k] as const), ['settings.supportEmail', 'supportEmail'] as const].map(
      ([path, key]) => [path, label(key)],
    ),
  );

  return (
    <>
      <PageHeading>{t('staff.settings.heading')}</PageHeading>
      <p className="lead">{t('staff.settings.lead')}</p>
      <CallAlert key={attempt} error={loaded.error ?? error} labels={labels} />
      <Notice>{notice}</Notice>
      {draft && loaded.data && (
        <form className="form staff-form" onSubmit={(e) => void save(e)} noValidate>
          <Field id="set-kiosk" name="kioskId" label={t('staff.settings.kioskId')} value={loaded.data.kioskId} readOnly />
          <fieldset className="staff-fieldset">
            <legend>{label('passwordPolicy')}</legend>
            {policyNumbers.map((k) => (
              <Field key={k} id={`set-${k}`} name={k} type="number" inputMode="numeric" label={label(k)} value={String(draft.passwordPolicy[k])} onChange={(e) => setPolicy(k, num(e.target.value))} />
            ))}
            {policyFlags.map((k) => (
              <div key={k} className="staff-check">
                <input id={`set-${k}`} type="checkbox" checked={draft.passwordPolicy[k]} onChange={(e) => setPolicy(k, e.target.checked)} />
                <label htmlFor={`set-${k}`}>{label(k)}</label>
              </div>
            ))}
          </fieldset>
          <fieldset className="staff-fieldset">
            <legend>{t('staff.settings.lifetimes')}</legend>
            {lifetimeNumbers.map((k) => (
              <Field key={k} id={`set-${k}`} name={k} type="number" inputMode="numeric" label={label(k)} value={String(draft[k])} onChange={(e) => setDraft((d) => d && { ...d, [k]: num(e.target.value) })} />
            ))}
          </fieldset>
          <fieldset className="staff-fieldset">
            <legend>{label('limits')}</legend>
            {limitNumbers.map((k) => (
              <Field key={k} id={`set-${k}`} name={k} type="number" inputMode="numeric" label={label(k)} value={String(draft.limits[k])} onChange={(e) => setLimit(k, num(e.target.value))} />
            ))}
          </fieldset>
          <fieldset className="staff-fieldset">
            <legend>{t('staff.settings.other')}</legend>
            <Field id="set-supportEmail" name="supportEmail" type="email" label={label('supportEmail')} value={draft.supportEmail} onChange={(e) => setDraft((d) => d && { ...d, supportEmail: e.target.value })} />
            <div className="staff-check">
              <input id="set-uniform" type="checkbox" checked={draft.uniformResponses} onChange={(e) => setDraft((d) => d && { ...d, uniformResponses: e.target.checked })} />
              <label htmlFor="set-uniform">{label('uniformResponses')}</label>
            </div>
          </fieldset>
          <div className="actions">
            <button data-call="staff.settings.update" type="submit" className="button button--primary" disabled={pending}>
              {t('staff.settings.save')}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
