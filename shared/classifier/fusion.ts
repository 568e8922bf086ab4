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

/**
 * How far below a category's fireAt (in stacked logit) a hit of the lexicon's own may still stand.
 * Out of fold on model-5's 8,880 messages, the lexicon's hits left below fireAt at any distance
 * were right 201 times and wrong 124 (0.62): half of every wrong hit. Within 1 of fireAt (for the
 * text or its best sentence, or in a text of at most SHORT_TEXT units) they were right 142 times
 * and wrong 34 (0.81), and with fireAt chosen for the whole decision the micro precision and
 * recall went from 0.951 and 0.835 to 0.973 and 0.794 (1.5: 0.974 and 0.790; by the text alone,
 * 0.973 and 0.809, but a violating sentence beside an ordinary one was then lost).
 */
export const LEXICON_REACH = 1;

/**
 * A text of at most this many folded units is too short for the model to know much of: there a hit
 * of the lexicon's own stands however far below fireAt, unless the model argues against it (招刷单员，
 * 日结; 百家乐 alone).
 */
export const SHORT_TEXT = 20;

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
 * its own (`lexicon` ≥ 1) still stands at 1 when the text does not argue against it (no
 * distancing cue, and the model's logit no more than MODEL_VETO below its `prior` for the text or
 * for one of its sentences: features that point away, not the mere absence of features that point
 * to it, and not an ordinary sentence added after it) and the fused evidence comes within
 * LEXICON_REACH of `fireAt`, for the text or for its best sentence (the stacked logit with the
 * sentence's logit in the text's, through the fusion's `modelWeight`), or the text is at most
 * SHORT_TEXT folded `units`. `sentence` (the best sentence's logit) is asked only below fireAt.
 */
export function fusedScore(
  stacked: number,
  fireAt: number,
  lexicon: number,
  distanced: boolean,
  logit: number,
  prior: number,
  sentence: () => number,
  modelWeight: number,
  units: number,
): number {
  if (stacked >= fireAt) return 1 + (stacked - fireAt) / 2;
  if (lexicon < 1 || distanced) return Number.NEGATIVE_INFINITY;
  const best = Math.max(logit, sentence());
  if (best < prior - MODEL_VETO) return Number.NEGATIVE_INFINITY;
  if (units > SHORT_TEXT && stacked + modelWeight * (best - logit) < fireAt - LEXICON_REACH) {
    return Number.NEGATIVE_INFINITY;
  }
  return 1;
}
