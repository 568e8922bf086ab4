/**
 * Appeals (`#/appeals`). Heading "Appeals" / "申诉"; table "Open appeals" with buttons "Approve" and
 * "Reject" per appeal (reviewers, admins; group "Decide appeal <id>"); button "File an enterprise appeal" (admins) opening the
 * dialog "File an appeal" with the documents checklist and "Submit appeal".
 */
import { useState } from 'preact/hooks';
import { Badge, Button, Loaded, Section, Status, Table, Time } from '../components/index.js';
import { corpPath, useCan, useConsole, useGet } from '../context.js';
import { html } from '../html.js';
import { translateId, useI18n } from '../i18n/i18n.js';
import { useReady } from '../ready.js';
import { memberHref } from '../router.js';
import type { Appeal } from '../views.js';
import { AppealDecision } from './appeal-decision.js';
import { AppealForm } from './appeal-form.js';
import { PageHeading } from './page-heading.js';

/** Open appeals, oldest first, to decide; an enterprise appeal to file. */
export function AppealsPage() {
  const { config } = useConsole();
  const { t } = useI18n();
  const canFile = useCan('administer');
  const [version, setVersion] = useState(0);
  const [load] = useGet<{ appeals: Appeal[] }>(corpPath(config, '/appeals?status=open&limit=200'), version);
  const [filing, setFiling] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  useReady(load.state !== 'loading');
  const decided = (approved: boolean) => {
    setDone(t(approved ? 'appeal.approvedDone' : 'appeal.rejectedDone'));
    setVersion((n) => n + 1);
  };
  return html`<${PageHeading} title=${t('appeals.title')} />
    ${
      canFile
        ? html`<div class="actions"><${Button} onClick=${() => setFiling(true)}>${t('action.fileEnterpriseAppeal')}<//></div>`
        : null
    }
    <${Status} message=${done} />
    <${Section} id="open-appeals-heading" title=${t('appeals.open')}>
      <${Loaded} load=${load}>${({ appeals }: { appeals: Appeal[] }) => html`<${Table}
        caption=${t('appeals.open')}
        headers=${[t('appeal.id'), t('appeal.kind'), t('member.id'), t('appeal.filedAt'), t('appeal.status'), t('appeal.decide')]}
        rows=${[...appeals]
          .sort((a, b) => Date.parse(a.filedAt) - Date.parse(b.filedAt))
          .map((a) => [
            a.id,
            translateId(t, 'status', `appeal-${a.kind}`),
            a.userId ? html`<a href=${memberHref(a.userId)}>${a.userId}</a>` : '—',
            html`<${Time} at=${a.filedAt} />`,
            html`<${Badge} status=${a.status} label=${translateId(t, 'status', a.status)} />`,
            html`<${AppealDecision} appeal=${a} onDecided=${decided} />`,
          ])}
        empty=${t('none')}
      />`}<//>
    <//>
    <${AppealForm}
      open=${filing}
      userId=${null}
      violations=${[]}
      onClose=${() => setFiling(false)}
      onFiled=${() => {
        setFiling(false);
        setDone(t('appeal.filed'));
        setVersion((n) => n + 1);
      }}
    />`;
}
