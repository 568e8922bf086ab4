/**
 * Review queue (`#/review`, `#/review/<caseId>`). Heading "Review queue" / "审核队列"; the list
 * "Cases to review" (links by case id); the case section "Case <id>"; the reason field labelled
 * "Reason"; buttons "Confirm" (c), "Overturn" (o), "Previous case" (k), "Next case" (j),
 * "Keyboard shortcuts" (?). After a decision the next case opens.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../action.js';
import { Alert, Button, Dialog, Field, Loaded, Section, Status, Time } from '../components/index.js';
import { corpPath, useCan, useConsole, useGet } from '../context.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import { useReady } from '../ready.js';
import { memberHref } from '../router.js';
import type { CaseView } from '../views.js';
import { PageHeading } from './page-heading.js';
import { QuotedText, Terms } from './violations.js';

/** The review queue: open cases oldest first, then expired ones. */
export function ReviewPage({ caseId }: { caseId: string | null }) {
  const { config } = useConsole();
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [open] = useGet<{ cases: CaseView[] }>(corpPath(config, '/cases?status=open&limit=200'), version);
  const [expired] = useGet<{ cases: CaseView[] }>(
    corpPath(config, '/cases?status=expired&limit=200'),
    version,
  );
  useReady(open.state === 'ok');
  const queue = [
    ...(open.state === 'ok' ? open.fetched.data.cases : []),
    ...(expired.state === 'ok' ? expired.fetched.data.cases : []),
  ];
  const selected = caseId ?? queue[0]?.id ?? null;
  const index = queue.findIndex((c) => c.id === selected);
  const go = (id: string | undefined) => {
    if (id) location.hash = `#/review/${encodeURIComponent(id)}`;
  };
  const afterDecision = () => {
    // The next case in the queue as it was: the decided one leaves it.
    const next = queue[index + 1] ?? queue[index - 1];
    setVersion((n) => n + 1);
    if (next && next.id !== selected) go(next.id);
    else location.hash = '#/review';
  };
  return html`<${PageHeading} title=${t('review.title')} />
    <div class="review">
      <nav aria-label=${t('review.list')} class="queue">
        <h2>${t('review.list')}</h2>
        <${Loaded} load=${open}>${() =>
          queue.length === 0
            ? html`<p>${t('review.empty')}</p>`
            : html`<ol>
                ${queue.map(
                  (c) => html`<li key=${c.id}>
                    <a href=${`#/review/${encodeURIComponent(c.id)}`} aria-current=${c.id === selected ? 'page' : undefined}>
                      ${translateId(t, 'category', c.category)} · ${c.userId ?? t('review.enterprise')}
                    </a>
                    <div class="small">${translateId(t, 'status', c.status)} · <${Time} at=${c.openedAt} /></div>
                  </li>`,
                )}
              </ol>`}<//>
      </nav>
      ${
        selected
          ? html`<${CaseDetail}
              key=${selected}
              caseId=${selected}
              onDecided=${afterDecision}
              onPrevious=${() => go(queue[index - 1]?.id)}
              onNext=${() => go(queue[index + 1]?.id)}
            />`
          : null
      }
    </div>`;
}

/** Whether a key press belongs to a field being typed in (shortcuts never act then). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function CaseDetail(props: {
  caseId: string;
  onDecided: () => void;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const { config, reviewer } = useConsole();
  const { t } = useI18n();
  const canDecide = useCan('decide');
  const [load] = useGet<CaseView>(corpPath(config, `/cases/${encodeURIComponent(props.caseId)}`));
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const action = useAction();
  const state = useRef({ reason, busy: action.busy });
  state.current = { reason, busy: action.busy };
  const decide = (decision: 'confirm' | 'overturn') => {
    if (state.current.busy) return;
    if (!state.current.reason.trim()) {
      setMissing(t('review.reasonRequired'));
      document.getElementById('case-reason')?.focus();
      return;
    }
    setMissing(null);
    const path = corpPath(config, `/cases/${encodeURIComponent(props.caseId)}/decision`);
    void action.run(path, { decision, reviewer, reason: state.current.reason.trim() }, props.onDecided);
  };
  const handlers = useRef(props);
  handlers.current = props;
  const decideRef = useRef(decide);
  decideRef.current = decide;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('dialog[open]') && event.key !== '?') return;
      const acts: Record<string, () => void> = {
        j: () => handlers.current.onNext(),
        k: () => handlers.current.onPrevious(),
        '?': () => setHelp((shown) => !shown),
      };
      if (canDecide) {
        acts.c = () => decideRef.current('confirm');
        acts.o = () => decideRef.current('overturn');
      }
      const act = acts[event.key];
      if (!act) return;
      event.preventDefault();
      act();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [canDecide]);
  return html`<div class="case">
    <${Loaded} load=${load}>${(c: CaseView) => html`
      <${Section} id="case-heading" title=${t('review.case', { id: c.id })}>
        <dl class="facts">
          <dt>${t('category')}</dt><dd>${translateId(t, 'category', c.category)} · ${c.rule}</dd>
          <dt>${t('member.id')}</dt><dd>${c.userId ? html`<a href=${memberHref(c.userId)}>${c.userId}</a>` : t('review.enterprise')}</dd>
          <dt>${t('appeal.status')}</dt><dd>${translateId(t, 'status', c.status)}</dd>
          <dt>${t('review.opened')}</dt><dd><${Time} at=${c.openedAt} /></dd>
          <dt>${t('case.reviewBy')}</dt><dd><${Time} at=${c.reviewBy} /></dd>
        </dl>
        <p>${c.summary}</p>
        ${c.text ? html`<${QuotedText} text=${c.text.text} evidence=${c.evidence} truncated=${c.text.truncated} />` : null}
        <${Terms} evidence=${c.evidence} />
        ${
          c.decision
            ? html`<p>${t('review.decided', { decision: translateId(t, 'status', c.decision.decision), reviewer: c.decision.reviewer, reason: c.decision.reason })}</p>`
            : canDecide
              ? html`<form class="decide" onSubmit=${(e: Event) => e.preventDefault()}>
                  <${Field} id="case-reason" label=${t('review.reason')} value=${reason} onInput=${setReason} multiline required />
                  <div class="actions">
                    <${Button} kind="danger" keyshortcut="c" disabled=${action.busy} onClick=${() => decide('confirm')}>${t('action.confirm')}<//>
                    <${Button} kind="primary" keyshortcut="o" disabled=${action.busy} onClick=${() => decide('overturn')}>${t('action.overturn')}<//>
                  </div>
                </form>`
              : null
        }
      <//>`}<//>
    <div class="actions">
      <${Button} keyshortcut="k" onClick=${props.onPrevious}>${t('action.previous')}<//>
      <${Button} keyshortcut="j" onClick=${props.onNext}>${t('action.next')}<//>
      <${Button} keyshortcut="?" onClick=${() => setHelp(true)}>${t('action.shortcuts')}<//>
    </div>
    <${Alert} message=${action.error ?? missing} />
    <${Status} message=${null} />
    <${Dialog} title=${t('action.shortcuts')} open=${help} onClose=${() => setHelp(false)}>
      <dl class="facts">
        <dt><kbd>c</kbd></dt><dd>${t('action.confirm')}</dd>
        <dt><kbd>o</kbd></dt><dd>${t('action.overturn')}</dd>
        <dt><kbd>j</kbd></dt><dd>${t('action.next')}</dd>
        <dt><kbd>k</kbd></dt><dd>${t('action.previous')}</dd>
        <dt><kbd>?</kbd></dt><dd>${t('action.shortcuts')}</dd>
      </dl>
    <//>
  </div>`;
}
