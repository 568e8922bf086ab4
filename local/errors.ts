/** A clock move local mode refuses (CONTRACT §4): not a time, or outside the years 2000–2099. */
export class ClockRangeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'ClockRangeError';
  }
}
