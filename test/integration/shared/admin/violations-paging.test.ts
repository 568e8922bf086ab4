import { describe, expect, it } from 'vitest';
import { type Answer, memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { aReport, DAY, HOUR, T0 } from '../../../helpers/domain-inputs.js';

const api = useAdminApi();
api.at(T0 + 400 * DAY);

type Page = Answer;

async function get(userId: string, query = ''): Promise<Page> {
  return api.call('GET', `${memberPath(userId)}/violations${query}`);
}

/** `count` reviewer reports on the member, an hour apart; their violation ids, oldest first. */
async function reported(userId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const report = aReport('harassing-marketing', { userId, at: T0 + i * HOUR });
    await api.drive(report);
    ids.push(report.id);
  }
  return ids;
}

const ids = (page: Page): string[] => page.json.violations.map((v: { id: string }) => v.id);

describe('violations, a page at a time', () => {
  it('pages newest first with limit and the opaque cursor, next null after the last page', async () => {
    // Prepare
    const all = await reported('pager', 7);

    // Act
    const first = await get('pager', '?limit=3');
    const second = await get('pager', `?limit=3&cursor=${first.json.next}`);
    const third = await get('pager', `?limit=3&cursor=${encodeURIComponent(second.json.next)}`);

    // Assess
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect([...ids(first), ...ids(second), ...ids(third)]).toEqual([...all].reverse());
    expect(ids(first)).toHaveLength(3);
    expect(typeof first.json.next).toBe('string');
    expect(ids(third)).toHaveLength(1);
    expect(third.json.next).toBeNull();
  });

  it('answers 50 by default, and at most 200', async () => {
    // Prepare
    await reported('many', 55);

    // Act
    const byDefault = await get('many');
    const largest = await get('many', '?limit=200');

    // Assess
    expect(ids(byDefault)).toHaveLength(50);
    expect(byDefault.json.next).toEqual(expect.any(String));
    expect(ids(largest)).toHaveLength(55);
    expect(largest.json.next).toBeNull();
  });

  it.each(['0', '201', '-1', '1.5', 'ten', '', '1e2'])('refuses limit=%s with 400', async (limit) => {
    // Act
    const page = await get('pager', `?limit=${limit}`);

    // Assess
    expect(page.status).toBe(400);
    expect(page.json.error).toContain('limit');
  });

  it('refuses a tampered cursor with 400', async () => {
    // Prepare
    const { next } = (await get('pager', '?limit=2')).json;
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const tampered = [
      '',
      'not a cursor!',
      `${next}x`,
      next.slice(0, -4),
      json({ v: 1, after: 'STATE' }),
      json({ v: 1, after: 'AUDIT#000001772438400000#x#0' }),
      json({ v: 2, after: Buffer.from(next, 'base64url').toString() }),
      json(['VIOLATION-AT#001772438400000#x']),
    ];

    // Act
    const pages = await Promise.all(
      tampered.map((cursor) => get('pager', `?cursor=${encodeURIComponent(cursor)}`)),
    );

    // Assess
    for (const page of pages) {
      expect(page.status).toBe(400);
      expect(page.json.error).toContain('cursor');
    }
  });

  it("reads another member's cursor in the member's own records only", async () => {
    // Prepare
    const mine = await reported('other-member', 2);
    const { next } = (await get('pager', '?limit=1')).json;

    // Act
    const page = await get('other-member', `?cursor=${encodeURIComponent(next)}`);

    // Assess
    expect(page.status).toBe(200);
    for (const id of ids(page)) expect(mine).toContain(id);
  });
});
