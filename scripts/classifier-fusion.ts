/**
 * The fusion of the lexicon's evidence with the learned model's (classify-text.ts's fuse), fitted by
 * `npm run train-classifier` on out-of-fold scores: cross-validation, the fusion's logistic
 * regression, the threshold each category fires at, and the out-of-fold report with the
 * recommended actAtScore per category.
 */
import {
  type FusionWeights,
  rivalLogit,
  fusedScore as scoreOf,
  stackedLogit as stackedOf,
} from '../shared/classifier/fusion.js';
import { createModel } from '../shared/classifier/model.js';
import { normalizeForMatching } from '../shared/classifier/normalize.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../shared/domain/classification.js';
import {
  DEFAULT_TRAINING,
  modelFile,
  priorOf,
  randomFrom,
  type TrainingOptions,
  type TrainingRecord,
  train,
} from './classifier-training.js';

/** A lexicon score counts up to this much in the fusion (three strong terms say all there is to say). */
export const LEXICON_CAP = 3;

/** Per category: the lexicon's score (capped, over the threshold) and the model's logit, for one record. */
export interface Evidence {
  readonly lexicon: Float64Array;
  /** Whether the text holds one of the lexicon's distancing cues. */
  readonly distanced: boolean;
  readonly model: Float64Array;
  /** Per category: the model's best logit over the text's single sentences (Model.sentenceBest). */
  readonly sentence: Float64Array;
  /** The text's length in folded units (normalizeForMatching). */
  readonly units: number;
}

/** The fusion weights, as fitted (fusion.ts's FusionWeights, written into the model file). */
export interface Fusion extends FusionWeights {
  readonly lexicon: number[];
  readonly distanced: number[];
  readonly model: number[];
  readonly rival: number[];
  readonly bias: number[];
}

/** The stacked logit of category c for one record's evidence. */
export function stackedLogit(fusion: Fusion, evidence: Evidence, c: number): number {
  return stackedOf(
    fusion,
    c,
    evidence.lexicon[c] as number,
    evidence.distanced,
    evidence.model[c] as number,
    rivalLogit(evidence.model, c),
  );
}

/** The fusion's inputs for category c of one record, in the order of FUSION_INPUTS. */
function inputsOf(evidence: Evidence, c: number): [number, number, number, number] {
  const s = evidence.lexicon[c] as number;
  return [s, evidence.distanced ? s : 0, evidence.model[c] as number, rivalLogit(evidence.model, c)];
}

/** The fitted weight of each input of inputsOf, as the model file names it. */
const FUSION_INPUTS = ['lexicon', 'distanced', 'model', 'rival'] as const;

/**
 * Fits the fusion of lexicon scores and model logits per category: a logistic regression on four
 * inputs (the lexicon's score, the same when a distancing cue is present, the model's logit, and
 * the model's best logit for another category), full-batch gradient descent from zero
 * (deterministic), on out-of-fold model logits so that the model's confidence is weighed as it is
 * on text it did not train on.
 */
export function fitFusion(
  evidence: readonly Evidence[],
  labels: readonly (readonly ContentCategory[])[],
  categories: readonly ContentCategory[],
  iterations = 400,
): Fusion {
  const fusion: Fusion = { lexicon: [], distanced: [], model: [], rival: [], bias: [] };
  const n = evidence.length;
  const d = FUSION_INPUTS.length;
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  categories.forEach((category, c) => {
    // Row r's inputs at r × d, in one array: the loop below reads them 400 times.
    const inputs = new Float64Array(n * d);
    evidence.forEach((e, r) => {
      inputs.set(inputsOf(e, c), r * d);
    });
    const targets = Float64Array.from(labels, (list) => (list.includes(category) ? 1 : 0));
    const weights = new Float64Array(d);
    const gradient = new Float64Array(d);
    let bias = 0;
    for (let step = 0; step < iterations; step++) {
      gradient.fill(0);
      let gBias = 0;
      for (let r = 0; r < n; r++) {
        const at = r * d;
        let z = bias;
        for (let j = 0; j < d; j++) z += (weights[j] as number) * (inputs[at + j] as number);
        const error = 1 / (1 + Math.exp(-z)) - (targets[r] as number);
        for (let j = 0; j < d; j++)
          gradient[j] = (gradient[j] as number) + error * (inputs[at + j] as number);
        gBias += error;
      }
      for (let j = 0; j < d; j++) {
        weights[j] =
          (weights[j] as number) - ((0.5 * (gradient[j] as number)) / n + 1e-4 * (weights[j] as number));
      }
      bias -= (0.5 * gBias) / n;
    }
    FUSION_INPUTS.forEach((input, j) => {
      fusion[input].push(round(weights[j] as number));
    });
    fusion.bias.push(round(bias));
  });
  return fusion;
}

