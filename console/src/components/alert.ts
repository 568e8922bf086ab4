import { html } from '../html.js';

/** An error or refusal, announced (role="alert"): the server's error text as it sent it. */
export function Alert({ message }: { message: string | null }) {
  return html`<div role="alert" class=${message ? 'alert' : 'alert empty'}>${message ?? ''}</div>`;
}

/** A notice that something was done, announced politely. */
export function Status({ message }: { message: string | null }) {
  return html`<div role="status" class=${message ? 'notice' : 'notice empty'}>${message ?? ''}</div>`;
}
