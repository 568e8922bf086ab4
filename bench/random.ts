/** sfc32: a small, fast, seeded PRNG, so the benches' streams and corpora are the same on every run. */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed | 0;
    for (let i = 0; i < 16; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  between(low: number, high: number): number {
    return low + this.next() * (high - low);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  pickWeighted<T>(items: readonly T[], weights: readonly number[]): T {
    let roll = this.next() * weights.reduce((a, b) => a + b, 0);
    for (let k = 0; k < items.length; k++) {
      roll -= weights[k] ?? 0;
      if (roll < 0) return items[k] as T;
    }
    return items[items.length - 1] as T;
  }

  /** Item k with probability ∝ 1 / (k + 1) (Zipf's law, exponent 1), as word and character frequencies go. */
  zipf<T>(items: readonly T[]): T {
    const n = items.length;
    // Inverse of the continuous approximation of the harmonic CDF: k ≈ (n + 1)^u - 1.
    const k = Math.floor((n + 1) ** this.next() - 1);
    return items[Math.min(n - 1, Math.max(0, k))] as T;
  }

  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }

  /** Exponentially distributed, with this mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}
