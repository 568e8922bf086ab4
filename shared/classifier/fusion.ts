/**
 * How the lexicon's evidence and the learned model's are weighed together for one category: the
 * one rule both classification (classify-text.ts) and training's out-of-fold report
 * (scripts/classifier-fusion.ts) apply, so that what training measures is what classify does.
 */

/**
 * How far below its prior the model's logit must fall to overrule a hit of the lexicon's own. The
 * lexicon's terms are written by people and the model has seen few examples of some (人肉搜索, a
 * doxxing service, reads 1.9 below the prior beside 帮你 and 任何人 with model-1, 2.2 with model-4),
 * so a logit a little below the prior is no argument against a term; far below it is. Out of fold
 * on 5,795 messages (model-1), 2 kept 98.2 % of the lexicon's right hits below the fusion's
 * threshold and 40 % of its wrong ones (0 kept 94.2 % and 22 %, 3 kept 98.9 % and 53 %); on 7,967
 * (model-4), micro precision and recall 0.953 and 0.816 at 2, 0.949 and 0.818 at 2.5, 0.945 and
 * 0.818 at 3. 2.5, since model-4 at 2 dropped the end-to-end tests' plain doxxing offer.
 */
export const MODEL_VETO = 2.5;

/** The fusion's weights per category (a model file's `fusion`, without its thresholds). */
export interface FusionWeights {
  readonly lexicon: readonly number[];
  readonly distanced: readonly number[];
  readonly model: readonly number[];
  readonly rival: readonly number[];
  readonly bias: readonly number[];
}

/** The rival logit never counts below this (a text the model finds in no category is just that). */
export const RIVAL_FLOOR = -10;

/**
 * The model's best logit over the categories other than c (at least RIVAL_FLOOR): how strongly the
 * text reads as something else. A message selling guns is violence, and its gambling words count
 * for less beside that; a message that is nothing else is judged on its own evidence.
 */
export function rivalLogit(logits: ArrayLike<number>, c: number): number {
  let rival = RIVAL_FLOOR;
  for (let other = 0; other < logits.length; other++) {
    if (other !== c && (logits[other] as number) > rival) rival = logits[other] as number;
  }
  return rival;
}

/**
 * Every category's rivalLogit at once, into `out` (in one pass over the logits: the best and the
 * second best, so classify pays k, not k², per text).
 */
export function rivalLogits(logits: ArrayLike<number>, out: Float64Array): Float64Array {
  let best = Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  let bestAt = -1;
  for (let c = 0; c < logits.length; c++) {
    const logit = logits[c] as number;
    if (logit > best) {
      second = best;
      best = logit;
      bestAt = c;
    } else if (logit > second) second = logit;
  }
  for (let c = 0; c < logits.length; c++) out[c] = Math.max(RIVAL_FLOOR, c === bestAt ? second : best);
  return out;
}

/**
 * Category c's stacked logit: `lexicon` is the lexicon's score for it (capped, over its threshold),
 * weighed again when the text holds a distancing cue, beside the model's logit for c and its
 * `rival` logit (rivalLogit).
 */
export function stackedLogit(
  fusion: FusionWeights,
  c: number,
  lexicon: number,
  distanced: boolean,
  logit: number,
  rival: number,
): number {
  return (
    (fusion.lexicon[c] as number) * lexicon +
    (fusion.distanced[c] as number) * (distanced ? lexicon : 0) +
    (fusion.model[c] as number) * logit +
    (fusion.rival[c] as number) * rival +
    (fusion.bias[c] as number)
  );
}

/**
 * A hit's score, or -Infinity for none: 1 at `fireAt` and one more per 2 of stacked logit above
 * (so 2 is e² ≈ 7.4 times the odds of a hit at the threshold). Below it, a hit the lexicon makes on
 * its own (`lexicon` ≥ 1) still stands at 1 unless the text argues against it: a distancing cue,
 * or the model's logit more than MODEL_VETO below its `prior` for the text and for each of its
 * sentences (features that point away, not the mere absence of features that point to it, as in
 * a one-word text; and not an ordinary sentence added after it). `sentence` is asked only then.
 */
export function fusedScore(
  stacked: number,
  fireAt: number,
  lexicon: number,
  distanced: boolean,
  logit: number,
  prior: number,
  sentence: () => number,
): number {
  if (stacked >= fireAt) return 1 + (stacked - fireAt) / 2;
  if (lexicon < 1 || distanced) return Number.NEGATIVE_INFINITY;
  return Math.max(logit, sentence()) < prior - MODEL_VETO ? Number.NEGATIVE_INFINITY : 1;
}
