import { html } from '../html.js';

/** The page's heading: focused on navigation (tabindex -1), so a screen reader starts there. */
export function PageHeading({ title }: { title: string }) {
  return html`<h1 id="page-heading" tabindex="-1">${title}</h1>`;
}
