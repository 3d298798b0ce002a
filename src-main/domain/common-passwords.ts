import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The shipped list of common passwords (ASVS V6.2.4 asks for at least the top 3,000; this
 * one, from zxcvbn-ts, holds about 49,000), folded the way we fold what customers type.
 */
let commonSet: ReadonlySet<string> | undefined;

export function isCommonPassword(normalizedPassword: string): boolean {
  commonSet ??= new Set(
    (dictionary['passwords-common'] as readonly string[]).map((p) => p.normalize('NFKC').toLowerCase()),
  );
  return commonSet.has(normalizedPassword.toLowerCase());
}

export function commonPasswordCount(): number {
  isCommonPassword('');
  return commonSet?.size ?? 0;
}
