/**
 * The occurrences of the learned model's kept features in one text (model.ts): for evidence, and
 * for the sliding windows of a text with a sentence longer than a window.
 */
import type { Sentences } from './model-sentences.js';

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/**
 * Weights per row and sums per window: one per content category (there are 12), added lane by lane
 * in straight-line code (a loop over the categories ran at half the speed). A model of fewer
 * categories has zeros in the lanes past its last.
 */
export const LANES = 12;

/** Adds the LANES weights of `rows` at `base` to `sums` at `at`. */
export function addRow(sums: Int32Array, at: number, rows: Int16Array, base: number): void {
  sums[at] = (sums[at] as number) + (rows[base] as number);
  sums[at + 1] = (sums[at + 1] as number) + (rows[base + 1] as number);
  sums[at + 2] = (sums[at + 2] as number) + (rows[base + 2] as number);
  sums[at + 3] = (sums[at + 3] as number) + (rows[base + 3] as number);
  sums[at + 4] = (sums[at + 4] as number) + (rows[base + 4] as number);
  sums[at + 5] = (sums[at + 5] as number) + (rows[base + 5] as number);
  sums[at + 6] = (sums[at + 6] as number) + (rows[base + 6] as number);
  sums[at + 7] = (sums[at + 7] as number) + (rows[base + 7] as number);
  sums[at + 8] = (sums[at + 8] as number) + (rows[base + 8] as number);
  sums[at + 9] = (sums[at + 9] as number) + (rows[base + 9] as number);
  sums[at + 10] = (sums[at + 10] as number) + (rows[base + 10] as number);
  sums[at + 11] = (sums[at + 11] as number) + (rows[base + 11] as number);
}

/** Takes the LANES weights of `rows` at `base` off `sums` at `at`. */
function subtractRow(sums: Int32Array, at: number, rows: Int16Array, base: number): void {
  sums[at] = (sums[at] as number) - (rows[base] as number);
  sums[at + 1] = (sums[at + 1] as number) - (rows[base + 1] as number);
  sums[at + 2] = (sums[at + 2] as number) - (rows[base + 2] as number);
  sums[at + 3] = (sums[at + 3] as number) - (rows[base + 3] as number);
  sums[at + 4] = (sums[at + 4] as number) - (rows[base + 4] as number);
  sums[at + 5] = (sums[at + 5] as number) - (rows[base + 5] as number);
  sums[at + 6] = (sums[at + 6] as number) - (rows[base + 6] as number);
  sums[at + 7] = (sums[at + 7] as number) - (rows[base + 7] as number);
  sums[at + 8] = (sums[at + 8] as number) - (rows[base + 8] as number);
  sums[at + 9] = (sums[at + 9] as number) - (rows[base + 9] as number);
  sums[at + 10] = (sums[at + 10] as number) - (rows[base + 10] as number);
  sums[at + 11] = (sums[at + 11] as number) - (rows[base + 11] as number);
}

/** Called with each window's sums (hundredths, per category) and its folded units [from, to). */
export type KeepWindow = (sum: Int32Array, from: number, to: number) => void;

/**
 * Occurrence o covers folded units [startOf[o], endOf[o]) and is of feature row rowAt[o];
 * symbolOf[o] is -1, or for a symbol its offset in the original text. Reused from text to text.
 */
export class Occurrences {
  rowAt = new Int32Array(1024);
  startOf = new Int32Array(1024);
  endOf = new Int32Array(1024);
  symbolOf = new Int32Array(1024);
  count = 0;
  /** Occurrences before the first symbol's, in order of where they end (symbols are reported last). */
  grams = 0;
  // Listed by the folded unit where they end (headAt, nextAt) and start (headFrom, nextFrom), when linked.
  private headAt = new Int32Array(256);
  private headFrom = new Int32Array(256);
  private nextAt = new Int32Array(1024);
  private nextFrom = new Int32Array(1024);
  /** Per row: its occurrences in the current sliding window (a feature counts once however often it occurs). */
  private readonly inWindow: Int32Array;
  private readonly sum: Int32Array;

  /**
   * `rows`: the model's weights in hundredths, row r's per-category weights at r × stride (LANES
   * of them, zeros past the model's categories); `rowCount` rows.
   */
  constructor(
    private readonly rows: Int16Array,
    private readonly stride: number,
    rowCount: number,
  ) {
    this.inWindow = new Int32Array(rowCount);
    this.sum = new Int32Array(LANES);
  }

