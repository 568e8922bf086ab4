import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { Alert, Button, Dialog, Loaded } from '../components/index.js';
import { useConsole, useGet } from '../context.js';
import { formatTime } from '../format.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import type { PolicyView, Violation } from '../views.js';

/**
 * Files an appeal (dialog "File an appeal", button "Submit appeal"): a member's names the violation
 * it contests; the enterprise's (no userId) lists the documents the policy requires, each to be ticked.
 */
export function AppealForm(props: {
  open: boolean;
  userId: string | null;
  violations: readonly Violation[];
  onClose: () => void;
  onFiled: () => void;
}) {
  const { t } = useI18n();
  return html`<${Dialog} title=${t('appeal.fileTitle')} open=${props.open} onClose=${props.onClose}>
    <${AppealFields} ...${props} />
  <//>`;
}

function AppealFields(props: {
  userId: string | null;
  violations: readonly Violation[];
  onFiled: () => void;
}) {
  const { config, timeZone } = useConsole();
  const { t, lang } = useI18n();
  const action = useAction();
  const [policy] = useGet<PolicyView>(`/policy?corpId=${encodeURIComponent(config.corpId)}`);
  const [violationId, setViolationId] = useState(props.violations[0]?.id ?? '');
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const submit = (documents: readonly string[]) => (event: Event) => {
    event.preventDefault();
    const body = props.userId
      ? { corpId: config.corpId, userId: props.userId, violationId }
      : { corpId: config.corpId, documents: [...documents] };
    void action.run('/appeals', body, props.onFiled);
  };
  if (props.userId) {
    return html`<form onSubmit=${submit([])}>
      <div class="field">
        <label for="appeal-violation">${t('appeal.violation')} *</label>
        <select id="appeal-violation" required value=${violationId}
          onChange=${(e: Event) => setViolationId((e.currentTarget as HTMLSelectElement).value)}>
          ${props.violations.map(
            (v) =>
              html`<option value=${v.id}>${translateId(t, 'category', v.category)} · ${formatTime(v.at, timeZone, lang)} · ${v.id.slice(0, 8)}</option>`,
          )}
        </select>
      </div>
      <${Alert} message=${action.error} />
      <${Button} type="submit" kind="primary" disabled=${action.busy || !violationId}>${t('action.submitAppeal')}<//>
    </form>`;
  }
  return html`<${Loaded} load=${policy}>${(p: PolicyView) => {
    const documents = p.appeals.enterpriseDocuments;
    const toggle = (doc: string) => {
      const next = new Set(ticked);
      if (next.has(doc)) next.delete(doc);
      else next.add(doc);
      setTicked(next);
    };
    return html`<form onSubmit=${submit(documents)}>
      <fieldset>
        <legend>${t('appeal.documents')}</legend>
        ${documents.map(
          (doc) => html`<div class="check">
            <input type="checkbox" id=${`doc-${doc}`} checked=${ticked.has(doc)} onChange=${() => toggle(doc)} />
            <label for=${`doc-${doc}`}>${translateId(t, 'document', doc)}</label>
          </div>`,
        )}
      </fieldset>
      <${Alert} message=${action.error} />
      <${Button} type="submit" kind="primary" disabled=${action.busy || documents.some((d) => !ticked.has(d))}>
        ${t('action.submitAppeal')}
      <//>
    </form>`;
  }}<//>`;
}
