/** Input settings by what is typed, so every screen asks for a JSA-ID or an address alike. */

/** Digits pad on touch keyboards; the server folds full-width digits, spaces and hyphens. */
export const jsaIdInput = { inputMode: 'numeric', autoComplete: 'off', placeholder: '00000000000', keyboard: 'digits' } as const;

/**
 * type=text, not email: Chrome rewrites an email input's value (IDN → punycode), and the
 * server must see what was typed to fold full-width ＠ and digits itself.
 */
export const emailInput = { type: 'text', inputMode: 'email', autoComplete: 'off', autoCapitalize: 'off', spellCheck: false, placeholder: 'XXXX@XXX.co.jp', keyboard: 'email' } as const;

/** A password the customer may show (表示する): no capitals or corrections from a touch keyboard. */
export const secretInput = (visible: boolean) => ({ type: visible ? 'text' : 'password', autoCapitalize: 'off', autoCorrect: 'off', spellCheck: false, keyboard: 'password' }) as const;
