import { DAY_MS } from '../shared/domain/windows.js';

/** The figures: one million events over 10,000 members. */
export const EVENTS = 1_000_000;
export const MEMBERS = 10_000;
/** Members per corp: ten corps of uneven size. */
export const CORP_SIZES = [2800, 2000, 1500, 1100, 800, 600, 500, 350, 200, 150] as const;
/** The stream is cut into rounds; in each, JSON.parse and decide take the same events back to back. */
export const ROUND_EVENTS = 10_000;
/** Rounds and events of the decoded-state measurement (each decide timed alone). */
export const LOADED_ROUNDS = 20;
export const LOADED_EVENTS = 5_000;
/** A separate stream (other corps, other seed) run untimed first, so the JIT is warm for round 1. */
export const WARMUP_EVENTS = 100_000;
export const SPAN_MS = 30 * DAY_MS;
export const START_AT = Date.UTC(2026, 10, 1);
export const STATE_BUDGET_BYTES = 8 * 1024;
export const RATIO_TARGET = 2;
/** Every how many rounds the states of the members a round touched are measured. */
export const PEAK_EVERY = 10;
/** Sends of the repeat offender: beyond any cap on what member state keeps. */
export const OFFENDER_SENDS = 200;