/** The records split into `folds` folds by a seeded shuffle: the fold of each record. */
export function foldsOf(count: number, folds: number, seed: number): Int32Array {
  const random = randomFrom(seed ^ 0x9e3779b9);
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const fold = new Int32Array(count);
  order.forEach((record, position) => {
    fold[record] = position % folds;
  });
  return fold;
}

/** What the lexicon gives the fusion for one text (lexiconEvidenceOf over the lexicon trained beside). */
export type LexiconReader = (text: string) => { lexicon: Float64Array; distanced: boolean };

/** Out-of-fold results of training: each record's evidence and stacked logits from models that never saw it. */
export interface CrossValidation {
  readonly evidence: readonly Evidence[];
  /** Per record, per category: the stacked logit, with the fusion also fitted without the record's fold. */
  readonly stacked: readonly Float64Array[];
  /** Per record, per category: the model's weight in that fusion (for a sentence's stacked logit). */
  readonly modelWeight: readonly Float64Array[];
}

/**
 * K-fold cross-validation of the model and its fusion: per fold, a model trained on the other folds
 * scores the fold's records (their out-of-fold evidence); then, per fold, a fusion fitted on the
 * other folds' evidence stacks the fold's. What the fusion is fitted on, and what the recommended
 * actAtScore and the training report are measured on.
 */
export function crossValidate(
  records: readonly TrainingRecord[],
  readLexicon: LexiconReader,
  folds: number,
  options: TrainingOptions = DEFAULT_TRAINING,
): CrossValidation {
  const fold = foldsOf(records.length, folds, options.seed);
  const categories = [...CONTENT_CATEGORIES];
  const k = categories.length;
  const evidence: Evidence[] = new Array(records.length);
  const neutral = {
    lexiconCap: LEXICON_CAP,
    lexicon: new Array<number>(k).fill(0),
    distanced: new Array<number>(k).fill(0),
    model: new Array<number>(k).fill(1),
    rival: new Array<number>(k).fill(0),
    bias: new Array<number>(k).fill(0),
    fireAt: new Array<number>(k).fill(0),
  };
  for (let f = 0; f < folds; f++) {
    const trained = train(
      records.filter((_, r) => fold[r] !== f),
      options,
    );
    const model = createModel(modelFile(trained, `fold-${f}`, {}, neutral));
    records.forEach((record, r) => {
      if (fold[r] !== f) return;
      const folded = normalizeForMatching(record.text);
      evidence[r] = {
        ...readLexicon(record.text),
        model: Float64Array.from(model.score(record.text, folded)),
        sentence: Float64Array.from(model.sentenceBest()),
        units: folded.text.length,
      };
    });
  }
  const stacked: Float64Array[] = new Array(records.length);
  const modelWeight: Float64Array[] = new Array(records.length);
  for (let f = 0; f < folds; f++) {
    const others = records.map((_, r) => r).filter((r) => fold[r] !== f);
    const fusion = fitFusion(
      others.map((r) => evidence[r] as Evidence),
      others.map((r) => (records[r] as TrainingRecord).labels),
      categories,
    );
    records.forEach((_, r) => {
      if (fold[r] !== f) return;
      stacked[r] = Float64Array.from(categories, (_c, c) => stackedLogit(fusion, evidence[r] as Evidence, c));
      modelWeight[r] = Float64Array.from(fusion.model);
    });
  }
  return { evidence, stacked, modelWeight };
}

/**
 * The score of category c's hit for one record's evidence, as classify gives it
 * (shared/classifier/fusion.ts), with the model's weight in the record's fusion.
 */
