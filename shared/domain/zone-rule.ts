/**
 * WeCom's days as data: a time zone's offsets from UTC, from the rule the policy's zone is read
 * into (`resolveZoneRule`), so that deciding what day it is needs no clock.
 */

import { DAY_MS } from './windows.js';

/** From `fromUtcMs` on, until the next transition, local time is UTC plus `offsetMs`. */
export interface ZoneTransition {
  readonly fromUtcMs: number;
  readonly offsetMs: number;
}

/** A time zone's rule: its IANA name and its offsets. */
export interface ZoneRule {
  readonly name: string;
  /**
   * Its offsets around `at`, oldest first (the first one also holds before it): every change within
   * 364 days either side of `at`, and the offset in force before them. The same array for times
   * close together; never changed.
   */
  transitionsAround(at: number): readonly ZoneTransition[];
}

/** The offset from UTC, in milliseconds, of local time in `zone` at `at`. */
export function offsetAt(at: number, zone: ZoneRule): number {
  const transitions = zone.transitionsAround(at);
  return transitions[transitionAt(at, transitions)]?.offsetMs ?? 0;
}

/** The index of the last transition not after `at` (0 before the first): a binary search. */
function transitionAt(at: number, transitions: readonly ZoneTransition[]): number {
  let lo = 0;
  let hi = transitions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((transitions[mid] as ZoneTransition).fromUtcMs <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The day number of a time in `zone`: days since 1970-01-01 of the local calendar date, so that
 * the day of 2026-03-02 in Shanghai has the number UTC gives 2026-03-02, and `day − n` is n days before.
 */
export function dayOf(at: number, zone: ZoneRule): number {
  return Math.floor((at + offsetAt(at, zone)) / DAY_MS);
}

/**
 * The first instant of local day `day` in `zone`: local midnight, or when a transition skips
 * midnight, the first instant the local clock shows that day.
 */
export function dayStart(day: number, zone: ZoneRule): number {
  const midnight = day * DAY_MS;
  const transitions = zone.transitionsAround(midnight);
  let start = Number.POSITIVE_INFINITY;
  // Within one offset's span, local time is UTC plus that offset: the day begins there at
  // midnight − offset, or at the span's own start when the clock jumped past midnight into it.
  // No offset is a day or more, so the day begins less than a day either side of UTC midnight.
  for (let i = transitionAt(midnight - DAY_MS, transitions); i < transitions.length; i++) {
    const { fromUtcMs, offsetMs } = transitions[i] as ZoneTransition;
    const from = i === 0 ? Number.NEGATIVE_INFINITY : fromUtcMs;
    if (from >= start) break;
    const to = transitions[i + 1]?.fromUtcMs ?? Number.POSITIVE_INFINITY;
    const candidate = Math.max(from, midnight - offsetMs);
    if (candidate < to && candidate < start) start = candidate;
  }
  return Number.isFinite(start) ? start : midnight;
}

/** The local calendar date of a day number, `YYYY-MM-DD`. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
