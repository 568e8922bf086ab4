import type { ComponentChildren } from 'preact';
import { html } from './html.js';
import type { Evidence } from './views.js';

/** The quoted terms of a piece of evidence. */
export function termsOf(evidence: readonly Evidence[]): string[] {
  return evidence.flatMap((item) =>
    item.type === 'term' && typeof item.term === 'string' && item.term ? [item.term] : [],
  );
}

/** The text with every occurrence of each term marked (<mark>); overlaps go to the longer term. */
export function highlight(text: string, terms: readonly string[]): ComponentChildren[] {
  const sorted = [...new Set(terms)].sort((a, b) => b.length - a.length);
  const parts: ComponentChildren[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const term = sorted.find((candidate) => text.startsWith(candidate, i));
    if (term) {
      if (plain) parts.push(plain);
      plain = '';
      parts.push(html`<mark>${term}</mark>`);
      i += term.length;
    } else {
      plain += text.charAt(i);
      i += 1;
    }
  }
  if (plain) parts.push(plain);
  return parts;
}
