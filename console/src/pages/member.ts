/**
 * Member page (`#/members/<userId>`). Heading "Member <userId>" / "成员 <userId>"; sections:
 * "Standing", "Rule 1 ladder", "Violations", "Audit timeline", "Appeals", "Open cases".
 * Buttons (admins): "Apply for unblocking", "File appeal" (dialog "File an appeal", button "Submit appeal");
 * per open appeal (reviewers, admins): "Approve", "Reject".
 */
import { useState } from 'preact/hooks';
import { useAction } from '../action.js';
import {
  Alert,
  Badge,
  Button,
  Countdown,
  Loaded,
  Section,
  Status,
  Table,
  Time,
} from '../components/index.js';
import { corpPath, useCan, useConsole, useGet } from '../context.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import { useReady } from '../ready.js';
import type { Appeal, AuditEntry, CaseView, MemberView, PolicyView, Violation } from '../views.js';
import { AppealDecision } from './appeal-decision.js';
import { AppealForm } from './appeal-form.js';
import { PageHeading } from './page-heading.js';
import { Violations } from './violations.js';

/** A member's page. */
export function MemberPage({ userId }: { userId: string }) {
  const { config } = useConsole();
  const { t } = useI18n();
  const base = corpPath(config, `/members/${encodeURIComponent(userId)}`);
  const [version, setVersion] = useState(0);
  const [member] = useGet<MemberView>(base, version);
  const [violations] = useGet<{ violations: Violation[] }>(`${base}/violations?limit=200`, version);
  const [audit] = useGet<{ audit: AuditEntry[] }>(`${base}/audit?limit=100`, version);
  const [policy] = useGet<PolicyView>(`/policy?corpId=${encodeURIComponent(config.corpId)}`);
  useReady(member.state === 'ok');
  const changed = () => setVersion((n) => n + 1);
  return html`<${PageHeading} title=${t('member.title', { userId })} />
    <${Loaded} load=${member}>${(view: MemberView, receivedAt: number) => html`
      <${Standing} view=${view} receivedAt=${receivedAt} />
      <${Actions} view=${view} violations=${violations.state === 'ok' ? violations.fetched.data.violations : []} onChange=${changed} />
      <${Section} id="ladder-heading" title=${t('member.ladder')}>
        <${Loaded} load=${policy}>${(p: PolicyView) => html`<${Ladder} strikes=${view.strikes} policy=${p} />`}<//>
      <//>`}<//>
    <${Section} id="violations-heading" title=${t('member.violations')}>
      <${Loaded} load=${violations}>${(data: { violations: Violation[] }) => html`<${Violations} violations=${data.violations} />`}<//>
    <//>
    <${Section} id="audit-heading" title=${t('member.audit')}>
      <${Loaded} load=${audit}>${(data: { audit: AuditEntry[] }) => html`<${Audit} entries=${data.audit} />`}<//>
    <//>
    <${Loaded} load=${member}>${(view: MemberView) => html`
      <${Section} id="appeals-heading" title=${t('member.appeals')}><${Appeals} appeals=${view.appeals} onDecided=${changed} /><//>
      <${Section} id="cases-heading" title=${t('member.cases')}><${OpenCases} cases=${view.openCases} /><//>`}<//>`;
}

function Standing({ view, receivedAt }: { view: MemberView; receivedAt: number }) {
  const { t } = useI18n();
  const until = (at: string | null) =>
    at ? html`<${Countdown} until=${at} asOf=${view.asOf} receivedAt=${receivedAt} />` : t('member.noEnd');
  const reason = (r: MemberView['account']['reason']) =>
    r
      ? `${r.rule} · ${translateId(t, 'category', r.category)}${r.provisional ? ` · ${t('member.provisional')}` : ''}`
      : '';
  return html`<${Section} id="standing-heading" title=${t('member.standing')}>
    <dl class="facts">
      <dt>${t('member.interop')}</dt>
      <dd>
        <${Badge} status=${view.interop.status} label=${translateId(t, 'status', view.interop.status)} />
        ${' '}${reason(view.interop.reason)}
        ${view.interop.status !== 'active' ? html`<div>${t('member.unbanAt')}: ${until(view.interop.until)}</div>` : null}
      </dd>
      <dt>${t('member.account')}</dt>
      <dd><${Badge} status=${view.account.status} label=${translateId(t, 'status', view.account.status)} /> ${reason(view.account.reason)}</dd>
      <dt>${t('member.wechat')}</dt>
      <dd>
        <${Badge} status=${view.linkedWeChat.status} label=${translateId(t, 'status', view.linkedWeChat.status)} />
        ${view.linkedWeChat.restoreAt ? html`<div>${t('member.restoreAt')}: ${until(view.linkedWeChat.restoreAt)}</div>` : null}
      </dd>
      <dt>${t('member.strikes')}</dt><dd>${view.strikes}</dd>
      <dt>${t('overview.asOf')}</dt><dd><${Time} at=${view.asOf} /></dd>
    </dl>
    <${Table}
      caption=${t('member.penalties')}
      headers=${[t('member.penalty'), t('category'), t('member.since'), t('member.until')]}
      rows=${view.penalties.map((p) => [
        `${translateId(t, 'status', p.kind)} (${p.scope}) · ${p.rule}`,
        translateId(t, 'category', p.category),
        html`<${Time} at=${p.since} />`,
        until(p.until),
      ])}
      empty=${t('none')}
    />
  <//>`;
}

