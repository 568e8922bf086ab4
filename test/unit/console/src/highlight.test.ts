import { describe, expect, it } from 'vitest';
import { formatDuration, formatTime } from '../../../../console/src/format.js';
import { highlight, termsOf } from '../../../../console/src/highlight.js';

/** The text of each part, marked ones as `[term]`. */
function shown(parts: ReturnType<typeof highlight>): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const node = part as { type: string; props: { children: unknown } };
      const children = node.props.children;
      return node.type === 'mark'
        ? `[${Array.isArray(children) ? children.join('') : String(children)}]`
        : '?';
    })
    .join('');
}

describe('the evidence marked in the text read', () => {
  it('marks every occurrence of each quoted term, the longer term winning where two overlap', () => {
    // Act
    const parts = highlight('最新网赌平台上线，百家乐包赢，网赌', ['网赌', '百家', '百家乐', '包赢']);

    // Assess
    expect(shown(parts)).toBe('最新[网赌]平台上线，[百家乐][包赢]，[网赌]');
  });

  it('leaves a text without the terms as it is, and reads only the quoted terms of the evidence', () => {
    // Act
    const terms = termsOf([
      { type: 'term', term: 'VX' },
      { type: 'count', name: 'recipients' },
      { type: 'term', term: '' },
    ] as never);
    const parts = highlight('nothing here', terms);

    // Assess
    expect(terms).toEqual(['VX']);
    expect(shown(parts)).toBe('nothing here');
  });
});

describe('times and countdowns', () => {
  it('counts down in days, hours, minutes and seconds, never below zero', () => {
    // Act
    const texts = [formatDuration(90_061_000), formatDuration(59_999), formatDuration(-5)];

    // Assess
    expect(texts).toEqual(['1d 01:01:01', '00:00:59', '00:00:00']);
  });

  it('shows a time in the corp’s time zone, not the reader’s', () => {
    // Act
    const shanghai = formatTime('2026-03-02T16:30:00Z', 'Asia/Shanghai', 'en');

    // Assess
    expect(shanghai).toBe('03/03/2026, 00:30');
  });
});