export function fusedScore(
  stacked: number,
  evidence: Evidence,
  c: number,
  fireAt: number,
  prior: number,
  modelWeight: number,
): number {
  const sentence = evidence.sentence[c] as number;
  return scoreOf(
    stacked,
    fireAt,
    evidence.lexicon[c] as number,
    evidence.distanced,
    evidence.model[c] as number,
    prior,
    () => sentence,
    modelWeight,
    evidence.units,
  );
}

/** Scores tried as a recommended actAtScore, lowest first. */
export const ACT_AT_CANDIDATES = [1, 1.25, 1.5, 2, 2.5, 3, 4] as const;

/** Precision a recommended actAtScore must show out of fold, and the hits it must rest on. */
export const ACT_AT_PRECISION = 0.99;
export const ACT_AT_MIN_HITS = 10;

/**
 * Per category, out of fold: precision and recall of the fused decision (fusedScore ≥ 1),
 * and the lowest candidate score whose hits at or above it were right at least ACT_AT_PRECISION of
 * the time (on at least ACT_AT_MIN_HITS hits), if any: the actAtScore to recommend.
 */
export function outOfFoldReport(
  records: readonly TrainingRecord[],
  validation: CrossValidation,
  fireAt: readonly number[],
): Record<string, { precision: number; recall: number; positives: number; actAtScore: number | null }> {
  const report: Record<
    string,
    { precision: number; recall: number; positives: number; actAtScore: number | null }
  > = {};
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  CONTENT_CATEGORIES.forEach((category, c) => {
    const prior = priorOf(records, category);
    const scored = records.map((record, r) => ({
      score: fusedScore(
        (validation.stacked[r] as Float64Array)[c] as number,
        validation.evidence[r] as Evidence,
        c,
        fireAt[c] as number,
        prior,
        (validation.modelWeight[r] as Float64Array)[c] as number,
      ),
      labeled: record.labels.includes(category),
    }));
    const positives = scored.filter((item) => item.labeled).length;
    const hits = scored.filter((item) => item.score >= 1);
    const correct = hits.filter((item) => item.labeled).length;
    const actAtScore =
      ACT_AT_CANDIDATES.find((candidate) => {
        const above = scored.filter((item) => item.score >= candidate);
        const right = above.filter((item) => item.labeled).length;
        return above.length >= ACT_AT_MIN_HITS && right / above.length >= ACT_AT_PRECISION;
      }) ?? null;
    report[category] = {
      precision: round(correct / Math.max(hits.length, 1)),
      recall: round(correct / Math.max(positives, 1)),
      positives,
      actAtScore,
    };
  });
  return report;
}

/** Stacked logits tried as a category's fireAt, lowest first. */
export const FIRE_AT_CANDIDATES = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75, 3] as const;
/** Out-of-fold precision a category's fireAt must reach (the lowest candidate that does is taken). */
export const FIRE_AT_PRECISION = 0.97;

/**
 * Per category, the lowest candidate stacked logit at which its out-of-fold hits, as the whole
 * fused decision makes them (fusedScore ≥ 1: the lexicon's own hits just below it included), were
 * right at least FIRE_AT_PRECISION of the time (the highest candidate if none was): where a
 * detection is worth a reviewer's time.
 */
export function chooseFireAt(records: readonly TrainingRecord[], validation: CrossValidation): number[] {
  return CONTENT_CATEGORIES.map((category, c) => {
    const prior = priorOf(records, category);
    const fits = (candidate: number): boolean => {
      let right = 0;
      let hits = 0;
      records.forEach((record, r) => {
        const stacked = (validation.stacked[r] as Float64Array)[c] as number;
        const weight = (validation.modelWeight[r] as Float64Array)[c] as number;
        if (fusedScore(stacked, validation.evidence[r] as Evidence, c, candidate, prior, weight) < 1) return;
        hits++;
        if (record.labels.includes(category)) right++;
      });
      return hits > 0 && right / hits >= FIRE_AT_PRECISION;
    };
    return FIRE_AT_CANDIDATES.find(fits) ?? (FIRE_AT_CANDIDATES.at(-1) as number);
  });
}