/** Rule 1's ladder: first suspension, second suspension, then a ban; the member's place by strikes. */
function Ladder({ strikes, policy }: { strikes: number; policy: PolicyView }) {
  const { t } = useI18n();
  const steps = [
    t('ladder.first', { duration: policy.r1.firstSuspension.iso }),
    t('ladder.second', { duration: policy.r1.secondSuspension.iso }),
    t('ladder.ban'),
  ];
  return html`<p>${t('ladder.position', { strikes })}</p>
    <ol class="ladder">
      ${steps.map(
        (step, index) =>
          html`<li aria-current=${index === strikes - 1 ? 'step' : undefined} class=${index < strikes ? 'reached' : ''}>
            ${step}${index < strikes ? ` ✓ ${t('ladder.reached')}` : ''}
          </li>`,
      )}
    </ol>`;
}

function Audit({ entries }: { entries: readonly AuditEntry[] }) {
  const { t } = useI18n();
  return html`<${Table}
    caption=${t('member.audit')}
    headers=${[t('audit.at'), t('audit.change'), t('audit.cause'), t('audit.policy')]}
    rows=${entries.map((e) => [
      html`<${Time} at=${e.at} />`,
      e.change,
      e.cause ? `${translateId(t, 'cause', e.cause.kind)} (${e.cause.id})` : '—',
      e.policyVersion ?? '—',
    ])}
    empty=${t('none')}
  />`;
}

function Appeals({ appeals, onDecided }: { appeals: readonly Appeal[]; onDecided: () => void }) {
  const { t } = useI18n();
  return html`<${Table}
    caption=${t('member.appeals')}
    headers=${[t('appeal.id'), t('appeal.kind'), t('appeal.status'), t('appeal.filedAt'), t('appeal.decide')]}
    rows=${appeals.map((a) => [
      a.id,
      translateId(t, 'status', `appeal-${a.kind}`),
      html`<${Badge} status=${a.status} label=${translateId(t, 'status', a.status)} />`,
      html`<${Time} at=${a.filedAt} />`,
      html`<${AppealDecision} appeal=${a} onDecided=${onDecided} />`,
    ])}
    empty=${t('none')}
  />`;
}

function OpenCases({ cases }: { cases: readonly CaseView[] }) {
  const { t } = useI18n();
  return html`<${Table}
    caption=${t('member.cases')}
    headers=${[t('case.id'), t('category'), t('case.reviewBy')]}
    rows=${cases.map((c) => [
      html`<a href=${`#/review/${encodeURIComponent(c.id)}`}>${c.id}</a>`,
      translateId(t, 'category', c.category),
      html`<${Time} at=${c.reviewBy} />`,
    ])}
    empty=${t('none')}
  />`;
}

/** The admins' buttons: apply for unblocking (when the member may), file an appeal. */
function Actions(props: { view: MemberView; violations: readonly Violation[]; onChange: () => void }) {
  const { config } = useConsole();
  const { t } = useI18n();
  const can = useCan('administer');
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const [filing, setFiling] = useState(false);
  if (!can) return null;
  const path = corpPath(config, `/members/${encodeURIComponent(props.view.userId)}/unblock-application`);
  const apply = () =>
    action.run(path, {}, () => {
      setDone(t('member.applied'));
      props.onChange();
    });
  return html`<div class="actions" role="group" aria-label=${t('member.actions')}>
    <${Button} kind="primary" disabled=${action.busy || !props.view.interop.canApplyForUnblock} onClick=${apply}>
      ${t('action.applyUnblock')}
    <//>
    <${Button} onClick=${() => setFiling(true)}>${t('action.fileAppeal')}<//>
    <${Alert} message=${action.error} />
    <${Status} message=${done} />
    <${AppealForm}
      open=${filing}
      userId=${props.view.userId}
      violations=${props.violations}
      onClose=${() => setFiling(false)}
      onFiled=${() => {
        setFiling(false);
        setDone(t('appeal.filed'));
        props.onChange();
      }}
    />
  </div>`;
}
