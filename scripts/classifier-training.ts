/**
 * Training of the learned classifier model (shared/classifier/model.ts): one logistic regression
 * per content category over the features of model-features.ts, by AdaGrad on the logistic loss
 * with L2, examples visited in an order shuffled from a seed, so the same data and options give
 * the same file byte for byte. Used by `npm run train-classifier` (train-classifier.ts).
 */

import { extractFeatures, hashOfKey, keyOf } from '../shared/classifier/model-features.js';
import { encodeWeights, type ModelData } from '../shared/classifier/model-file.js';
import { normalizeForMatching } from '../shared/classifier/normalize.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../shared/domain/classification.js';

/** A labeled text (an evaluation record, or a reviewer's decided case). */
export interface TrainingRecord {
  readonly text: string;
  readonly labels: readonly ContentCategory[];
}

export interface TrainingOptions {
  readonly seed: number;
  readonly epochs: number;
  /** L2 strength per example visit. */
  readonly l2: number;
  /** AdaGrad's base step. */
  readonly rate: number;
  /** A feature is kept when it occurs in at least this many records. */
  readonly minCount: number;
  /** Weight of a positive example against a negative one (positives are a few per cent of a category's examples). */
  readonly positiveWeight: number;
  /** Weights smaller than this (in absolute value) are dropped from the file. */
  readonly keepAbove: number;
  /**
   * Keep each category's bias at its weighted prior log-odds instead of learning it: a text with
   * little in it (one word, noise) then scores as unlikely as a category is rare, and every hit
   * must rest on features that point to it.
   */
  readonly priorBias: boolean;
}

export const DEFAULT_TRAINING: TrainingOptions = {
  seed: 20261204,
  epochs: 30,
  l2: 1e-4,
  rate: 0.05,
  minCount: 3,
  positiveWeight: 3,
  keepAbove: 0.1,
  priorBias: true,
};

/** One record as features: the distinct feature keys and how often each occurs. */
interface Example {
  readonly features: Int32Array;
  readonly counts: Float64Array;
  readonly labels: ReadonlySet<ContentCategory>;
}

/** The feature keys of a text with their counts (the key of each hash as model files write it). */
export function featureCounts(text: string): Map<string, number> {
  const folded = normalizeForMatching(text);
  const counts = new Map<string, number>();
  extractFeatures(text, folded, (_hash, _start, _end, kind, from, to) => {
    const key = keyOf(kind, from, to);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  });
  return counts;
}

/** A deterministic generator in [0, 1) (mulberry32). */
export function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The trained weights before they are written: per kept feature key, a weight per category. */
export interface TrainedModel {
  readonly categories: readonly ContentCategory[];
  readonly bias: number[];
  readonly weights: Map<string, number[]>;
}

