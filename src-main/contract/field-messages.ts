import type { FieldIssue } from './errors';

/**
 * The words for the field checks every form shares (fields.ts), in the two languages. The
 * renderer's message table (errors.field in src-renderer/i18n) spreads these, and the main
 * process says the same sentences where no screen is in between: the account import's
 * rejected rows read 「JSA-ID は 11 桁です。いま 4 桁入力されています。」 as the form does.
 */
interface FieldMessages {
  required: string;
  tooLong: string;
  /** A number below or above what the setting allows (zod's bounds on numbers). */
  tooSmall: string;
  tooLarge: string;
  invalid: string;
  controlCharacters: string;
  pictographs: string;
  /** `<` or `>` in a name, company, department or address (contact-normalize.ts textProblem). */
  markup: string;
  /** A person's name (personNameField, and the account import's contact_name). */
  personName: { link: string };
  jsaId: { empty: string; length: string; 'not-digits': string };
  email: { format: string; notAscii: string };
  code: { length: string; format: string };
}

export const fieldMessagesJa: FieldMessages = {
  required: '{{field}}を入力してください。',
  tooLong: '{{field}}は {{max}} 文字以内で入力してください。',
  tooSmall: '{{field}}は {{min}} 以上にしてください。',
  tooLarge: '{{field}}は {{max}} 以下にしてください。',
  invalid: '{{field}}の入力内容を確認してください。',
  controlCharacters: '{{field}}に使えない文字が含まれています。',
  pictographs: '{{field}}に絵文字は使えません。',
  markup: '{{field}}に「<」「>」は使えません。',
  personName: {
    link: '{{field}}に URL やメールアドレスは入力できません。お名前だけを入力してください。',
  },
  jsaId: {
    empty: 'JSA-ID を入力してください。',
    length: 'JSA-ID は 11 桁です。いま {{digits}} 桁入力されています。',
    'not-digits': 'JSA-ID は数字で入力してください。',
  },
  email: {
    format: 'メールアドレスの形式が正しくありません（例：XXXX@XXX.co.jp）。',
    notAscii: 'メールアドレスには半角の英数字と記号だけが使えます（日本語のドメインは xn-- で始まる形で入力してください）。',
  },
  code: {
    length: '{{field}}は {{expected}} 文字です。いま {{length}} 文字入力されています。',
    format: '{{field}}に使われない文字が含まれています。メールに書かれた英数字をご確認ください。',
  },
};

export const fieldMessagesEn: FieldMessages = {
  required: 'Please enter {{field}}.',
  tooLong: '{{field}} must be at most {{max}} characters.',
  tooSmall: '{{field}} must be at least {{min}}.',
  tooLarge: '{{field}} must be at most {{max}}.',
  invalid: 'Please check {{field}}.',
  controlCharacters: '{{field}} contains characters that cannot be used.',
  pictographs: 'Emoji cannot be used in {{field}}.',
  markup: '{{field}} cannot contain “<” or “>”.',
  personName: {
    link: '{{field}} cannot contain a web or e-mail address. Please enter the name only.',
  },
  jsaId: {
    empty: 'Please enter your JSA-ID.',
    length: 'A JSA-ID has 11 digits. You entered {{digits}}.',
    'not-digits': 'Please enter the JSA-ID in digits.',
  },
  email: {
    format: 'The email address is not in a valid form (for example XXXX@XXX.co.jp).',
    notAscii: 'An email address may hold only ASCII letters, digits and symbols (write a domain in Japanese in its xn-- form).',
  },
  code: {
    length: '{{field}} has {{expected}} characters. You entered {{length}}.',
    format: '{{field}} contains a character that codes never use. Please check the letters and digits in the mail.',
  },
};

type Tree = { readonly [key: string]: string | Tree };

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = Object.hasOwn(node, part) ? node[part] : undefined;
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * One field issue in words without i18next (the main process): the same table and the same
 * {{name}} placeholders; an unknown code reads as 'invalid', as on the screens.
 */
export function fieldIssueText(locale: 'ja' | 'en', issue: FieldIssue, fieldLabel: string): string {
  const table = (locale === 'ja' ? fieldMessagesJa : fieldMessagesEn) as unknown as Tree;
  const template = lookup(table, issue.code) ?? (table.invalid as string);
  const params: Record<string, string | number> = { ...(issue.params ?? {}), field: fieldLabel };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
