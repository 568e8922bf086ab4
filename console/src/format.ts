import type { Lang } from './i18n/i18n.js';

/** A time in the corp's time zone, in the reader's language (date and time, to the minute). */
export function formatTime(iso: string, timeZone: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** A remaining duration as `1d 02:03:04` (days only when there are some). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(Math.floor((total % 86_400) / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

/** A share (0..1) as a percentage. */
export function formatPercent(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(value);
}

/** A number, to 3 decimals at most. */
export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang, { maximumFractionDigits: 3 }).format(value);
}
