import type { ComponentChildren } from 'preact';
import type { Load } from '../context.js';
import { html } from '../html.js';
import { useI18n } from '../i18n/i18n.js';

/** A titled region of a page (a landmark named by its heading). */
export function Section(props: { id: string; title: string; children: ComponentChildren }) {
  return html`<section aria-labelledby=${props.id} class="card">
    <h2 id=${props.id}>${props.title}</h2>
    ${props.children}
  </section>`;
}

/**
 * What a load shows: its content once loaded, "loading" before, and the server's error after (a
 * 404 from a route this server does not have yet shows the section as unavailable).
 */
export function Loaded<T>(props: {
  load: Load<T>;
  children: (data: T, receivedAt: number) => ComponentChildren;
}) {
  const { t } = useI18n();
  const { load } = props;
  if (load.state === 'loading') return html`<p aria-busy="true">${t('state.loading')}</p>`;
  if (load.state === 'error') {
    if (load.error.status === 404 && load.error.message.startsWith('no route'))
      return html`<p class="unavailable">${t('state.unavailable')}</p>`;
    return html`<p role="alert" class="alert">${load.error.message}</p>`;
  }
  return html`${props.children(load.fetched.data, load.fetched.receivedAt)}`;
}
