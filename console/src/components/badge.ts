import { html } from '../html.js';

const TONES: Readonly<Record<string, string>> = {
  active: 'good',
  normal: 'good',
  approved: 'good',
  overturned: 'good',
  confirmed: 'bad',
  suspended: 'warn',
  review: 'warn',
  open: 'warn',
  expired: 'warn',
  banned: 'bad',
  blocked: 'bad',
  rejected: 'bad',
};

/** A status as a badge: its text, a tone by the status id (colour is never the only cue: the text says it). */
export function Badge({ status, label }: { status: string; label: string }) {
  return html`<span class=${`badge ${TONES[status] ?? 'plain'}`}>${label}</span>`;
}
