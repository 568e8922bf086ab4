/**
 * The sentences of a folded text, for the learned model's windows (model.ts): a sentence ends
 * where the folding dropped a sentence break between two folded units.
 */
import type { NormalizedText } from './normalize.js';

/** 。！？；… ! ? ; and line breaks. */
const SENTENCE_ENDS = [0x3002, 0xff01, 0xff1f, 0xff1b, 0x2026, 0x21, 0x3f, 0x3b, 0x0a, 0x0d];

/** Whether original[from, to), what the folding dropped between two units, ends a sentence. */
function breaksSentence(original: string, from: number, to: number): boolean {
  for (let p = from; p < to; p++) {
    const unit = original.charCodeAt(p);
    if (SENTENCE_ENDS.includes(unit)) return true;
    // A full stop ends a sentence before a space (not in c.a.s.i.n.o, 3.5 or a link).
    if (unit === 0x2e && p + 1 < original.length && /\s/.test(original.charAt(p + 1))) return true;
  }
  return false;
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

  /** Splits folded units [0, length) of `folded` (folded from `original`) at its sentence breaks. */
  split(original: string, folded: NormalizedText, length: number): void {
    this.count = 0;
    this.longest = 0;
    let start = 0;
    for (let u = 1; u < length; u++) {
      if (breaksSentence(original, folded.ends[u - 1] as number, folded.starts[u] as number)) {
        this.push(start, u);
        start = u;
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
