/**
 * Policy (`#/policy`, read-only). Heading "Policy" / "策略"; sections "In force", "Rule 1 ladder",
 * "Enforcement by category", "Thresholds", "This corp's overrides".
 */
import { Loaded, Section, Table } from '../components/index.js';
import { useConsole, useGet } from '../context.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import { useReady } from '../ready.js';
import type { PolicyView } from '../views.js';
import { PageHeading } from './page-heading.js';

const SHOWN_APART = new Set(['version', 'corpId', 'timeZone', 'r1', 'enforcement', 'appeals']);

/** Every leaf of a JSON value, by its dotted path. */
function leaves(value: unknown, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      for (const [path, text] of leaves(inner, prefix ? `${prefix}.${key}` : key)) found.set(path, text);
    }
  } else found.set(prefix, JSON.stringify(value));
  return found;
}

/** The policy in force for the corp, and what its overrides change against the default. */
export function PolicyPage() {
  const { config } = useConsole();
  const { t } = useI18n();
  const [base] = useGet<PolicyView>('/policy');
  const [corp] = useGet<PolicyView>(`/policy?corpId=${encodeURIComponent(config.corpId)}`);
  useReady(corp.state === 'ok');
  return html`<${PageHeading} title=${t('policy.title')} />
    <${Loaded} load=${corp}>${(p: PolicyView) => {
      const thresholds = [
        ...leaves(Object.fromEntries(Object.entries(p).filter(([k]) => !SHOWN_APART.has(k)))),
      ];
      const enforcement = Object.entries(p.enforcement).filter(([, mode]) => typeof mode === 'string');
      return html`
        <${Section} id="policy-heading-force" title=${t('policy.inForce')}>
          <dl class="facts">
            <dt>${t('policy.version')}</dt><dd>${p.version}</dd>
            <dt>${t('policy.timeZone')}</dt><dd>${p.timeZone}</dd>
          </dl>
        <//>
        <${Section} id="policy-heading-ladder" title=${t('member.ladder')}>
          <ol class="ladder">
            <li>${t('ladder.first', { duration: p.r1.firstSuspension.iso })}</li>
            <li>${t('ladder.second', { duration: p.r1.secondSuspension.iso })}</li>
            <li>${t('ladder.ban')}</li>
          </ol>
          <p>${t('policy.autoApprove')}: ${p.r1.autoApproveUnblock ? t('yes') : t('no')}</p>
        <//>
        <${Section} id="policy-heading-modes" title=${t('policy.enforcement')}>
          <${Table}
            caption=${t('policy.enforcement')}
            headers=${[t('category'), t('policy.mode')]}
            rows=${enforcement.map(([category, mode]) => [translateId(t, 'category', category), translateId(t, 'status', `mode-${String(mode)}`)])}
            empty=${t('none')}
          />
        <//>
        <${Section} id="policy-heading-thresholds" title=${t('policy.thresholds')}>
          <${Table}
            caption=${t('policy.thresholds')}
            headers=${[t('policy.setting'), t('policy.value')]}
            rows=${thresholds.map(([path, value]) => [html`<code>${path}</code>`, value])}
            empty=${t('none')}
          />
        <//>
        <${Section} id="policy-heading-overrides" title=${t('policy.overrides')}>
          <${Loaded} load=${base}>${(d: PolicyView) => html`<${Overrides} base=${d} corp=${p} />`}<//>
        <//>`;
    }}<//>`;
}

function Overrides({ base, corp }: { base: PolicyView; corp: PolicyView }) {
  const { t } = useI18n();
  const ignore = new Set(['corpId']);
  const before = leaves(Object.fromEntries(Object.entries(base).filter(([k]) => !ignore.has(k))));
  const after = leaves(Object.fromEntries(Object.entries(corp).filter(([k]) => !ignore.has(k))));
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((path) => before.get(path) !== after.get(path))
    .map((path) => [html`<code>${path}</code>`, before.get(path) ?? '—', after.get(path) ?? '—']);
  return html`<${Table}
    caption=${t('policy.overrides')}
    headers=${[t('policy.setting'), t('policy.default'), t('policy.corp')]}
    rows=${changed}
    empty=${t('policy.noOverrides')}
  />`;
}
