import { EVENT_TIME_RANGE } from '../contract/index.js';
import { PolicyError } from './errors.js';
import { DAY_MS } from './windows.js';
import type { ZoneRule, ZoneTransition } from './zone-rule.js';

/**
 * Offsets are sampled a week apart: no zone has changed its offset twice within a week since
 * 2000 (Morocco's Ramadan pause, the closest, is about a month), and each change found is then
 * pinned to the second.
 */
const SAMPLE_MS = 7 * DAY_MS;
/** The span resolved at a time: 52 samples (364 days), so that chunks lie on the samples' grid. */
const CHUNK_MS = 52 * SAMPLE_MS;
const FIRST = EVENT_TIME_RANGE.min;
/** The chunk of the last time an event may carry. */
const LAST_CHUNK = Math.floor((EVENT_TIME_RANGE.max - FIRST) / CHUNK_MS);

/** Rules already resolved, by the name asked for: a corp override of the same zone costs nothing. */
const resolved = new Map<string, ZoneRule>();

/** The canonical IANA name of a time zone (`asia/shanghai` → `Asia/Shanghai`), or null when unknown. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/**
 * The offsets of an IANA time zone over the times events may carry (2000 to 2100), from Intl. They
 * are resolved a chunk of CHUNK_MS at a time, the first time a time in or beside the chunk is asked
 * about: a cold start resolved the whole century when the policy was read, about 13 ms here for a
 * zone whose offset never changes and 20 ms for one with daylight saving time, where deciding reads
 * a year or two of it. Chunks are sampled on the grid the whole century would be, so each
 * transition is found where it would have been. An unknown zone throws PolicyError.
 */
export function resolveZoneRule(name: string): ZoneRule {
  const known = resolved.get(name);
  if (known) return known;
  const timeZone = canonicalTimeZone(name);
  if (timeZone === null)
    throw new PolicyError(`"${name}" is not an IANA time zone name such as Asia/Shanghai or UTC`);
  const offsetOf = offsetReader(timeZone);
  const chunks: ZoneTransition[][] = [];
  /** Per chunk: the transitions of it and of the chunks either side, each change once. */
  const around: ZoneTransition[][] = [];
  const chunkOf = (index: number): ZoneTransition[] => {
    const known = chunks[index];
    if (known) return known;
    const start = FIRST + index * CHUNK_MS;
    const end = index === LAST_CHUNK ? EVENT_TIME_RANGE.max + SAMPLE_MS : start + CHUNK_MS;
    let previous = start;
    let offset = offsetOf(previous);
    const transitions: ZoneTransition[] = [{ fromUtcMs: start, offsetMs: offset }];
    for (let at = previous + SAMPLE_MS; at <= end; at += SAMPLE_MS) {
      const next = offsetOf(at);
      if (next !== offset) {
        transitions.push({ fromUtcMs: firstSecondOf(next, previous, at, offsetOf), offsetMs: next });
        offset = next;
      }
      previous = at;
    }
    chunks[index] = transitions;
    return transitions;
  };
  // The window last asked about, and the times whose chunk it is centred on: a check of two bounds
  // answers nearly every call (deciding asks about times close together).
  let last: readonly ZoneTransition[] = [];
  let lastFrom = 0;
  let lastTo = 0;
  const windowAt = (at: number): readonly ZoneTransition[] => {
    const index = Math.min(Math.max(Math.floor((at - FIRST) / CHUNK_MS), 0), LAST_CHUNK);
    let transitions = around[index];
    if (!transitions) {
      transitions = [];
      for (let c = Math.max(index - 1, 0); c <= Math.min(index + 1, LAST_CHUNK); c++) {
        for (const transition of chunkOf(c)) {
          // A chunk's first entry repeats the offset in force where it starts.
          if (transition.offsetMs !== transitions.at(-1)?.offsetMs) transitions.push(transition);
        }
      }
      around[index] = transitions;
    }
    last = transitions;
    lastFrom = index === 0 ? Number.NEGATIVE_INFINITY : FIRST + index * CHUNK_MS;
    lastTo = index === LAST_CHUNK ? Number.POSITIVE_INFINITY : FIRST + (index + 1) * CHUNK_MS;
    return transitions;
  };
  const rule: ZoneRule = {
    name: timeZone,
    // Small, so that it is inlined where days are counted.
    transitionsAround: (at) => (at >= lastFrom && at < lastTo ? last : windowAt(at)),
  };
  resolved.set(name, rule);
  return rule;
}

/** The first whole second after `before` and not after `at` whose offset is `offset`. */
function firstSecondOf(offset: number, before: number, at: number, offsetOf: (at: number) => number): number {
  let lo = Math.floor(before / 1000);
  let hi = Math.floor(at / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetOf(mid * 1000) === offset) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

/** The offset Intl names (`GMT`, `GMT+08:00`, `GMT-03:30`, seconds for old local mean times). */
const LONG_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Reads a zone's offset at a time from Intl: its `longOffset` name, which `format` gives about
 * four times faster than `formatToParts` gives the wall clock (a week's samples over a century
 * take some 15 ms).
 */
function offsetReader(timeZone: string): (at: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', timeZoneName: 'longOffset' });
  return (at) => {
    const text = format.format(at);
    const match = LONG_OFFSET.exec(text);
    if (!match) throw new PolicyError(`time zone ${timeZone}: Intl gave no offset in "${text}"`);
    const [, sign, hours, minutes, seconds] = match;
    const ms = ((Number(hours ?? 0) * 60 + Number(minutes ?? 0)) * 60 + Number(seconds ?? 0)) * 1000;
    return sign === '-' ? -ms : ms;
  };
}
