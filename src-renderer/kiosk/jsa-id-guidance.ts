import type { TFunction } from 'i18next';
import { JSA_ID_LENGTH, parseJsaId } from '../../src-main/contract';

/**
 * Live words under the JSA-ID field while typing: the same parse as the server's, so
 * "10 桁入力されています（11 桁必要です）" here means the server would say the same.
 * Guidance only; the server's answer decides.
 */
export function jsaIdGuidance(t: TFunction, value: string): string {
  const parsed = parseJsaId(value);
  if (parsed.ok) return t('forgot.live.ok', { required: JSA_ID_LENGTH });
  if (parsed.reason === 'empty') return '';
  if (parsed.reason === 'not-digits') return t('forgot.live.notDigits');
  return t('forgot.live.length', { digits: parsed.digits, required: JSA_ID_LENGTH });
}
