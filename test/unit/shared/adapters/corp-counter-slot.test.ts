import { describe, expect, it } from 'vitest';
import { type CounterSlot, mergeSlots } from '../../../../shared/adapters/corp-counter-slot.js';
import { MAX_COUNTER_SHARDS, shardsOf } from '../../../../shared/adapters/corp-item.js';

/** A slot with day counters, a top adder and a list of one day. */
function slot(
  daily: [number, number][],
  top: CounterSlot['top'],
  list: { day: number; members: [string, number][] } | null,
): CounterSlot {
  return {
    counters: { daily: new Map(daily), negativeFeedback: new Map(), violations: new Map() },
    top,
    list: list ? { day: list.day, members: new Map(list.members) } : null,
  };
}

describe('mergeSlots', () => {
  it('sums each day over the slots, and takes the top adder of the latest day with the highest count', () => {
    // Prepare: three slots; one still on the day before
    const slots = [
      slot(
        [
          [9, 4],
          [10, 2],
        ],
        { day: 9, count: 4, userId: 'old' },
        { day: 9, members: [['old', 4]] },
      ),
      slot(
        [[10, 3]],
        { day: 10, count: 2, userId: 'b' },
        {
          day: 10,
          members: [
            ['b', 2],
            ['c', 1],
          ],
        },
      ),
      slot(
        [[10, 1]],
        { day: 10, count: 3, userId: 'a' },
        {
          day: 10,
          members: [
            ['a', 3],
            ['b', 1],
          ],
        },
      ),
    ];

    // Act
    const merged = mergeSlots(slots);

    // Assess: the day before's list is left out; b's highest count is kept
    expect(merged.daily).toEqual([9, 4, 10, 6]);
    expect(merged.addsToday).toEqual({
      day: 10,
      total: 6,
      topUserId: 'a',
      topCount: 3,
      members: [
        { userId: 'a', count: 3 },
        { userId: 'b', count: 2 },
        { userId: 'c', count: 1 },
      ],
    });
  });

  it('keeps the ten largest adders of the day over all slots, ties by user id', () => {
    // Prepare: twelve members over two slots
    const members = Array.from(
      { length: 12 },
      (_, i) => [`m${String(i).padStart(2, '0')}`, i % 6] as [string, number],
    );
    const slots = [
      slot([[10, 30]], { day: 10, count: 5, userId: 'm05' }, { day: 10, members: members.slice(0, 6) }),
      slot([], null, { day: 10, members: members.slice(6) }),
    ];

    // Act
    const { addsToday } = mergeSlots(slots);

    // Assess: the two with 0 adds are dropped
    expect(addsToday.members.map((m) => `${m.userId}:${m.count}`)).toEqual([
      'm05:5',
      'm11:5',
      'm04:4',
      'm10:4',
      'm03:3',
      'm09:3',
      'm02:2',
      'm08:2',
      'm01:1',
      'm07:1',
    ]);
  });

  it('is the initial state for no slot written', () => {
    expect(mergeSlots([])).toEqual({
      daily: [],
      negativeFeedback: [],
      violations: [],
      addsToday: { day: 0, total: 0, topUserId: '', topCount: 0, members: [] },
    });
  });
});

describe('shardsOf', () => {
  it('reads the slots a corp has, and 1 for no item or a count that is not one', () => {
    const of = (n: string | undefined) => shardsOf(n === undefined ? undefined : { shards: { N: n } });
    expect([of(undefined), of('1'), of('8'), of('64')]).toEqual([1, 1, 8, 64]);
    expect([of('0'), of('-3'), of('2.5'), of('NaN'), of('abc')]).toEqual([1, 1, 1, 1, 1]);
    // More than the ceiling (a raise by a deployment with a higher one) reads as the ceiling
    expect([of('65'), of('1e9')]).toEqual([MAX_COUNTER_SHARDS, MAX_COUNTER_SHARDS]);
  });
});
