import { describe, expect, it } from 'vitest';
import { type Answer, decisionPath, overturn, useAdminApi } from '../../../helpers/admin-api.js';
import { aReport, CORP_ID, HOUR, T0 } from '../../../helpers/domain-inputs.js';

const api = useAdminApi();
api.at(T0 + 3 * HOUR);

const OTHER_CORP = 'wwOTHERCORP0001';

async function list(query: string, corpId = CORP_ID): Promise<Answer> {
  return api.call('GET', `/admin/corps/${corpId}/members${query}`);
}

/** `count` reviewer reports on the member, an hour apart from `from`. */
async function reported(userId: string, count: number, from = T0, corpId = CORP_ID): Promise<void> {
  for (let i = 0; i < count; i++)
    await api.drive(aReport('harassing-marketing', { userId, corpId, at: from + i * HOUR }));
}

const userIds = (page: Answer): string[] => page.json.members.map((m: { userId: string }) => m.userId);

describe("a corp's members by standing", () => {
  it('lists suspended and banned members apart, each with its status, strikes and since when', async () => {
    // Prepare: one member reported once (suspended), one three times (banned), one in another corp
    await reported('once', 1, T0 + 30 * 60_000);
    await reported('thrice', 3);
    await reported('elsewhere', 1, T0, OTHER_CORP);

    // Act
    const suspended = await list('?standing=suspended');
    const banned = await list('?standing=banned');

    // Assess
    expect(suspended.status).toBe(200);
    expect(suspended.json).toEqual({
      members: [
        {
          userId: 'once',
          standing: 'suspended',
          interop: { status: 'suspended', until: expect.any(String) },
          account: { status: 'active' },
          strikes: 1,
          openCases: 0,
          since: new Date(T0 + 30 * 60_000).toISOString(),
        },
      ],
      next: null,
    });
    expect(banned.json.members).toEqual([
      expect.objectContaining({
        userId: 'thrice',
        standing: 'banned',
        interop: { status: 'banned', until: null },
      }),
    ]);
  });

  it('lists members under review while their case holds, and drops them once it is overturned', async () => {
    // Prepare
    const caseId = await api.caseFor('held', { at: T0 + HOUR });
    const before = await list('?standing=suspended');

    // Act
    await api.call('POST', decisionPath(caseId), { body: overturn });
    const after = await list('?standing=suspended');

    // Assess: the provisional measure made the member suspended (with one open case), the overturn good again
    expect(before.json.members).toContainEqual(expect.objectContaining({ userId: 'held', openCases: 1 }));
    expect(userIds(after)).not.toContain('held');
  });

  it('pages oldest in the standing first with limit and the opaque cursor', async () => {
    // Prepare: five members of a corp of their own suspended an hour apart
    const corpId = 'wwPAGEDCORP0001';
    for (let i = 0; i < 5; i++) await reported(`paged-${i}`, 1, T0 + i * HOUR, corpId);
    api.at(T0 + 5 * HOUR);

    // Act
    const first = await list('?standing=suspended&limit=2', corpId);
    const second = await list(
      `?standing=suspended&limit=2&cursor=${encodeURIComponent(first.json.next)}`,
      corpId,
    );
    const third = await list(
      `?standing=suspended&limit=2&cursor=${encodeURIComponent(second.json.next)}`,
      corpId,
    );

    // Assess
    expect([first, second, third].map(userIds)).toEqual([
      ['paged-0', 'paged-1'],
      ['paged-2', 'paged-3'],
      ['paged-4'],
    ]);
    expect(third.json.next).toBeNull();
    api.at(T0 + 3 * HOUR);
  });

  it('leaves out a member whose suspension ran out since its last write', async () => {
    // Prepare
    const corpId = 'wwEXPIREDCORP01';
    await reported('served', 1, T0, corpId);
    const until = (await api.call('GET', `/admin/corps/${corpId}/members/served`)).json.interop.until;

    // Act
    api.at(Date.parse(until) + 1);
    const page = await list('?standing=suspended', corpId);
    api.at(T0 + 3 * HOUR);

    // Assess
    expect(page.json).toEqual({ members: [], next: null });
  });

  it.each([
    ['', 'standing: must be one of blocked, banned, suspended, review'],
    ['?standing=good', 'standing: must be one of blocked, banned, suspended, review'],
    ['?standing=suspended&limit=0', 'limit'],
    ['?standing=suspended&cursor=not-a-cursor', 'cursor'],
  ])('refuses %s with 400', async (query, message) => {
    // Act
    const page = await list(query);

    // Assess
    expect(page.status).toBe(400);
    expect(page.json.error).toContain(message);
  });

  it("refuses another corp's cursor, and never lists another corp's members", async () => {
    // Prepare
    await reported('there-1', 1, T0, OTHER_CORP);
    const theirs = await list('?standing=suspended&limit=1', OTHER_CORP);

    // Act
    const carried = await list(`?standing=suspended&cursor=${encodeURIComponent(theirs.json.next)}`);
    const mine = await list('?standing=suspended&limit=200');

    // Assess
    expect(carried.status).toBe(400);
    expect(userIds(mine)).not.toContain('elsewhere');
    expect(userIds(mine)).not.toContain('there-1');
  });
});
