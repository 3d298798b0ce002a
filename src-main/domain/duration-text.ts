/**
 * A lifetime or a wait in the largest natural unit: 30 分, 24 時間, 2 日, 1 時間 30 分 (and
 * the English). One day is said as 24 時間: a counter's code lifetimes top out there and the
 * customer reads "24 時間" as "until this time tomorrow"; whole days start at 2 日.
 */
export type DurationLocale = 'ja' | 'en';

export interface DurationPart {
  value: number;
  unit: 'day' | 'hour' | 'minute';
}

export function durationParts(totalMinutes: number): DurationPart[] {
  const minutes = Math.max(0, Math.round(totalMinutes));
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) return [{ value: minutes / 1440, unit: 'day' }];
  if (minutes >= 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? [{ value: hours, unit: 'hour' }] : [{ value: hours, unit: 'hour' }, { value: rest, unit: 'minute' }];
  }
  return [{ value: minutes, unit: 'minute' }];
}

const ja = { day: '日', hour: '時間', minute: '分' } as const;
const en = { day: ['day', 'days'], hour: ['hour', 'hours'], minute: ['minute', 'minutes'] } as const;

export function formatDuration(totalMinutes: number, locale: DurationLocale): string {
  return durationParts(totalMinutes)
    .map(({ value, unit }) => (locale === 'ja' ? `${value} ${ja[unit]}` : `${value} ${en[unit][value === 1 ? 0 : 1]}`))
    .join(' ');
}
