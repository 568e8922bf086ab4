import { describe, expect, it } from 'vitest';
import type { Classifier, ContentCategory } from '../../../shared/domain/classification.js';
import { calibration, type EvalRecord } from '../../classifier-eval/eval-set.js';

/** A classifier that answers each text with the hits written for it. */
function answering(hits: Record<string, [ContentCategory, number][]>): Classifier {
  return {
    lexiconVersion: 'scripted',
    classify: (text) =>
      (hits[text] ?? []).map(([category, score]) => ({ category, score, matchedTerms: [] })),
  };
}

const record = (text: string, labels: ContentCategory[]): EvalRecord => ({
  text,
  labels,
  lang: 'en',
  source: 't',
});

describe('the calibration table', () => {
  it('puts each hit in the bucket of its score and counts the share a label confirms', () => {
    // Prepare
    const classifier = answering({
      a: [['gambling', 1.1]],
      b: [['gambling', 1.2]],
      c: [
        ['fraud', 2.5],
        ['gambling', 3.7],
      ],
    });
    const records = [record('a', ['gambling']), record('b', []), record('c', ['gambling'])];

    // Act
    const table = calibration(classifier, records);

    // Assess
    expect(table.map((b) => [b.from, b.hits, b.correct])).toEqual([
      [1, 2, 1],
      [1.25, 0, 0],
      [1.5, 0, 0],
      [2, 1, 0],
      [3, 1, 1],
    ]);
    expect(table[0]?.precision).toBe(0.5);
    expect(table[1]?.precision).toBeNaN();
    expect(table.at(-1)?.to).toBe(Number.POSITIVE_INFINITY);
  });
});
