import { readdirSync, readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import {
  type CategoryHit,
  type Classifier,
  CONTENT_CATEGORIES,
  type ContentCategory,
} from '../../shared/domain/classification.js';

/** One labeled message of the evaluation set. */
export interface EvalRecord {
  readonly text: string;
  /** The categories a reviewer would name; empty for an ordinary message. */
  readonly labels: readonly ContentCategory[];
  readonly lang: 'zh' | 'en';
  readonly note?: string;
  /** Where it stands, for failure messages: `positives/fraud.jsonl:12`. */
  readonly source: string;
}

const recordSchema = z.strictObject({
  text: z.string().check(z.minLength(1)),
  labels: z.array(z.enum(CONTENT_CATEGORIES)),
  lang: z.enum(['zh', 'en']),
  note: z.optional(z.string()),
  // A decided case's line (`npm run export-cases`) also names the case and its reviewer's decision.
  category: z.optional(z.enum(CONTENT_CATEGORIES)),
  decision: z.optional(z.enum(['confirm', 'overturn'])),
  caseId: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
});

const ROOT = new URL('./', import.meta.url);
const HELD_OUT = 'held-out/';

const TRAINING = 'training/';

/**
 * The three parts of the set: `curated` is what the lexicon was written and tuned against (the
 * floors hold there); `training` (under training/) is more labeled data the learned model is
 * trained on beside the curated split, with the held-out rounds folded in once measured;
 * `held-out` (under held-out/) was written later by authors who saw neither the lexicon nor the
 * model, and is never tuned on, so it measures how the classifier does on phrasing it has not
 * seen. Once a held-out round is used for training, it moves to training/ and a new one is written.
 */
export type EvalSplit = 'curated' | 'training' | 'held-out';

function splitOf(file: string): EvalSplit {
  if (file.startsWith(HELD_OUT)) return 'held-out';
  return file.startsWith(TRAINING) ? 'training' : 'curated';
}

/** Every record of one split's `.jsonl` files under test/classifier-eval/, validated; throws naming the line. */
export function loadEvalSet(split: EvalSplit = 'curated'): EvalRecord[] {
  const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .map((file) => file.replaceAll('\\', '/'))
    .filter((file) => file.endsWith('.jsonl') && splitOf(file) === split)
    .sort();
  return files.flatMap((file) => parseLabeledLines(readFileSync(new URL(file, ROOT), 'utf8'), file));
}

/**
 * The held-out rounds, each on its own, oldest first (by file name: `round-3`, `round-4`, ...): a
 * round is measured once as it came, so the bench reports each round apart, the newest one last.
 */
export function heldOutRounds(): { readonly round: string; readonly records: EvalRecord[] }[] {
  return readdirSync(new URL(HELD_OUT, ROOT), { encoding: 'utf8' })
    .filter((file) => file.endsWith('.jsonl'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((file) => ({
      round: file.replace(/\.jsonl$/, ''),
      records: parseLabeledLines(
        readFileSync(new URL(`${HELD_OUT}${file}`, ROOT), 'utf8'),
        `${HELD_OUT}${file}`,
      ),
    }));
}

/**
 * The records of one labeled JSONL text (an evaluation file, or the export of decided cases),
 * validated; throws naming the line. `name` names the file in each record's `source`.
 */
export function parseLabeledLines(text: string, name: string): EvalRecord[] {
  const records: EvalRecord[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const source = `${name}:${index + 1}`;
    const parsed = recordSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${source}: ${JSON.stringify(parsed.error.issues[0])}`);
    const { text: message, labels, lang, note } = parsed.data;
    records.push({ text: message, labels, lang, ...(note === undefined ? {} : { note }), source });
  }
  return records;
}

/** How a classifier did on one category of the set. */
export interface CategoryQuality {
  readonly category: ContentCategory;
  /** Records labeled with the category. */
  readonly positives: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** NaN when the classifier never named the category. */
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** A record the classifier got wrong for one category. */
export interface Miss {
  readonly kind: 'false positive' | 'false negative';
  readonly category: ContentCategory;
  readonly record: EvalRecord;
  /** The hit of a false positive (or the hits of the text, for a false negative). */
  readonly hits: readonly CategoryHit[];
}

export interface Evaluation {
  readonly byCategory: readonly CategoryQuality[];
  readonly misses: readonly Miss[];
}

/** Runs `classifier` over `records` and counts, per category, hits against labels. */
export function evaluate(classifier: Classifier, records: readonly EvalRecord[]): Evaluation {
  const counts = new Map(
    CONTENT_CATEGORIES.map((category) => [category, { tp: 0, fp: 0, fn: 0, positives: 0 }]),
  );
  const misses: Miss[] = [];
  for (const record of records) {
    const hits = classifier.classify(record.text);
    for (const category of CONTENT_CATEGORIES) {
      const count = counts.get(category);
      if (!count) continue;
      const labeled = record.labels.includes(category);
      const hit = hits.find((candidate) => candidate.category === category);
      if (labeled) count.positives += 1;
      if (labeled && hit) count.tp += 1;
      else if (hit) {
        count.fp += 1;
        misses.push({ kind: 'false positive', category, record, hits: [hit] });
      } else if (labeled) {
        count.fn += 1;
        misses.push({ kind: 'false negative', category, record, hits });
      }
    }
  }
  const byCategory = CONTENT_CATEGORIES.map((category): CategoryQuality => {
    const { tp, fp, fn, positives } = counts.get(category) ?? { tp: 0, fp: 0, fn: 0, positives: 0 };
    const precision = tp + fp === 0 ? Number.NaN : tp / (tp + fp);
    const recall = positives === 0 ? Number.NaN : tp / positives;
    const f1 = tp === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return {
      category,
      positives,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision,
      recall,
      f1,
    };
  });
  return { byCategory, misses };
}

/** The per-category figures as an aligned text table. */
export function qualityTable(byCategory: readonly CategoryQuality[]): string {
  const figure = (value: number): string => (Number.isNaN(value) ? '   —' : value.toFixed(3));
  const header = `${'category'.padEnd(20)} precision  recall     F1   TP  FP  FN  labeled`;
  const rows = byCategory.map(
    (q) =>
      `${q.category.padEnd(20)} ${figure(q.precision).padStart(9)} ${figure(q.recall).padStart(7)} ` +
      `${figure(q.f1).padStart(6)} ${String(q.truePositives).padStart(4)} ${String(q.falsePositives).padStart(3)} ` +
      `${String(q.falseNegatives).padStart(3)} ${String(q.positives).padStart(8)}`,
  );
  return [header, ...rows].join('\n');
}

/** One line per miss: what was expected, what fired, and the text. */
export function describeMisses(misses: readonly Miss[]): string {
  return misses
    .map((miss) => {
      const fired = miss.hits.map((hit) => `${hit.category} ${hit.score} [${hit.matchedTerms.join(', ')}]`);
      return `${miss.kind} ${miss.category} (${miss.record.source}): ${miss.record.text}\n    fired: ${fired.join('; ') || 'nothing'}`;
    })
    .join('\n');
}

/** Lower bounds of the calibration buckets of a hit's score (1 is the category's threshold). */
export const SCORE_BUCKETS = [1, 1.25, 1.5, 2, 3] as const;

/** One score bucket: its bounds, the hits that fell in it, and how many named a labeled category. */
export interface CalibrationBucket {
  readonly from: number;
  /** Exclusive; Infinity for the last. */
  readonly to: number;
  readonly hits: number;
  readonly correct: number;
  /** correct ÷ hits; NaN for an empty bucket. */
  readonly precision: number;
}

/**
 * The calibration table of a classifier on labeled records: every hit put in the bucket of its
 * score, and the share of each bucket's hits whose category the record is labeled with — the
 * observed precision at that score, which is what `enforcement.actAtScore` trusts.
 */
export function calibration(classifier: Classifier, records: readonly EvalRecord[]): CalibrationBucket[] {
  const buckets = SCORE_BUCKETS.map((from, index) => ({
    from,
    to: SCORE_BUCKETS[index + 1] ?? Number.POSITIVE_INFINITY,
    hits: 0,
    correct: 0,
  }));
  for (const record of records) {
    for (const hit of classifier.classify(record.text)) {
      const bucket = buckets.findLast((b) => hit.score >= b.from);
      if (!bucket) continue;
      bucket.hits += 1;
      if (record.labels.includes(hit.category)) bucket.correct += 1;
    }
  }
  return buckets.map((b) => ({ ...b, precision: b.hits === 0 ? Number.NaN : b.correct / b.hits }));
}
