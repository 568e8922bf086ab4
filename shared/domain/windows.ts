/**
 * Bounded time windows for member and corp state: counters in time buckets and per-day Bloom
 * filters, never unbounded lists, so a member adding 10,000 contacts a day stays a few KB. Days
 * are numbered in the policy's time zone (`dayOf` in zone-rule.ts).
 */

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

/**
 * Counts per bucket, flat: `[bucket, count, bucket, count, …]` in ascending bucket order. One array
 * rather than one per pair keeps a state's objects few, which is what a cold read costs.
 */
export type Buckets = readonly number[];

/** Adds `amount` to `bucket`, dropping buckets below `oldest`; returns a new list. */
export function addToBucket(buckets: Buckets, bucket: number, amount: number, oldest: number): Buckets {
  const next: number[] = [];
  let added = false;
  for (let i = 0; i < buckets.length; i += 2) {
    const b = buckets[i] as number;
    const n = buckets[i + 1] as number;
    if (b < oldest) continue;
    if (b === bucket) {
      next.push(b, n + amount);
      added = true;
    } else {
      if (!added && b > bucket) {
        next.push(bucket, amount);
        added = true;
      }
      next.push(b, n);
    }
  }
  if (!added && bucket >= oldest) next.push(bucket, amount);
  return next;
}

/** The sum of the buckets from `oldest` on. */
export function sumFrom(buckets: Buckets, oldest: number): number {
  let sum = 0;
  for (let i = 0; i < buckets.length; i += 2)
    if ((buckets[i] as number) >= oldest) sum += buckets[i + 1] as number;
  return sum;
}

/** Whether there is a bucket `bucket`. */
export function hasBucket(buckets: Buckets, bucket: number): boolean {
  for (let i = 0; i < buckets.length; i += 2) if (buckets[i] === bucket) return true;
  return false;
}

/** The buckets from `oldest` on, and up to `newest`. */
export function countBuckets(buckets: Buckets, oldest: number, newest: number): number {
  let count = 0;
  for (let i = 0; i < buckets.length; i += 2) {
    const b = buckets[i] as number;
    if (b >= oldest && b <= newest) count += 1;
  }
  return count;
}

/** Bits of each per-day Bloom filter: 1,024 bits keep false positives near 1.6% at 100 keys a day. */
const BLOOM_BYTES = 128;
const BLOOM_HASHES = 3;

/** A day's Bloom filter of keys (external user ids), base64 so that state stays plain JSON. */
export interface DayFilter {
  readonly day: number;
  readonly bits: string;
}

/** Records `key` in the filter of `day`, keeping only filters from `oldestDay` on. */
export function addToDayFilters(
  filters: readonly DayFilter[],
  day: number,
  key: string,
  oldestDay: number,
): DayFilter[] {
  const next: DayFilter[] = [];
  let done = false;
  for (const filter of filters) {
    if (filter.day < oldestDay) continue;
    if (filter.day === day) {
      next.push({ day, bits: setBits(filter.bits, key) });
      done = true;
    } else next.push(filter);
  }
  if (!done && day >= oldestDay) next.push({ day, bits: setBits('', key) });
  return next;
}

/** Records every key in the filter of `day` at once (one decode and encode for a whole mass send). */
export function addAllToDayFilters(
  filters: readonly DayFilter[],
  day: number,
  keys: readonly string[],
  oldestDay: number,
): DayFilter[] {
  const next = filters.filter((filter) => filter.day >= oldestDay && filter.day !== day);
  if (day < oldestDay) return next;
  const current = filters.find((filter) => filter.day === day);
  const bytes = decodeInto(current?.bits ?? '');
  for (const key of keys)
    for (const p of bitPositions(key)) bytes[p >> 3] = (bytes[p >> 3] ?? 0) | (1 << (p & 7));
  next.push({ day, bits: bytes.toString('base64') });
  return next;
}

/** Whether `key` is (probably) in a filter of a day from `oldestDay` on. */
export function inDayFilters(filters: readonly DayFilter[], key: string, oldestDay: number): boolean {
  const positions = bitPositions(key);
  for (const filter of filters) {
    if (filter.day < oldestDay) continue;
    const bytes = decodeInto(filter.bits);
    if (positions.every((p) => ((bytes[p >> 3] ?? 0) & (1 << (p & 7))) !== 0)) return true;
  }
  return false;
}

/** One buffer reused for every decode: filters are read and written synchronously, one at a time. */
const scratch = Buffer.alloc(BLOOM_BYTES);

function decodeInto(bits: string): Buffer {
  if (bits === '') scratch.fill(0);
  else scratch.write(bits, 'base64');
  return scratch;
}

function setBits(bits: string, key: string): string {
  const bytes = decodeInto(bits);
  for (const p of bitPositions(key)) bytes[p >> 3] = (bytes[p >> 3] ?? 0) | (1 << (p & 7));
  return bytes.toString('base64');
}

/** Bit positions of a key: double hashing over two FNV-1a variants (pure, no crypto needed). */
function bitPositions(key: string): number[] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  const size = BLOOM_BYTES * 8;
  const positions: number[] = [];
  for (let i = 0; i < BLOOM_HASHES; i++) positions.push(((h1 + Math.imul(i, h2 | 1)) >>> 0) % size);
  return positions;
}

/** A small stable hash of a text (FNV-1a, hex), to group identical texts without storing them. */
export function textKey(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

/** A 64-bit hash of a text as 16 hex digits (two independent 32-bit FNV-1a variants). */
export function textKey64(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
