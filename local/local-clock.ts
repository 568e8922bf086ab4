import { ClockRangeError } from './errors.js';

/** The times local mode's clock may show (CONTRACT §4): the years 2000–2099, in UTC. */
export const CLOCK_RANGE = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2100, 0, 1) } as const;

/** The value of the shared cell while the clock follows the real one (1970, outside CLOCK_RANGE). */
const FOLLOWS_REAL_CLOCK = 0n;

/**
 * The clock of local mode. It starts on the real clock (`Date.now()`); the first `set` or
 * `advance` freezes it at a simulated time, and from then on it moves only when told (contract §4,
 * `POST /local/clock`). Times are epoch milliseconds.
 *
 * The time lives in a `SharedArrayBuffer`, so the evaluator's thread reads the same clock
 * (`new LocalClock(clock.buffer)` there): a move is seen by both threads at once.
 */
export class LocalClock {
  /** The simulated time, or FOLLOWS_REAL_CLOCK while the clock still follows the real one. */
  readonly #cell: BigInt64Array;

  /** A new clock on the real time, or a view of the clock whose `buffer` is given. */
  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT)) {
    this.#cell = new BigInt64Array(buffer, 0, 1);
  }

  /** The shared memory the time is kept in, to hand to another thread. */
  get buffer(): SharedArrayBuffer {
    return this.#cell.buffer as SharedArrayBuffer;
  }

  /** Whether the clock has been set or advanced, and so no longer follows the real clock. */
  get frozen(): boolean {
    return Atomics.load(this.#cell, 0) !== FOLLOWS_REAL_CLOCK;
  }

  /** The current time in ms: the real time until frozen, the simulated time after. */
  now(): number {
    const simulated = Atomics.load(this.#cell, 0);
    return simulated === FOLLOWS_REAL_CLOCK ? Date.now() : Number(simulated);
  }

  /**
   * Freezes the clock at `at` (ms), earlier or later than now; answers the new time. A time
   * outside the years 2000–2099 is refused, and the clock stays where it was.
   */
  set(at: number): number {
    if (!Number.isFinite(at)) throw new ClockRangeError(`the clock cannot be set to ${at}: not a time in ms`);
    if (at < CLOCK_RANGE.from || at >= CLOCK_RANGE.to)
      throw new ClockRangeError(`the clock stays within the years 2000–2099, not at ${shown(at)}`);
    // Whole milliseconds: the shared cell holds an integer.
    const whole = Math.floor(at);
    Atomics.store(this.#cell, 0, BigInt(whole));
    return whole;
  }

  /**
   * Moves the clock `ms` forward and freezes it there; on the real clock still, from the current
   * real time. Answers the new time. Moving backwards is `set`'s job: a negative `ms` is refused.
   */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0)
      throw new ClockRangeError(`the clock advances by 0 ms or more, not by ${ms}; set it to go back`);
    return this.set(this.now() + ms);
  }
}

/** A time in ms as ISO 8601 where JavaScript can show it as a date, else as the number. */
function shown(at: number): string {
  return Math.abs(at) <= 8.64e15 ? new Date(at).toISOString() : `${at} ms`;
}
