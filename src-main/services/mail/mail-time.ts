import type { Locale } from '../../contract/fields';

const JST = 'Asia/Tokyo';
const jaDateTime = new Intl.DateTimeFormat('ja-JP', { timeZone: JST, dateStyle: 'long', timeStyle: 'short' });
const enDate = new Intl.DateTimeFormat('en-GB', { timeZone: JST, day: 'numeric', month: 'long', year: 'numeric' });
const enTime = new Intl.DateTimeFormat('en-GB', { timeZone: JST, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/**
 * A moment written out for a mail in the mail's language, in JST (the readers are in Japan):
 * 「2026年12月7日 21:41 (JST)」 or "7 December 2026, 21:41 JST". Day before month in English,
 * so no reader takes 12/7 for July.
 */
export function formatMailTime(ms: number, locale: Locale): string {
  if (locale === 'en') return `${enDate.format(ms)}, ${enTime.format(ms)} JST`;
  return `${jaDateTime.format(ms)} (JST)`;
}
