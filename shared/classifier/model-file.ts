/**
 * The learned model's file (data/default-model.json): its schema, its validation, and the compact
 * encoding of its weights. Written by `npm run train-classifier`, read at every cold start by
 * createModel (model.ts).
 */
import * as z from 'zod/mini';
import { CONTENT_CATEGORIES } from '../domain/index.js';
import { parseWith } from '../parse-with.js';
import { InvalidLexiconError } from './errors.js';
import { hashOfKey } from './model-features.js';

const modelSchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  /** What it was trained on, and how (written by the training script, for the record). */
  training: z.optional(z.record(z.string(), z.unknown())),
  categories: z.array(z.enum(CONTENT_CATEGORIES)).check(z.minLength(1)),
  bias: z.array(z.number()),
  /** The feature keys (model-features.ts's `g:`, `w:`, `p:`, `s:`), one a line, sorted. */
  features: z.string(),
  /**
   * Per feature, its weight per category (in the order of `categories`): little-endian 16-bit
   * integers of hundredths, in base64 (training rounds weights to hundredths, so this is exact;
   * a file a tenth the size of the same numbers in JSON, read at every cold start).
   */
  weights: z.string(),
  /**
   * How the lexicon's evidence and the model's are weighed together, per category: with s the
   * lexicon's score (capped at lexiconCap, over the category's threshold), the stacked logit is
   * lexicon × s + distanced × s (when the text holds a distancing cue) + model × the model's logit +
   * rival × the model's best logit for another category (fusion.ts's rivalLogit) + bias, and the
   * category fires when it reaches fireAt.
   */
  fusion: z.strictObject({
    lexiconCap: z.number().check(z.positive()),
    lexicon: z.array(z.number()),
    distanced: z.array(z.number()),
    model: z.array(z.number()),
    rival: z.array(z.number()),
    bias: z.array(z.number()),
    fireAt: z.array(z.number()),
  }),
});

/** A trained model as its file has it. */
export type ModelData = z.output<typeof modelSchema>;

/** Validates a model file, its weights too; throws InvalidLexiconError naming the first bad field. */
export function parseModel(json: unknown): ModelData {
  const model = parseFile(json);
  decodeWeights(model);
  return model;
}

/** Validates a model file's fields (decodeWeights checks its features and weights). */
export function parseFile(json: unknown): ModelData {
  const model = parseWith(modelSchema, json, (issue, cause) => {
    const path = (issue?.path ?? []).map(String);
    if (issue?.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
    const problem =
      issue?.code === 'unrecognized_keys' ? 'is not a known field' : `is invalid (${issue?.code})`;
    return new InvalidLexiconError(`invalid model: ${path.join('.') || 'value'} ${problem}`, {
      cause,
    });
  });
  const k = model.categories.length;
  if (new Set(model.categories).size !== k) throw new InvalidLexiconError('invalid model: categories repeat');
  for (const [name, list] of Object.entries({ ...model.fusion, modelBias: model.bias })) {
    if (Array.isArray(list) && list.length !== k) {
      throw new InvalidLexiconError(`invalid model: ${name} needs one number per category`);
    }
  }
  return model;
}

/** Whether this machine stores a 16-bit integer's low byte first, as the file's weights are. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Weight units per 1 in the file's `weights`: weights are stored, and summed, in hundredths, so a
 * window's sum is exact whatever the order its features are added in.
 */
export const WEIGHT_SCALE = 100;

/** The feature keys and weights of a model file, per feature key its row of per-category weights. */
export function encodeWeights(weights: ReadonlyMap<string, readonly number[]>): {
  features: string;
  weights: string;
} {
  const keys = [...weights.keys()].sort();
  const k = keys.length === 0 ? 0 : (weights.get(keys[0] as string) as readonly number[]).length;
  const bytes = Buffer.alloc(keys.length * k * 2);
  keys.forEach((key, row) => {
    (weights.get(key) as readonly number[]).forEach((weight, c) => {
      bytes.writeInt16LE(Math.round(weight * WEIGHT_SCALE), (row * k + c) * 2);
    });
  });
  return { features: keys.join('\n'), weights: bytes.toString('base64') };
}

/**
 * A model file's feature keys and weights (row-major, a row of per-category weights per key, in
 * hundredths: WEIGHT_SCALE), checked.
 */
export function decodeWeights(model: ModelData): { keys: string[]; rows: Int16Array } {
  const k = model.categories.length;
  const keys = model.features === '' ? [] : model.features.split('\n');
  for (const key of keys) {
    if (hashOfKey(key) === undefined)
      throw new InvalidLexiconError(`invalid model: feature key ${key} has no kind`);
  }
  const bytes = Buffer.from(model.weights, 'base64');
  if (bytes.length !== keys.length * k * 2) {
    throw new InvalidLexiconError(
      `invalid model: weights need ${k} per feature (${keys.length * k * 2} bytes)`,
    );
  }
  const rows = new Int16Array(keys.length * k);
  // The bytes as they are on a little-endian machine (every Lambda architecture); read one by one
  // on another (model-8's 267,000 reads were 7 % of the classifier's cold import, profiled).
  if (LITTLE_ENDIAN) new Uint8Array(rows.buffer).set(bytes);
  else for (let i = 0; i < rows.length; i++) rows[i] = bytes.readInt16LE(i * 2);
  return { keys, rows };
}
