import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { toCallError, useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { describeError, editedField, useCallErrorState } from '../components/form-errors';
import { PageHeading } from '../components/PageHeading';
import { sessionEnded, type MypageNav } from './mypage-screens';
import { SubmitButton } from '../components/SubmitButton';

interface ContactNamePageProps extends MypageNav {
  currentName: string;
  onNameChanged: (name: string) => void;
}

/** 担当者名の変更: one field, one button; the header shows the new name at once. */
export function ContactNamePage({ currentName, onNameChanged, onDone, onSessionEnded }: ContactNamePageProps) {
  const { t } = useTranslation();
  const api = useApi();
  const { register, handleSubmit } = useForm<{ contactName: string }>({ defaultValues: { contactName: '' } });
  const { error, attempt, fail, edited } = useCallErrorState();
  const [pending, setPending] = useState(false);
  const fields = { contactName: { id: 'mypage-contact-name', label: t('mypage.nameForm.field') } };
  const described = error ? describeError(t, error, fields) : null;

  const submit = handleSubmit(async (values) => {
    setPending(true);
    try {
      const result = await api.call('mypage.changeContactName', values);
      onNameChanged(result.contactName);
      onDone('name');
    } catch (e) {
      const err = toCallError(e);
      if (sessionEnded(err)) onSessionEnded();
      else fail(err);
    } finally {
      setPending(false);
    }
  });

  return (
    <>
      <PageHeading>{t('mypage.nameForm.heading')}</PageHeading>
      {described && <ErrorSummary described={described} attempt={attempt} />}
      <p className="lead">{t('mypage.nameForm.current', { name: currentName })}</p>
      <form className="form" noValidate onSubmit={submit} onChange={(event) => edited(editedField(event))}>
        <Field
          id={fields.contactName.id}
          label={fields.contactName.label}
          required
          hint={t('mypage.nameForm.hint')}
          error={described?.byField.contactName}
          autoComplete="off"
          maxLength={240}
          {...register('contactName')}
        />
        <div className="actions">
          <SubmitButton pending={pending} label={t('mypage.nameForm.submit')} />
          <button type="button" className="button button--secondary" onClick={() => onDone()}>
            {t('mypage.back')}
          </button>
        </div>
      </form>
    </>
  );
}
