/**
 * How many partitions of the sweep index each kind of item (timers, outboxes) is spread over.
 * One index partition takes at most 1,000 writes a second, and a throttled index write fails the
 * base table's transaction; 16 shards lift the index's ceiling sixteenfold, for 16 queries per
 * kind a sweep instead of one. Changing it moves items between shards: the sweep reads only the
 * shards of the current count (and the legacy partition), so items written under another count
 * would be missed until rewritten.
 */
export const SWEEP_SHARDS = 16;

/** The kinds of item in the sweep index; each is its own set of partitions. */
export const SWEEP_KINDS = {
  /** Member states with a timer pending, by the time it is due. */
  timers: 'TIMER',
  /** Input markers with side effects pending, by their commit time. */
  outbox: 'OUTBOX',
} as const;

/** A kind of item in the sweep index. */
export type SweepKind = (typeof SWEEP_KINDS)[keyof typeof SWEEP_KINDS];

/**
 * The shard of an item, from its own table key (`MEMBER#<corp>#<user>`, `INPUT#<corp>#<id>`): FNV-1a
 * over the key, mod {@link SWEEP_SHARDS}. The same member always lands in the same shard, so every
 * version of its state replaces its one index entry in place.
 */
export function sweepShard(itemKey: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < itemKey.length; i += 1) {
    hash ^= itemKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SWEEP_SHARDS;
}

/** The index partition key an item is written under: `<kind>#<shard>`, e.g. `TIMER#7`. */
export function sweepPartition(kind: SweepKind, itemKey: string): string {
  return `${kind}#${sweepShard(itemKey)}`;
}

/**
 * Every partition the sweep reads for a kind: its shards, and the legacy unsharded partition
 * (`TIMER`, `OUTBOX`) that items written before the index was sharded still sit in. Reading it costs
 * one more query a sweep, and nothing pending is lost across the deploy; a member's entry moves to
 * its shard at its next state change, an outbox leaves the index when it is cleared, so the legacy
 * partition empties by itself and its query can go once it has stayed empty.
 */
export function sweepPartitions(kind: SweepKind): string[] {
  return [...Array.from({ length: SWEEP_SHARDS }, (_, shard) => `${kind}#${shard}`), kind];
}
