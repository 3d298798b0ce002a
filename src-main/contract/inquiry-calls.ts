import { z } from 'zod';
import {
  addressField,
  companyField,
  departmentField,
  optionalPersonNameField,
  personNameField,
  phoneField,
  postalCodeField,
} from './contact-fields';
import { defineCall } from './define-call';
import { emailField, localeSchema } from './fields';

export const inquiryKinds = ['jsa_id_unknown', 'contact_change'] as const;
export type InquiryKind = (typeof inquiryKinds)[number];

/** What the customer is told: the reference to quote, never whether anything matched. */
const receipt = z.object({
  reference: z.string(),
  kind: z.enum(inquiryKinds),
  maskedReplyEmail: z.string(),
});

/**
 * The seed's two "send us an e-mail" cases as kiosk forms. Both land in the staff queue
 * (`inquiries`), where staff compare them with the registered account.
 */
export const inquiryCalls = {
  /** JSA-ID 不明: 「ご住所・会社名・部署名・お名前・電話番号・お分かりの場合は前任者名」 and where to answer. */
  'inquiry.jsaIdUnknown': defineCall({
    role: 'public',
    input: z.object({
      postalCode: postalCodeField,
      address: addressField,
      company: companyField,
      department: departmentField,
      name: personNameField,
      phone: phoneField,
      predecessorName: optionalPersonNameField,
      email: emailField,
      locale: localeSchema.default('ja'),
    }),
    output: receipt,
  }),

  /** 前任者退職: 「ご住所・会社名・部署名・前任者名・新しいご担当者の氏名・電話番号・メールアドレス」. */
  'inquiry.contactChange': defineCall({
    role: 'public',
    input: z.object({
      postalCode: postalCodeField,
      address: addressField,
      company: companyField,
      department: departmentField,
      predecessorName: personNameField,
      newContactName: personNameField,
      phone: phoneField,
      email: emailField,
      locale: localeSchema.default('ja'),
    }),
    output: receipt,
  }),
};
