import type { ComponentChildren } from 'preact';
import { html } from '../html.js';

/** A button: `primary` for the page's main action, `danger` for one that penalizes or refuses. */
export function Button(props: {
  onClick?: () => void;
  type?: 'button' | 'submit';
  kind?: 'primary' | 'danger' | 'plain';
  disabled?: boolean;
  keyshortcut?: string;
  children: ComponentChildren;
}) {
  return html`<button
    type=${props.type ?? 'button'}
    class=${`btn ${props.kind ?? 'plain'}`}
    disabled=${props.disabled}
    aria-keyshortcuts=${props.keyshortcut}
    onClick=${props.onClick}
  >
    ${props.children}
  </button>`;
}