  /** Forgets the last text's occurrences; `linkUnits` > 0 lists the next ones by unit too, over that many units. */
  reset(linkUnits = 0): void {
    this.count = 0;
    this.grams = 0;
    if (linkUnits === 0) return;
    if (this.headAt.length < linkUnits) {
      this.headAt = new Int32Array(Math.max(linkUnits, this.headAt.length * 2));
      this.headFrom = new Int32Array(this.headAt.length);
    }
    this.headAt.fill(-1, 0, linkUnits);
    this.headFrom.fill(-1, 0, linkUnits);
  }

  /** Records an occurrence of `row` over folded units [first, last); returns its number. */
  record(row: number, first: number, last: number, symbol: number): number {
    if (this.count === this.rowAt.length) {
      this.rowAt = grow(this.rowAt);
      this.startOf = grow(this.startOf);
      this.endOf = grow(this.endOf);
      this.symbolOf = grow(this.symbolOf);
    }
    const o = this.count++;
    this.rowAt[o] = row;
    this.startOf[o] = first;
    this.endOf[o] = last;
    this.symbolOf[o] = symbol;
    if (symbol < 0) this.grams = this.count;
    return o;
  }

  /** Records an occurrence and lists it by unit (after reset with the text's length). */
  recordLinked(row: number, first: number, last: number, symbol: number): void {
    const o = this.record(row, first, last, symbol);
    if (this.nextAt.length < this.rowAt.length) {
      this.nextAt = grow(this.nextAt);
      this.nextFrom = grow(this.nextFrom);
    }
    this.nextAt[o] = this.headAt[last - 1] as number;
    this.headAt[last - 1] = o;
    this.nextFrom[o] = this.headFrom[first] as number;
    this.headFrom[first] = o;
  }

  /** The first of the grams' occurrences that ends after folded unit `unit` (or `grams`). */
  firstEndingAfter(unit: number): number {
    let low = 0;
    let high = this.grams;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.endOf[middle] as number) > unit) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  private add(o: number, sign: number): void {
    const row = this.rowAt[o] as number;
    const before = this.inWindow[row] as number;
    this.inWindow[row] = before + sign;
    if (sign > 0 ? before !== 0 : before !== 1) return;
    if (sign > 0) addRow(this.sum, 0, this.rows, row * this.stride);
    else subtractRow(this.sum, 0, this.rows, row * this.stride);
  }

  /**
   * Slides a window over the sentences of the linked occurrences' text and hands each window's
   * sums to `keep`: a sentence of at most `window` units is one window; a longer one has a window
   * from each of its units to its end, at most `window` units. Both ends only move forward, so
   * each occurrence enters and leaves at most once.
   */
  slide(sentences: Sentences, window: number, keep: KeepWindow): void {
    const { headAt, headFrom, nextAt, nextFrom, startOf, endOf, rowAt, inWindow, sum } = this;
    sum.fill(0);
    let from = 0;
    let to = 0;
    for (let s = 0; s < sentences.count; s++) {
      const first = sentences.starts[s] as number;
      const last = sentences.starts[s + 1] as number;
      const lastStart = last - first > window ? last - 1 : first;
      for (let start = first; start <= lastStart; start++) {
        const end = Math.min(start + window, last);
        if (start >= to) {
          // Past everything the window held (the next sentence): start afresh rather than take
          // each feature off.
          for (let unit = from; unit < to; unit++) {
            for (let o = headFrom[unit] as number; o >= 0; o = nextFrom[o] as number)
              inWindow[rowAt[o] as number] = 0;
          }
          sum.fill(0);
          to = start;
        } else {
          for (let unit = from; unit < start; unit++) {
            for (let o = headFrom[unit] as number; o >= 0; o = nextFrom[o] as number) {
              if ((endOf[o] as number) <= to) this.add(o, -1);
            }
          }
        }
        for (let unit = to; unit < end; unit++) {
          for (let o = headAt[unit] as number; o >= 0; o = nextAt[o] as number) {
            if ((startOf[o] as number) >= start) this.add(o, 1);
          }
        }
        from = start;
        to = end;
        keep(sum, from, to);
      }
    }
    for (let o = 0; o < this.count; o++) inWindow[rowAt[o] as number] = 0;
  }
}
