import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { endsSession, type MypageNav } from './mypage-screens';
import { MypageFormActions } from './MypageFormActions';
import { useSubmit } from '../components/use-submit';

interface ContactNamePageProps extends MypageNav {
  currentName: string;
  onNameChanged: (name: string) => void;
}

/** 担当者名の変更: one field, one button; the header shows the new name at once. */
export function ContactNamePage({ currentName, onNameChanged, onDone, onSessionEnded }: ContactNamePageProps) {
  const { t } = useTranslation();
  const api = useApi();
  const { register, handleSubmit } = useForm<{ contactName: string }>({ defaultValues: { contactName: '' } });
  const fields = { contactName: { id: 'mypage-contact-name', label: t('mypage.nameForm.field') } };
  const form = useSubmit({ fields, handled: endsSession(onSessionEnded) });
  const { described } = form;

  const submit = handleSubmit(async (values) => {
    const result = await form.run(() => api.call('mypage.changeContactName', values));
    if (!result) return;
    onNameChanged(result.contactName);
    onDone('name');
  });

  return (
    <>
      <PageHeading>{t('mypage.nameForm.heading')}</PageHeading>
      {described && <ErrorSummary described={described} attempt={form.attempt} />}
      <p className="lead">{t('mypage.nameForm.current', { name: currentName })}</p>
      <form className="form" noValidate onSubmit={submit} onChange={form.onFormChange}>
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
        <MypageFormActions pending={form.pending} label={t('mypage.nameForm.submit')} onBack={() => onDone()} />
      </form>
    </>
  );
}
