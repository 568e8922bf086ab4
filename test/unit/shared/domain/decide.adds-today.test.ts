import { describe, expect, it } from 'vitest';
import type { EngineInput } from '../../../../shared/domain/types.js';
import { aContactAdded, DAY, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { run } from '../../../helpers/domain-run.js';

/** Adds round-robin from T0 (08:00 in Shanghai), a minute apart: member `name(i)` makes `counts[i]` of them. */
function roundRobin(counts: readonly number[], name = (i: number) => `m${String(i).padStart(2, '0')}`) {
  const inputs: EngineInput[] = [];
  const left = [...counts];
  while (left.some((n) => n > 0)) {
    left.forEach((n, i) => {
      if (n === 0) return;
      inputs.push(aContactAdded({ userId: name(i), at: T0 + inputs.length * MINUTE }));
      left[i] = n - 1;
    });
  }
  return inputs;
}

describe("A corp's top adders of the day", () => {
  it('keeps the 10 members with most adds today, exact counts, most first', () => {
    // Given 12 members making 1 to 12 adds today, interleaved
    const r = run(roundRobin([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));

    // When the corp view is read the same day
    const view = r.corpView(T0 + 2 * 60 * MINUTE);

    // Then it shows the day's 78 adds and the 10 largest adders with their counts, largest first
    expect(view.addsToday.total).toBe(78);
    expect(view.addsToday.members).toEqual(
      [12, 11, 10, 9, 8, 7, 6, 5, 4, 3].map((count) => ({
        userId: `m${String(count - 1).padStart(2, '0')}`,
        count,
      })),
    );
  });

  it('brings back a member dropped from the list with its exact count once it adds more', () => {
    // Given 10 members with 3 adds each, then a late starter with 4 adds
    const r = run([...roundRobin(Array(10).fill(3)), ...roundRobin([4], () => 'late')]);

    // When the corp view is read
    const { members } = r.corpView(T0 + 60 * MINUTE).addsToday;

    // Then the late starter leads with its 4, and 9 of the others stay with their 3
    expect(members[0]).toEqual({ userId: 'late', count: 4 });
    expect(members).toHaveLength(10);
    expect(members.slice(1).every((m) => m.count === 3)).toBe(true);
  });

  it('starts each day afresh, and shows no adds on a day without any', () => {
    // Given adds on one day, and one the next day
    const r = run([...roundRobin([2, 1]), aContactAdded({ userId: 'next-day', at: T0 + DAY })]);

    // When the view is read on the second day, and on the third
    const second = r.corpView(T0 + DAY + MINUTE).addsToday;
    const third = r.corpView(T0 + 2 * DAY).addsToday;

    // Then the second day counts its own add only, and the third none
    expect(second).toEqual({ total: 1, members: [{ userId: 'next-day', count: 1 }] });
    expect(third).toEqual({ total: 0, members: [] });
  });

  it('keeps the concentration advice as before: one member with most of the day', () => {
    // Given one member making 8 of the day's 10 adds
    const r = run(roundRobin([8, 1, 1], (i) => ['heavy', 'a', 'b'][i] as string));

    // When the view is read
    const view = r.corpView(T0 + 60 * MINUTE);

    // Then the advice names the member, and the list agrees with it
    expect(view.advice).toEqual([expect.stringContaining("member heavy made 8 of today's 10 contact adds")]);
    expect(view.addsToday.members[0]).toEqual({ userId: 'heavy', count: 8 });
  });

  it("leaves today's list alone for a late add of the day before", () => {
    // Given two adds today, then one of yesterday's arriving late
    const r = run([...roundRobin([2]), aContactAdded({ userId: 'yesterday', at: T0 - DAY + MINUTE })]);

    // When today's view is read
    const { addsToday } = r.corpView(T0 + 60 * MINUTE);

    // Then today's adds are still today's
    expect(addsToday).toEqual({ total: 2, members: [{ userId: 'm00', count: 2 }] });
  });
});
