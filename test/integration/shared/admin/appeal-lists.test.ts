import { describe, expect, it } from 'vitest';
import { type Answer, casesPath, useAdminApi } from '../../../helpers/admin-api.js';
import { CORP_ID, ENTERPRISE_DOCUMENTS, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { FAITHFUL_POLICY_SET as FAITHFUL } from '../../../helpers/domain-policy.js';

/** Inputs under the faithful policy: a violation's penalty applies at once, so an appeal can be filed. */
const { at, call, inducingSharing } = useAdminApi({ drivenBy: FAITHFUL });

const appealsPath = (query: string, corpId = CORP_ID) => `/admin/corps/${corpId}/appeals${query}`;
const ids = (page: Answer): string[] => page.json.appeals.map((a: { id: string }) => a.id);

/** A member appeal filed by `userId` (penalised first) at `when`: its id. */
async function appealOf(userId: string, when: number, corpId = CORP_ID): Promise<string> {
  await inducingSharing(userId, T0, corpId);
  at(when);
  const filed = await call('POST', '/admin/appeals', { body: { corpId, userId } });
  expect(filed.status).toBe(201);
  return filed.json.id;
}

describe("a corp's appeals by status", () => {
  it('lists open appeals oldest first, each as GET /admin/appeals/{id} shows it, and moves a decided one to its list', async () => {
    // Prepare
    const first = await appealOf('appeal-a', T0 + HOUR);
    const second = await appealOf('appeal-b', T0 + 2 * HOUR);
    const third = await appealOf('appeal-c', T0 + 3 * HOUR);
    await appealOf('appeal-elsewhere', T0 + HOUR, 'wwOTHERCORP0001');

    // Act
    const before = await call('GET', appealsPath('?status=open'));
    await call('POST', `/admin/appeals/${second}/decision`, {
      body: { approved: false, reviewer: 'reviewer-wang' },
    });
    const open = await call('GET', appealsPath('?status=open'));
    const rejected = await call('GET', appealsPath('?status=rejected'));
    const approved = await call('GET', appealsPath('?status=approved'));
    const single = await call('GET', `/admin/appeals/${first}`);

    // Assess
    expect(before.status).toBe(200);
    expect(ids(before)).toEqual([first, second, third]);
    expect(before.json.appeals[0]).toEqual(single.json);
    expect(ids(open)).toEqual([first, third]);
    expect(rejected.json.appeals).toEqual([
      expect.objectContaining({ id: second, status: 'rejected', userId: 'appeal-b' }),
    ]);
    expect(approved.json).toEqual({ appeals: [], next: null });
  });

  it("lists the enterprise's own appeal beside its members'", async () => {
    // Prepare
    const corpId = 'wwENTERPRISE0001';
    at(T0);
    await call('POST', `/admin/corps/${corpId}/members/fraudster/violations`, {
      body: { category: 'fraud', badInfluence: true, reviewer: 'reviewer-wang' },
      policies: FAITHFUL,
    });
    at(T0 + HOUR);
    const filed = await call('POST', '/admin/appeals', {
      body: { corpId, documents: [...ENTERPRISE_DOCUMENTS] },
    });

    // Act
    const page = await call('GET', appealsPath('?status=open', corpId));

    // Assess
    expect(filed.status).toBe(201);
    expect(page.json).toEqual({ appeals: [filed.json], next: null });
  });

  it('pages with limit and a cursor, and refuses another corp’s cursor', async () => {
    // Prepare
    const corpId = 'wwAPPEALPAGES01';
    const all = [];
    for (let i = 0; i < 3; i++) all.push(await appealOf(`paged-${i}`, T0 + (i + 1) * HOUR, corpId));
    const other = await call('GET', appealsPath('?status=open&limit=1'));

    // Act
    const first = await call('GET', appealsPath('?status=open&limit=2', corpId));
    const second = await call('GET', appealsPath(`?status=open&limit=2&cursor=${first.json.next}`, corpId));
    const carried = await call('GET', appealsPath(`?status=open&cursor=${other.json.next}`, corpId));

    // Assess
    expect([...ids(first), ...ids(second)]).toEqual(all);
    expect(second.json.next).toBeNull();
    expect(carried.status).toBe(400);
    expect(carried.json.error).toContain('cursor');
  });

  it.each([
    ['', 'status: must be one of open, approved, rejected'],
    ['?status=decided', 'status: must be one of open, approved, rejected'],
    ['?status=open&limit=201', 'limit'],
    ['?status=open&cursor=forged', 'cursor'],
  ])('refuses %s with 400', async (query, message) => {
    // Act
    const page = await call('GET', appealsPath(query));

    // Assess
    expect(page.status).toBe(400);
    expect(page.json.error).toContain(message);
  });

  it("never shows appeals in a case list: no corp id can spell an appeal list's value", async () => {
    // Prepare: an open appeal of the corp
    await appealOf('not-a-case', T0 + HOUR);

    // Act: the corp's open cases, and the corp whose open case list would be the appeal list's value
    const cases = await call('GET', casesPath('?status=open&limit=200'));
    const spelled = await call(
      'GET',
      casesPath('?status=open', encodeURIComponent(`\u00a7appeal#open#${CORP_ID}`)),
    );

    // Assess: no appeal among the cases, and a corp id outside printable ASCII is refused
    expect(cases.json.cases.map((c: { userId: string }) => c.userId)).not.toContain('not-a-case');
    expect(spelled.status).toBe(400);
  });
});
