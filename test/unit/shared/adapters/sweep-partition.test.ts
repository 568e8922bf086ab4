import { describe, expect, it } from 'vitest';
import {
  SWEEP_KINDS,
  SWEEP_SHARDS,
  sweepPartition,
  sweepPartitions,
  sweepShard,
} from '../../../../shared/adapters/sweep-partition.js';

const memberKey = (corp: number, user: number) =>
  `MEMBER#ww${corp.toString(16).padStart(16, '0')}#user-${user}`;

describe('sweepShard', () => {
  it('spreads members evenly over the shards', () => {
    // Prepare: 4,000 members of 4 corps, 250 expected per shard
    const keys = [0, 1, 2, 3].flatMap((corp) =>
      Array.from({ length: 1000 }, (_, user) => memberKey(corp, user)),
    );

    // Act
    const counts = new Array<number>(SWEEP_SHARDS).fill(0);
    for (const key of keys) counts[sweepShard(key)] = (counts[sweepShard(key)] ?? 0) + 1;

    // Assess: every shard within 20% of its share, and chi-square well under its 0.1% point (37.7 at 15 df)
    const expected = keys.length / SWEEP_SHARDS;
    for (const count of counts) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.2);
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(37.7);
  });

  it('gives a key the same shard every time, within range', () => {
    // Prepare
    const keys = [
      'MEMBER#wwa1b2c3d4e5f60001#zhangsan',
      'INPUT#wwa1b2c3d4e5f60001#evt-1',
      'MEMBER#ww1#用户#1',
      '',
    ];

    // Act
    const first = keys.map(sweepShard);
    const again = keys.map(sweepShard);

    // Assess
    expect(again).toEqual(first);
    for (const shard of first) {
      expect(Number.isInteger(shard)).toBe(true);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(SWEEP_SHARDS);
    }
  });
});

describe('sweepPartition and sweepPartitions', () => {
  it('names a partition by kind and shard, and lists every shard plus the legacy partition', () => {
    // Prepare
    const key = 'MEMBER#wwa1b2c3d4e5f60001#zhangsan';

    // Act
    const partition = sweepPartition(SWEEP_KINDS.timers, key);
    const all = sweepPartitions(SWEEP_KINDS.timers);

    // Assess
    expect(partition).toBe(`TIMER#${sweepShard(key)}`);
    expect(all).toHaveLength(SWEEP_SHARDS + 1);
    expect(new Set(all).size).toBe(SWEEP_SHARDS + 1);
    expect(all).toContain(partition);
    expect(all).toContain('TIMER');
    expect(sweepPartitions(SWEEP_KINDS.outbox)).toContain('OUTBOX#0');
  });
});
