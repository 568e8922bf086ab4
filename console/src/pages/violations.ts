import { Loaded, Time } from '../components/index.js';
import { corpPath, useConsole, useGet } from '../context.js';
import { highlight, termsOf } from '../highlight.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import type { CaseView, Evidence, Violation } from '../views.js';

/** A member's violations, newest first, each with its evidence and the text read, terms marked. */
export function Violations({ violations }: { violations: readonly Violation[] }) {
  const { t } = useI18n();
  if (violations.length === 0) return html`<p>${t('none')}</p>`;
  const newestFirst = [...violations].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return html`<ol class="violations">
    ${newestFirst.map((v) => html`<li key=${v.id}><${ViolationItem} violation=${v} /></li>`)}
  </ol>`;
}

function ViolationItem({ violation }: { violation: Violation }) {
  const { t } = useI18n();
  return html`<article class="violation" aria-label=${translateId(t, 'category', violation.category)}>
    <h3>${translateId(t, 'category', violation.category)} · ${violation.rule}</h3>
    <p>
      <${Time} at=${violation.at} /> · ${translateId(t, 'status', violation.status)}
      ${violation.penalty ? ` · ${translateId(t, 'status', violation.penalty.kind)} (${violation.penalty.scope})` : ''}
    </p>
    <p>${violation.explanation.summary}</p>
    ${
      violation.caseId
        ? html`<${CaseText} caseId=${violation.caseId} evidence=${violation.evidence} />`
        : html`<${Terms} evidence=${violation.evidence} />`
    }
  </article>`;
}

/** The text the case read, every quoted term marked. */
function CaseText({ caseId, evidence }: { caseId: string; evidence: readonly Evidence[] }) {
  const { config } = useConsole();
  const [load] = useGet<CaseView>(corpPath(config, `/cases/${encodeURIComponent(caseId)}`));
  return html`<${Loaded} load=${load}>${(found: CaseView) =>
    found.text
      ? html`<${QuotedText} text=${found.text.text} evidence=${evidence} truncated=${found.text.truncated} />`
      : html`<${Terms} evidence=${evidence} />`}<//>`;
}

/** A text with the evidence's terms marked. */
export function QuotedText(props: { text: string; evidence: readonly Evidence[]; truncated: boolean }) {
  const { t } = useI18n();
  return html`<figure class="quoted">
    <figcaption>${t('evidence.text')}</figcaption>
    <blockquote>${highlight(props.text, termsOf(props.evidence))}${props.truncated ? '…' : ''}</blockquote>
  </figure>`;
}

/** The evidence: quoted terms, counts against thresholds. */
export function Terms({ evidence }: { evidence: readonly Evidence[] }) {
  const { t } = useI18n();
  const terms = termsOf(evidence);
  const counts = evidence.filter((item) => item.type === 'count');
  return html`<div class="evidence">
    ${terms.length > 0 ? html`<p>${t('evidence.terms')}: ${terms.map((term) => html`<mark>${term}</mark>${' '}`)}</p>` : null}
    ${
      counts.length > 0
        ? html`<ul>${counts.map((c) => html`<li>${c.name}: ${c.value} / ${c.threshold}</li>`)}</ul>`
        : null
    }
  </div>`;
}
