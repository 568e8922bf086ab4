import { useAction } from '../action.js';
import { Alert, Button } from '../components/index.js';
import { useCan, useConsole } from '../context.js';
import { html } from '../html.js';
import { useI18n } from '../i18n/i18n.js';
import type { Appeal } from '../views.js';

/** "Approve" and "Reject" for an open appeal (reviewers, admins), the server's refusal in an alert. */
export function AppealDecision({
  appeal,
  onDecided,
}: {
  appeal: Appeal;
  onDecided: (approved: boolean) => void;
}) {
  const { reviewer } = useConsole();
  const { t } = useI18n();
  const canDecide = useCan('decide');
  const action = useAction();
  if (!canDecide || appeal.status !== 'open') return html`<span>—</span>`;
  const decide = (approved: boolean) =>
    action.run(`/appeals/${encodeURIComponent(appeal.id)}/decision`, { approved, reviewer }, () =>
      onDecided(approved),
    );
  return html`<span class="actions" role="group" aria-label=${t('appeal.decideOne', { id: appeal.id })}>
    <${Button} kind="primary" disabled=${action.busy} onClick=${() => decide(true)}>${t('action.approve')}<//>
    <${Button} kind="danger" disabled=${action.busy} onClick=${() => decide(false)}>${t('action.reject')}<//>
    <${Alert} message=${action.error} />
  </span>`;
}
