import { describe, expect, it } from 'vitest';
import { type ListedCase, labeledCase } from '../../../scripts/export-cases.js';
import { parseLabeledLines } from '../../classifier-eval/eval-set.js';

function aDecidedCase(overrides: Partial<ListedCase> = {}): ListedCase {
  return {
    id: 'case-0123456789abcdef0123456789abcdef',
    kind: 'violation',
    category: 'gambling',
    status: 'confirmed',
    text: { text: '最新网赌平台上线，百家乐包赢', length: 14, truncated: false },
    decision: { decision: 'confirm', at: '2026-03-02T02:00:00.000Z' },
    ...overrides,
  };
}

describe('export-cases', () => {
  it('labels a confirmed case with its category and an overturned one with none', () => {
    // Given a confirmed and an overturned case
    const confirmed = labeledCase(aDecidedCase());
    const overturned = labeledCase(
      aDecidedCase({
        category: 'security-threat',
        status: 'overturned',
        text: { text: 'Security training: never click a phishing link', length: 47, truncated: false },
        decision: { decision: 'overturn', at: '2026-03-02T03:00:00.000Z' },
      }),
    );

    // Then the confirmed one is a positive of its category, in Chinese
    expect(confirmed).toMatchObject({
      labels: ['gambling'],
      lang: 'zh',
      decision: 'confirm',
      category: 'gambling',
    });
    // And the overturned one is an ordinary message, in English
    expect(overturned).toMatchObject({
      labels: [],
      lang: 'en',
      decision: 'overturn',
      category: 'security-threat',
    });
  });

  it('leaves out what has no text to label: enterprise-block cases, reports, undecided cases', () => {
    // Given cases without a text to label, or without a decision
    const cases = [
      aDecidedCase({ kind: 'enterprise-block' }),
      aDecidedCase({ text: null }),
      aDecidedCase({ status: 'open', decision: null }),
    ];

    // Then none of them becomes a line
    expect(cases.map(labeledCase)).toEqual([null, null, null]);
  });

  it('writes lines that the evaluation set loader reads as they are, saying when a text was cut', () => {
    // Given the export of a case whose text was cut
    const line = labeledCase(
      aDecidedCase({ text: { text: '网赌平台…带你玩', length: 4000, truncated: true } }),
    );
    const jsonl = `${JSON.stringify(line)}\n`;

    // When the evaluation tooling reads it
    const records = parseLabeledLines(jsonl, 'cases.jsonl');

    // Then it is one labeled record of the category, its note saying the text was cut
    expect(records).toEqual([
      expect.objectContaining({
        text: '网赌平台…带你玩',
        labels: ['gambling'],
        lang: 'zh',
        source: 'cases.jsonl:1',
      }),
    ]);
    expect(records[0]?.note).toContain('cut from 4000 characters');
  });
});
