import { describe, expect, it } from 'vitest';
import {
  type FusionWeights,
  fusedScore,
  LEXICON_REACH,
  MODEL_VETO,
  RIVAL_FLOOR,
  rivalLogit,
  rivalLogits,
  SHORT_TEXT,
  stackedLogit,
} from '../../../../shared/classifier/fusion.js';

/** Weights for two categories: the second is judged beside the first's logit. */
const weights: FusionWeights = {
  lexicon: [2, 2],
  distanced: [-1, -1],
  model: [1, 1],
  rival: [0, -0.5],
  bias: [-1, -1],
};

describe('rivalLogit', () => {
  it("is the model's best logit among the other categories, never below the floor", () => {
    // Act
    const rivals = [0, 1, 2].map((c) => rivalLogit([3, -2, 1], c));
    const nothingElse = rivalLogit([4, -40], 0);

    // Assess
    expect(rivals).toEqual([1, 3, 3]);
    expect(nothingElse).toBe(RIVAL_FLOOR);
  });

  it('is the same for every category when read all at once, ties included', () => {
    // Prepare
    const cases = [[3, -2, 1], [2, 2, -1], [-40, -50], [5], [0, 0, 0, 7]];

    // Act
    const together = cases.map((logits) => Array.from(rivalLogits(logits, new Float64Array(logits.length))));
    const one = cases.map((logits) => logits.map((_, c) => rivalLogit(logits, c)));

    // Assess
    expect(together).toEqual(one);
  });
});

describe('stackedLogit', () => {
  it('weighs the lexicon, a distancing cue, the logit and the rival logit', () => {
    // Act
    const plain = stackedLogit(weights, 1, 1, false, 2, 0);
    const distanced = stackedLogit(weights, 1, 1, true, 2, 0);
    const beside = stackedLogit(weights, 1, 1, false, 2, 4);

    // Assess
    expect(plain).toBe(2 + 2 - 0.5 * 0 - 1);
    expect(distanced).toBe(plain - 1);
    expect(beside).toBe(plain - 0.5 * 4);
  });
});

describe('fusedScore', () => {
  it('scores 1 at the threshold and one more per 2 above it', () => {
    // Act
    const at = fusedScore(1, 1, 0, false, 0, -3, () => 0, 1, 40);
    const above = fusedScore(5, 1, 0, false, 0, -3, () => 0, 1, 40);

    // Assess
    expect(at).toBe(1);
    expect(above).toBe(3);
  });

  it("lets the lexicon's own hit stand below the threshold unless a cue or the model argues against it", () => {
    // Prepare
    const prior = -3;
    const below = prior - MODEL_VETO - 1;

    // Act
    const stands = fusedScore(0, 1, 1, false, prior, prior, () => prior, 1, 40);
    const cue = fusedScore(0, 1, 1, true, prior, prior, () => prior, 1, 40);
    const vetoed = fusedScore(0, 1, 1, false, below, prior, () => below, 1, 40);
    const oneSentenceFor = fusedScore(0, 1, 1, false, below, prior, () => prior, 1, 40);
    const noLexicon = fusedScore(0, 1, 0.5, false, prior, prior, () => prior, 1, 40);

    // Assess
    expect(stands).toBe(1);
    expect(cue).toBe(Number.NEGATIVE_INFINITY);
    expect(vetoed).toBe(Number.NEGATIVE_INFINITY);
    expect(oneSentenceFor).toBe(1);
    expect(noLexicon).toBe(Number.NEGATIVE_INFINITY);
  });

  it("keeps the lexicon's own hit only within LEXICON_REACH of the threshold, by the text or its best sentence, or in a short text", () => {
    // Prepare
    const prior = -3;
    const fireAt = 2;
    const long = SHORT_TEXT + 1;
    const beyond = fireAt - LEXICON_REACH - 0.5;

    // Act
    const within = fusedScore(fireAt - LEXICON_REACH, fireAt, 1, false, prior, prior, () => prior, 1, long);
    const tooFar = fusedScore(beyond, fireAt, 1, false, prior, prior, () => prior, 1, long);
    // Its best sentence reads 1 above the text: at weight 0.5 that lifts the stacked logit by 0.5.
    const bySentence = fusedScore(beyond, fireAt, 1, false, prior, prior, () => prior + 1, 0.5, long);
    const bySentenceTooLittle = fusedScore(
      beyond,
      fireAt,
      1,
      false,
      prior,
      prior,
      () => prior + 1,
      0.4,
      long,
    );
    const short = fusedScore(-20, fireAt, 1, false, prior, prior, () => prior, 1, SHORT_TEXT);
    const shortVetoed = fusedScore(
      -20,
      fireAt,
      1,
      false,
      prior - MODEL_VETO - 1,
      prior,
      () => -9,
      1,
      SHORT_TEXT,
    );

    // Assess
    expect(within).toBe(1);
    expect(tooFar).toBe(Number.NEGATIVE_INFINITY);
    expect(bySentence).toBe(1);
    expect(bySentenceTooLittle).toBe(Number.NEGATIVE_INFINITY);
    expect(short).toBe(1);
    expect(shortVetoed).toBe(Number.NEGATIVE_INFINITY);
  });
});
