/**
 * The learned model's features as inference reads them (model.ts): each feature's row of weights,
 * padded to a cache line's half with what evidence ranks by, and the hash table that finds a row
 * by its key's hash. Built from a model file here, or read as they are from the classifier image.
 */
import { InvalidLexiconError } from './errors.js';
import { hashOfKey } from './model-features.js';
import { decodeWeights, type ModelData } from './model-file.js';
import { LANES } from './model-occurrences.js';

/** Lanes of a row's padding (past LANES): its largest weight, that weight's category, the next largest elsewhere. */
export const TOP = LANES;
export const TOP_AT = LANES + 1;
export const NEXT = LANES + 2;

/** A model's features as its file has them: per feature its key's hash, and its row of weights. */
export interface ModelTables {
  /** Per feature, `hashOfKey` of its key (model-features.ts). */
  readonly hashes: Int32Array;
  /** Row-major, a row of per-category weights (in hundredths: WEIGHT_SCALE) per feature. */
  readonly rows: Int16Array;
}

/**
 * A model's features as inference reads them (built by lookupTables; the classifier image keeps
 * them as they are, so that a cold start reads them in place rather than building them).
 */
export interface LookupTables {
  /**
   * Per feature, a row of STRIDE 16-bit lanes (32 bytes: a row is read from one cache line): its
   * LANES weights per category, then, for evidence, its largest weight (TOP), that weight's
   * category (TOP_AT) and its largest weight in any other category (NEXT), none below 0.
   */
  readonly rows: Int16Array;
  /**
   * An open-addressing table of the features' hashes, a power of 2 of slots at least twice the
   * features: slot s holds a hash at 2s and its row + 1 at 2s + 1 (0: empty), side by side for
   * one memory read.
   */
  readonly slots: Int32Array;
}

/** Lanes of a row of LookupTables.rows. */
export const STRIDE = 16;

/** The lookup tables of a validated model file: its keys hashed, its weights decoded and padded. */
export function fileLookupTables(data: ModelData): LookupTables {
  const { keys, rows } = decodeWeights(data);
  const hashes = Int32Array.from(keys, (key) => hashOfKey(key) as number);
  return lookupTables(data.categories.length, { hashes, rows }, keys);
}

/**
 * The lookup tables of a model's k categories and its file's tables; `keys`, when known, name a
 * feature whose hash collides with another's (InvalidLexiconError).
 */
export function lookupTables(k: number, tables: ModelTables, keys?: readonly string[]): LookupTables {
  const { hashes, rows: packed } = tables;
  // The file's categories are distinct content categories, so at most LANES.
  if (k > LANES) throw new InvalidLexiconError(`invalid model: more than ${LANES} categories`);
  if (packed.length !== hashes.length * k) {
    throw new InvalidLexiconError(`invalid model: weights need ${k} per feature`);
  }
  const featureCount = hashes.length;
  const rows = new Int16Array(featureCount * STRIDE);
  for (let row = 0; row < featureCount; row++) {
    const base = row * STRIDE;
    const from = row * k;
    let top = 0;
    let topAt = -1;
    let next = 0;
    // One element at a time: a subarray per row made this loop twice as slow on a cold start.
    for (let c = 0; c < k; c++) {
      const weight = packed[from + c] as number;
      rows[base + c] = weight;
      if (weight > top) {
        next = top;
        top = weight;
        topAt = c;
      } else if (weight > next) next = weight;
    }
    rows[base + TOP] = top;
    rows[base + TOP_AT] = topAt;
    rows[base + NEXT] = next;
  }
  let capacity = 16;
  while (capacity < featureCount * 2) capacity *= 2;
  const mask = capacity - 1;
  const slots = new Int32Array(capacity * 2);
  for (let row = 0; row < featureCount; row++) {
    const hash = hashes[row] as number;
    let slot = hash & mask;
    while (slots[2 * slot + 1] !== 0) {
      if (slots[2 * slot] === hash) {
        const name = keys?.[row] ?? `number ${row}`;
        throw new InvalidLexiconError(`invalid model: feature ${name} collides with another`);
      }
      slot = (slot + 1) & mask;
    }
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = row + 1;
  }
  return { rows, slots };
}

/** Bits of a feature hash that place it in a presence filter (its top bits: the table's slot is from its low ones). */
const FILTER_BITS = 18;

/**
 * A presence filter of a lookup table's features: bit `hash >>> (32 - FILTER_BITS)` is set for each
 * (32 KB). A feature whose bit is clear is not in the model, without a probe of the table: most
 * bigrams and word pairs of a text are not (65 % and 81 % on 1 KB messages), and the filter, 12 %
 * full with model-13's 32,104 features, turns nearly nine in ten of them away in memory that stays
 * in cache: the model's `score` 6-7 % faster on 1 KB messages, `classify` 2-3.5 %; on the
 * evaluation set, whose features the model mostly has, `classify` 0-2 % slower.
 */
export function presenceFilter(slots: Int32Array): Int32Array {
  const filter = new Int32Array(1 << (FILTER_BITS - 5));
  for (let slot = 0; 2 * slot < slots.length; slot++) {
    if (slots[2 * slot + 1] === 0) continue;
    const bit = (slots[2 * slot] as number) >>> (32 - FILTER_BITS);
    filter[bit >>> 5] = (filter[bit >>> 5] as number) | (1 << (bit & 31));
  }
  return filter;
}

/** Whether a presence filter may hold `hash` (false: the model has no such feature). */
export function mayHold(filter: Int32Array, hash: number): boolean {
  const bit = hash >>> (32 - FILTER_BITS);
  return ((filter[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
}
