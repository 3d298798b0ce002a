import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CODE_LENGTH } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { joinSentences } from '../components/form-errors';
import { PageHeading } from '../components/PageHeading';
import { foldCodeChars } from './code-format';
import { CodeInput } from './CodeInput';
import type { Verified } from './screens';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';

interface CodePageProps {
  /** From the mail's link (/reset/<token> or the deep link); absent at the kiosk. */
  token?: string;
  onVerified: (verified: Verified) => void;
  onRestartRequest: () => void;
}

/** Codes after which the code on screen can never work: offer the way back to the request. */
const deadEnds = new Set(['CODE_EXPIRED', 'CODE_USED', 'REQUEST_VOIDED']);

/**
 * Seed step 5, 変更権限コード. With a link token only the code is asked; at the kiosk the
 * customer also names the account (JSA-ID or email), since there is no link to carry it.
 */
export function CodePage({ token, onVerified, onRestartRequest }: CodePageProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [identifier, setIdentifier] = useState('');
  const [code, setCode] = useState('');

  const fields = {
    identifier: { id: 'code-identifier', label: t('code.identifier') },
    code: { id: 'code-code', label: t('code.code') },
  };
  const form = useSubmit({ fields });
  const { described, error } = form;
  // A wrong code is about the field, so its words also stand beside the field.
  const codeError = described?.byField.code ?? (error?.code === 'CODE_INVALID' ? joinSentences(described?.general ?? [], t) : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = token ? { token, code } : { identifier, code };
    const verified = await form.run(() => api.call('reset.verifyCode', input));
    if (verified) onVerified(verified);
  };

  return (
    <>
      <PageHeading>{t('code.heading')}</PageHeading>
      {described && <ErrorSummary described={described} attempt={form.attempt} />}
      <p className="lead">{token ? t('code.lead') : t('code.leadKiosk')}</p>
      <form className="form" noValidate onSubmit={(event) => void submit(event)} onChange={form.onFormChange}>
        {!token && (
          <Field
            id={fields.identifier.id}
            label={fields.identifier.label}
            required
            hint={t('code.identifierHint')}
            error={described?.byField.identifier}
            name="identifier"
            value={identifier}
            onChange={(event) => setIdentifier(event.target.value)}
            inputMode="email"
            keyboard="email"
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        )}
        <CodeInput
          id={fields.code.id}
          label={fields.code.label}
          required
          hint={t('code.codeHint')}
          live={t('code.progress', { count: Math.min(foldCodeChars(code).length, CODE_LENGTH), total: CODE_LENGTH })}
          announce={false}
          error={codeError}
          value={code}
          onChange={setCode}
        />
        <div className="actions">
          <SubmitButton pending={form.pending} label={t('code.submit')} />
        </div>
      </form>
      {error && (deadEnds.has(error.code) || (error.code === 'CODE_INVALID' && error.params?.via === 'identifier')) && (
        <div className="actions">
          <button type="button" className="button button--secondary" onClick={onRestartRequest}>
            {t('app.restartRequest')}
          </button>
        </div>
      )}
    </>
  );
}