/** Trains on `records`; deterministic for equal records (in equal order) and options. */
export function train(
  records: readonly TrainingRecord[],
  options: TrainingOptions = DEFAULT_TRAINING,
): TrainedModel {
  const categories = [...CONTENT_CATEGORIES];
  const k = categories.length;
  const perRecord = records.map((record) => featureCounts(record.text));
  // The vocabulary: keys in at least minCount records, in sorted order (stable across runs).
  const documentCount = new Map<string, number>();
  for (const counts of perRecord)
    for (const key of counts.keys()) documentCount.set(key, (documentCount.get(key) ?? 0) + 1);
  const vocabulary = withoutSharedHashes(
    [...documentCount]
      .filter(([, count]) => count >= options.minCount)
      .map(([key]) => key)
      .sort(),
  );
  const index = new Map(vocabulary.map((key, i) => [key, i]));
  const examples: Example[] = perRecord.map((counts, r) => {
    const kept = [...counts].filter(([key]) => index.has(key));
    return {
      features: Int32Array.from(kept, ([key]) => index.get(key) as number),
      // Presence, as inference counts it: a word said three times is not three times the evidence.
      counts: Float64Array.from(kept, () => 1),
      labels: new Set((records[r] as TrainingRecord).labels),
    };
  });
  const weights = new Float64Array(vocabulary.length * k);
  const squares = new Float64Array(vocabulary.length * k).fill(1e-8);
  const bias = new Float64Array(k);
  if (options.priorBias) {
    categories.forEach((category, c) => {
      const positives = records.filter((record) => record.labels.includes(category)).length;
      bias[c] = Math.log(
        (options.positiveWeight * Math.max(positives, 1)) / Math.max(records.length - positives, 1),
      );
    });
  }
  const biasSquares = new Float64Array(k).fill(1e-8);
  const random = randomFrom(options.seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    // Fisher–Yates from the seeded generator.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const e of order) {
      const example = examples[e] as Example;
      for (let c = 0; c < k; c++) {
        let z = bias[c] as number;
        for (let f = 0; f < example.features.length; f++) {
          z += (weights[(example.features[f] as number) * k + c] as number) * (example.counts[f] as number);
        }
        const positive = example.labels.has(categories[c] as ContentCategory);
        const p = 1 / (1 + Math.exp(-z));
        const g = (p - (positive ? 1 : 0)) * (positive ? options.positiveWeight : 1);
        if (!options.priorBias) {
          biasSquares[c] = (biasSquares[c] as number) + g * g;
          bias[c] = (bias[c] as number) - (options.rate * g) / Math.sqrt(biasSquares[c] as number);
        }
        for (let f = 0; f < example.features.length; f++) {
          const slot = (example.features[f] as number) * k + c;
          const w = weights[slot] as number;
          const gradient = g * (example.counts[f] as number) + options.l2 * w;
          squares[slot] = (squares[slot] as number) + gradient * gradient;
          weights[slot] = w - (options.rate * gradient) / Math.sqrt(squares[slot] as number);
        }
      }
    }
  }
  // Two decimals: finer steps change no decision, and the file is read at every cold start.
  const round = (value: number): number => Math.round(value * 100) / 100;
  const kept = new Map<string, number[]>();
  vocabulary.forEach((key, i) => {
    const row = Array.from(weights.subarray(i * k, (i + 1) * k), (w) =>
      Math.abs(w) >= options.keepAbove ? round(w) : 0,
    );
    if (row.some((w) => w !== 0)) kept.set(key, row);
  });
  return { categories, bias: Array.from(bias, round), weights: kept };
}

/**
 * The keys of `keys` (sorted) whose hash no other key of `keys` has. Inference knows a feature by
 * its 32-bit hash alone, so two kept keys with one hash would read as one feature: neither is
 * learned (with 25,000 to 40,000 keys, a pair shares a hash one time in fifteen to seven).
 */
export function withoutSharedHashes(keys: readonly string[]): string[] {
  const count = new Map<number, number>();
  const hashes = keys.map((key) => {
    const hash = hashOfKey(key);
    if (hash === undefined) throw new Error(`feature key ${key} has no kind`);
    count.set(hash, (count.get(hash) ?? 0) + 1);
    return hash;
  });
  return keys.filter((_, i) => count.get(hashes[i] as number) === 1);
}

/** A trained model as its file has it (keys sorted, so equal models give equal files). */
export function modelFile(
  trained: TrainedModel,
  version: string,
  training: Record<string, unknown>,
  fusion: ModelData['fusion'],
): ModelData {
  const { features, weights } = encodeWeights(trained.weights);
  return {
    version,
    description:
      'Logistic regression per content category over character n-grams (none of Latin letters), Latin words, their prefixes and word pairs, and symbols (shared/classifier/model-features.ts); trained by npm run train-classifier.',
    training,
    categories: [...trained.categories],
    bias: trained.bias,
    features,
    weights,
    fusion,
  };
}

/** The bias train() gives a category with priorBias: its weighted prior log-odds in `records`. */
export function priorOf(
  records: readonly TrainingRecord[],
  category: ContentCategory,
  options = DEFAULT_TRAINING,
): number {
  const positives = records.filter((record) => record.labels.includes(category)).length;
  return Math.log(
    (options.positiveWeight * Math.max(positives, 1)) / Math.max(records.length - positives, 1),
  );
}
