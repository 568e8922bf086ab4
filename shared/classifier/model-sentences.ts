/**
 * The sentences of a folded text, for the learned model's windows (model.ts): a sentence ends
 * where the folding dropped a sentence break between two folded units.
 */
import type { NormalizedText } from './normalize.js';

/**
 * What ends a sentence where the folding dropped it between two units: 。！？；… ! ? ; a line
 * break, and a full stop before a space (not the one in c.a.s.i.n.o, 3.5 or a link).
 */
const SENTENCE_END = /[\u3002\uff01\uff1f\uff1b\u2026!?;\n\r]|\.(?=\s)/g;

/**
 * The folded unit that original[offset] stands before when the folding dropped it: the first unit
 * starting after `offset` (the text's length after the last), or -1 when a unit covers `offset`
 * (its start is at or before it, its end after: the folding kept it). Units' spans are in order
 * and do not overlap (normalize.ts), so a binary search over their starts finds it.
 */
export function unitAfterDropped(folded: NormalizedText, offset: number): number {
  const { starts, ends } = folded;
  let low = 0;
  let high = folded.text.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] as number) > offset) high = middle;
    else low = middle + 1;
  }
  return low > 0 && (ends[low - 1] as number) > offset ? -1 : low;
}

/**
 * A text's sentences, as folded units: sentence s is [starts[s], starts[s + 1]), for s below
 * `count`. Reused from text to text (valid until the next split).
 */
export class Sentences {
  starts = new Int32Array(64);
  count = 0;
  /** The longest sentence's length, in folded units. */
  longest = 0;

  /** One sentence, [0, length). */
  whole(length: number): void {
    this.starts[0] = 0;
    this.starts[1] = length;
    this.count = 1;
    this.longest = length;
  }

  /**
   * Splits folded units [0, length) of `folded` (folded from `original`) at its sentence breaks:
   * between two units, where what the folding dropped there holds a sentence end. The expression
   * finds the candidates (a native scan, rather than a look at every gap between units).
   */
  split(original: string, folded: NormalizedText, length: number): void {
    this.count = 0;
    this.longest = 0;
    let start = 0;
    SENTENCE_END.lastIndex = 0;
    const { starts, ends } = folded;
    const n = folded.text.length;
    // unitAfterDropped's answer for each match, walking on from the last one's (matches come in
    // order): a binary search per match cost more, a sixth of the split on 1 KB messages.
    let unit = 0;
    // test rather than exec: no match object per sentence. Every match is one unit long.
    while (SENTENCE_END.test(original)) {
      const offset = SENTENCE_END.lastIndex - 1;
      while (unit < n && (starts[unit] as number) <= offset) unit++;
      // A unit covers the match: the folding kept it, so it ends no sentence.
      if (unit > 0 && (ends[unit - 1] as number) > offset) continue;
      if (unit > start && unit < length) {
        this.push(start, unit);
        start = unit;
      }
    }
    this.push(start, length);
  }

  private push(start: number, end: number): void {
    if (this.count + 2 > this.starts.length) {
      const next = new Int32Array(this.starts.length * 2);
      next.set(this.starts);
      this.starts = next;
    }
    this.starts[this.count] = start;
    this.starts[this.count + 1] = end;
    this.count++;
    if (end - start > this.longest) this.longest = end - start;
  }
}
