/**
 * The clock of local mode. It starts on the real clock (`Date.now()`); the first `set` or
 * `advance` freezes it at a simulated time, and from then on it moves only when told (contract §4,
 * `POST /local/clock`). Times are epoch milliseconds.
 */
export class LocalClock {
  /** The simulated time, or null while the clock still follows the real one. */
  #simulated: number | null = null;

  /** Whether the clock has been set or advanced, and so no longer follows the real clock. */
  get frozen(): boolean {
    return this.#simulated !== null;
  }

  /** The current time in ms: the real time until frozen, the simulated time after. */
  now(): number {
    return this.#simulated ?? Date.now();
  }

  /** Freezes the clock at `at` (ms), earlier or later than now; answers the new time. */
  set(at: number): number {
    if (!Number.isFinite(at)) throw new RangeError(`the clock cannot be set to ${at}: not a time in ms`);
    this.#simulated = at;
    return at;
  }

  /**
   * Moves the clock `ms` forward and freezes it there; on the real clock still, from the current
   * real time. Answers the new time. Moving backwards is `set`'s job: a negative `ms` is refused.
   */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`the clock advances by 0 ms or more, not by ${ms}; set it to go back`);
    return this.set(this.now() + ms);
  }
}
