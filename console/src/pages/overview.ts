/**
 * Corp overview (`#/`). Heading "Corp overview" / "企业概览"; sections (headings): "Enterprise",
 * "Limits and trust", "Contact adds today", "Members by standing", "Measured precision".
 * Member ids link to `#/members/<id>`.
 */
import { Badge, Loaded, Section, Table, Time } from '../components/index.js';
import { corpPath, useConsole, useGet } from '../context.js';
import { formatNumber, formatPercent } from '../format.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import { useReady } from '../ready.js';
import { memberHref } from '../router.js';
import type { CorpView, MemberListed } from '../views.js';
import { PageHeading } from './page-heading.js';

const STANDINGS = ['blocked', 'banned', 'suspended', 'review'] as const;

/** The corp overview page. */
export function OverviewPage() {
  const { config } = useConsole();
  const { t } = useI18n();
  const [corp] = useGet<CorpView>(corpPath(config));
  useReady(corp.state === 'ok');
  return html`<${PageHeading} title=${t('overview.title')} />
    <${Loaded} load=${corp}>${(view: CorpView) => html`<${Corp} view=${view} />`}<//>
    <${Section} id="standing-heading" title=${t('overview.standing')}>
      ${STANDINGS.map((standing) => html`<${MembersByStanding} standing=${standing} key=${standing} />`)}
    <//>`;
}

function Corp({ view }: { view: CorpView }) {
  const { t, lang } = useI18n();
  const perMember = view.limits.contactAddsPerMemberPerDay;
  return html`
    <${Section} id="enterprise-heading" title=${t('overview.enterprise')}>
      <dl class="facts">
        <dt>${t('overview.corp')}</dt><dd>${view.corpId}</dd>
        <dt>${t('overview.account')}</dt>
        <dd><${Badge} status=${view.account.status} label=${translateId(t, 'status', view.account.status)} /></dd>
        <dt>${t('overview.adminAccount')}</dt>
        <dd><${Badge} status=${view.adminAccount.status} label=${translateId(t, 'status', view.adminAccount.status)} /></dd>
        <dt>${t('overview.subjectVerified')}</dt><dd>${view.subjectVerified ? t('yes') : t('no')}</dd>
        <dt>${t('overview.enterpriseCase')}</dt>
        <dd>${
          view.enterpriseCase
            ? html`<a href=${`#/review/${encodeURIComponent(view.enterpriseCase.id)}`}>${view.enterpriseCase.id}</a>
                (${translateId(t, 'status', view.enterpriseCase.status)})`
            : t('none')
        }</dd>
        <dt>${t('overview.asOf')}</dt><dd><${Time} at=${view.asOf} /></dd>
      </dl>
    <//>
    <${Section} id="limits-heading" title=${t('overview.limits')}>
      <dl class="facts">
        <dt>${t('overview.perMember')}</dt><dd>${perMember}</dd>
        <dt>${t('overview.perCorp')}</dt><dd>${view.limits.contactAddsPerCorpPerDay}</dd>
        <dt>${t('overview.trust')}</dt><dd>${formatNumber(view.trust.score, lang)}</dd>
      </dl>
      <${Table}
        caption=${t('overview.factors')}
        headers=${[t('overview.factor'), t('overview.score'), t('overview.weight'), t('overview.detail')]}
        rows=${view.trust.factors.map((f) => [
          translateId(t, 'factor', f.name),
          formatNumber(f.score, lang),
          formatPercent(f.weight, lang),
          f.detail,
        ])}
        empty=${t('none')}
      />
    <//>
    <${Section} id="adds-heading" title=${t('overview.adds')}>
      ${
        view.addsToday
          ? html`<p>${t('overview.addsTotal', { total: view.addsToday.total, date: view.day.date })}</p>
            <${Table}
              caption=${t('overview.addsByMember')}
              headers=${[t('member.id'), t('overview.adds.count'), t('overview.perMember')]}
              rows=${view.addsToday.members.map((m) => [
                html`<a href=${memberHref(m.userId)}>${m.userId}</a>`,
                m.count,
                html`<meter min="0" max=${perMember} value=${Math.min(m.count, perMember)} aria-label=${t('overview.ofLimit', { count: m.count, limit: perMember })}></meter>
                  ${' '}${t('overview.ofLimit', { count: m.count, limit: perMember })}`,
              ])}
              empty=${t('none')}
            />`
          : html`<p class="unavailable">${t('state.unavailable')}</p>`
      }
      <h3>${t('overview.advice')}</h3>
      ${
        view.advice.length === 0
          ? html`<p>${t('overview.noAdvice')}</p>`
          : html`<ul>${view.advice.map((a) => html`<li>${adviceText(a)}</li>`)}</ul>`
      }
    <//>
    <${Section} id="precision-heading" title=${t('overview.precision')}>
      <${Table}
        caption=${t('overview.precision')}
        headers=${[t('category'), t('overview.confirmed'), t('overview.decided'), t('overview.precision.value')]}
        rows=${view.precision.map((p) => [
          translateId(t, 'category', p.category),
          p.confirmed,
          p.decided,
          p.precision === null ? '—' : formatPercent(p.precision, lang),
        ])}
        empty=${t('none')}
      />
    <//>`;
}

/** The advice as the server words it (its `message`, else its fields). */
function adviceText(advice: unknown): string {
  if (typeof advice === 'string') return advice;
  const message = (advice as { message?: unknown }).message;
  return typeof message === 'string' ? message : JSON.stringify(advice);
}

function MembersByStanding({ standing }: { standing: (typeof STANDINGS)[number] }) {
  const { config } = useConsole();
  const { t } = useI18n();
  const [load] = useGet<{ members: MemberListed[] }>(
    corpPath(config, `/members?standing=${standing}&limit=50`),
  );
  const caption = translateId(t, 'standing', standing);
  // The table's caption names the standing (no heading besides: it would say it twice).
  return html`<div class="standing">
    <${Loaded} load=${load}>${({ members }: { members: MemberListed[] }) =>
      html`<${Table}
        caption=${caption}
        headers=${[t('member.id'), t('member.interop'), t('member.account'), t('member.strikes'), t('member.openCases'), t('member.since')]}
        rows=${members.map((m) => [
          html`<a href=${memberHref(m.userId)}>${m.userId}</a>`,
          html`<${Badge} status=${m.interop.status} label=${translateId(t, 'status', m.interop.status)} />`,
          html`<${Badge} status=${m.account.status} label=${translateId(t, 'status', m.account.status)} />`,
          m.strikes,
          m.openCases,
          html`<${Time} at=${m.since} />`,
        ])}
        empty=${t('none')}
      />`}<//>
  </div>`;
}
