/**
 * Spans [start, end) of a text (the occurrences of a category's exceptions) that answer, in
 * O(log n) each, whether one of them covers a given span. A scan of every span per question would
 * make classification quadratic in a text that repeats an exception and a term inside it many
 * times (`拒绝刷单` 50,000 times: 50,000 questions over 50,000 spans).
 */
export class SpanCover {
  /** The spans' ends, ascending. */
  readonly #ends: Int32Array;
  /** minStart[j]: the least start among the spans j.. (in the order of `#ends`). */
  readonly #minStart: Int32Array;

  private constructor(ends: Int32Array, minStart: Int32Array) {
    this.#ends = ends;
    this.#minStart = minStart;
  }

  /** The cover of `pairs` (start, end, start, end, ...), in any order. */
  static of(pairs: readonly number[]): SpanCover {
    const count = pairs.length >> 1;
    const order = Array.from({ length: count }, (_, k) => k);
    // Occurrences arrive by end already (the automaton reports them as the scan passes their end).
    let sorted = true;
    for (let k = 1; k < count && sorted; k++)
      sorted = (pairs[2 * k + 1] as number) >= (pairs[2 * k - 1] as number);
    if (!sorted) order.sort((a, b) => (pairs[2 * a + 1] as number) - (pairs[2 * b + 1] as number));
    const ends = new Int32Array(count);
    const minStart = new Int32Array(count);
    let least = Number.MAX_SAFE_INTEGER;
    for (let j = count - 1; j >= 0; j--) {
      const k = order[j] as number;
      ends[j] = pairs[2 * k + 1] as number;
      least = Math.min(least, pairs[2 * k] as number);
      minStart[j] = least;
    }
    return new SpanCover(ends, minStart);
  }

  /** Whether [start, end) lies wholly inside one of the spans. */
  covers(start: number, end: number): boolean {
    const ends = this.#ends;
    // The first span that ends at or after `end`; every span from there on ends late enough.
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((ends[middle] as number) < end) low = middle + 1;
      else high = middle;
    }
    return low < ends.length && (this.#minStart[low] as number) <= start;
  }
}
