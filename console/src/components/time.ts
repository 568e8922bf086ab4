import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../context.js';
import { formatDuration, formatTime } from '../format.js';
import { html } from '../html.js';
import { useI18n } from '../i18n/i18n.js';

/** A time in the corp's time zone; a dash for none. */
export function Time({ at }: { at: string | null | undefined }) {
  const { timeZone } = useConsole();
  const { lang } = useI18n();
  if (!at) return html`<span>—</span>`;
  return html`<time datetime=${at}>${formatTime(at, timeZone, lang)}</time>`;
}

/**
 * A live countdown to `until`, by the server's clock: local mode's clock may be far from the
 * browser's, so it counts from until − asOf, minus the time since the view arrived.
 */
export function Countdown({ until, asOf, receivedAt }: { until: string; asOf: string; receivedAt: number }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Date.parse(until) - Date.parse(asOf) - (now - receivedAt);
  return html`<span class="countdown">
    <${Time} at=${until} />${' '}
    <span class="remaining">(${left > 0 ? t('countdown.left', { left: formatDuration(left) }) : t('countdown.due')})</span>
  </span>`;
}
