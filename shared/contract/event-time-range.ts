/**
 * Event times the engine accepts, in epoch ms: [2000-01-01, 2100-01-01). A time outside is a
 * mistake (seconds or microseconds for milliseconds) that would schedule timers nobody can create;
 * ingest refuses it with 400 and the evaluator never applies it.
 */
export const EVENT_TIME_RANGE = { min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) - 1 } as const;
