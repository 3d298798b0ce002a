import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../src-main/contract';
import { useApi } from '../api/api-context';
import { ContactBlock } from '../components/ContactBlock';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import type { KeyboardLayoutName } from '../keyboard/layouts';
import { PageHeading } from '../components/PageHeading';
import { currentLocale } from '../i18n/setup';
import { SubmitButton } from '../components/SubmitButton';
import { useSubmit } from '../components/use-submit';

export type InquiryReceipt = CallOutput<'inquiry.jsaIdUnknown'>;
export type InquiryKind = InquiryReceipt['kind'];

type FieldName = 'postalCode' | 'address' | 'company' | 'department' | 'name' | 'phone' | 'predecessorName' | 'newContactName' | 'email';
type Values = Record<FieldName, string>;

interface FieldSpec {
  name: FieldName;
  label: string;
  required: boolean;
  hint?: string;
  input?: { inputMode?: 'numeric' | 'tel' | 'email'; autoComplete?: string; placeholder?: string; type?: string; keyboard?: KeyboardLayoutName };
}

const emptyValues: Values = { postalCode: '', address: '', company: '', department: '', name: '', phone: '', predecessorName: '', newContactName: '', email: '' };

/** Browser-side bound only against runaway pastes; the server owns the real limits. */
const MAX_TYPED = 1000;

/**
 * The seed's two "please e-mail us" cases as forms: JSA-ID 不明 and 前任者退職・担当者変更.
 * Labels are the seed's words; the server normalises (width, kana, hyphens) and answers
 * the same receipt whatever the data matches.
 */
export function InquiryPage({ kind, onSubmitted }: { kind: InquiryKind; onSubmitted: (receipt: InquiryReceipt) => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const { register, handleSubmit, reset } = useForm<Values>({ defaultValues: emptyValues });

  const specs: FieldSpec[] = [
    { name: 'postalCode', label: t('inquiry.postalCode'), required: true, hint: t('inquiry.postalCodeHint'), input: { inputMode: 'numeric', placeholder: '000-0000', keyboard: 'tel' } },
    { name: 'address', label: t('inquiry.address'), required: true, hint: t('inquiry.addressHint') },
    { name: 'company', label: t('inquiry.company'), required: true },
    { name: 'department', label: t('inquiry.department'), required: true },
    ...(kind === 'jsa_id_unknown'
      ? [
          { name: 'name', label: t('inquiry.name'), required: true } as FieldSpec,
          { name: 'phone', label: t('inquiry.phone'), required: true, hint: t('inquiry.phoneHint'), input: { inputMode: 'tel', placeholder: '03-1234-5678', keyboard: 'tel' } } as FieldSpec,
          { name: 'predecessorName', label: t('inquiry.predecessorName'), required: false, hint: t('inquiry.predecessorNameOptional') } as FieldSpec,
          { name: 'email', label: t('inquiry.replyEmail'), required: true, hint: t('inquiry.replyEmailHint'), input: { inputMode: 'email', placeholder: 'XXXX@XXX.co.jp', keyboard: 'email' } } as FieldSpec,
        ]
      : [
          { name: 'predecessorName', label: t('inquiry.predecessorName'), required: true } as FieldSpec,
          { name: 'newContactName', label: t('inquiry.newContactName'), required: true } as FieldSpec,
          { name: 'phone', label: t('inquiry.phone'), required: true, hint: t('inquiry.phoneHint'), input: { inputMode: 'tel', placeholder: '03-1234-5678', keyboard: 'tel' } } as FieldSpec,
          { name: 'email', label: t('inquiry.newContactEmail'), required: true, hint: t('inquiry.newContactEmailHint'), input: { inputMode: 'email', placeholder: 'XXXX@XXX.co.jp', keyboard: 'email' } } as FieldSpec,
        ]),
  ];
  const idOf = (name: FieldName) => `inquiry-${name}`;
  const fields = Object.fromEntries(specs.map((s) => [s.name, { id: idOf(s.name), label: s.label }]));
  const form = useSubmit({ fields });
  const { described } = form;

  const submit = handleSubmit(async (v) => {
    const common = { postalCode: v.postalCode, address: v.address, company: v.company, department: v.department, phone: v.phone, email: v.email, locale: currentLocale(i18n) };
    const receipt = await form.run(() =>
      kind === 'jsa_id_unknown'
        ? api.call('inquiry.jsaIdUnknown', { ...common, name: v.name, predecessorName: v.predecessorName })
        : api.call('inquiry.contactChange', { ...common, predecessorName: v.predecessorName, newContactName: v.newContactName }),
    );
    if (!receipt) return;
    // Wiped at once: nothing typed stays on the kiosk once the receipt shows.
    reset(emptyValues);
    onSubmitted(receipt);
  });

  const heading = kind === 'jsa_id_unknown' ? t('inquiry.jsaIdUnknown.heading') : t('inquiry.contactChange.heading');
  return (
    <>
      <PageHeading>{heading}</PageHeading>
      {described && <ErrorSummary described={described} attempt={form.attempt} />}
      {kind === 'jsa_id_unknown' ? (
        <p className="lead">{t('inquiry.jsaIdUnknown.lead')}</p>
      ) : (
        <>
          <p className="lead">{t('inquiry.contactChange.lead')}</p>
          <p className="lead">{t('inquiry.contactChange.lead2')}</p>
        </>
      )}
      <p className="note">{t('inquiry.caution')}</p>
      <p className="guide">{t('inquiry.requiredNote')}</p>
      <p className="note">{t('keyboard.kanaNote')}</p>
      <form className="form" noValidate onSubmit={submit} onChange={form.onFormChange} aria-label={heading}>
        {specs.map((spec) => (
          <Field
            key={spec.name}
            id={idOf(spec.name)}
            label={spec.label}
            required={spec.required}
            hint={spec.hint}
            error={described?.byField[spec.name]}
            type={spec.input?.type ?? 'text'}
            inputMode={spec.input?.inputMode}
            placeholder={spec.input?.placeholder}
            keyboard={spec.input?.keyboard}
            autoComplete="off"
            autoCapitalize={spec.name === 'email' ? 'off' : undefined}
            spellCheck={spec.name === 'email' ? false : undefined}
            maxLength={MAX_TYPED}
            {...register(spec.name)}
          />
        ))}
        <div className="actions">
          <SubmitButton pending={form.pending} label={t('inquiry.submit')} />
        </div>
      </form>
      <ContactBlock />
    </>
  );
}
