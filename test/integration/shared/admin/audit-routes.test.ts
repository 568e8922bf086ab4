import { describe, expect, it } from 'vitest';
import { type Answer, memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { aReport, DAY, HOUR, T0 } from '../../../helpers/domain-inputs.js';

const OTHER_CORP_ID = 'wwOTHERCORP0001';
const api = useAdminApi();
api.at(T0 + 400 * DAY);

async function get(userId: string, query = '', corpId?: string): Promise<Answer> {
  return api.call('GET', `${memberPath(userId, corpId)}/audit${query}`);
}

/** `count` reviewer reports on the member, an hour apart (each leaves audit entries). */
async function reported(userId: string, count: number, corpId?: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await api.drive(
      aReport('harassing-marketing', { userId, at: T0 + i * HOUR, ...(corpId ? { corpId } : {}) }),
    );
  }
}

type Entry = {
  at: string;
  change: string;
  cause: { kind: string; id: string } | null;
  policyVersion: string | null;
};
const entries = (page: Answer): Entry[] => page.json.audit;

describe("a member's audit, a page at a time", () => {
  it('lists what changed, newest first, each with its time, cause and policy version', async () => {
    // Prepare
    await reported('audited', 3);

    // Act
    const page = await get('audited', '?limit=200');

    // Assess
    expect(page.status).toBe(200);
    expect(page.json.next).toBeNull();
    const all = entries(page);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const times = all.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
    for (const entry of all) {
      expect(Object.keys(entry).sort()).toEqual(['at', 'cause', 'change', 'policyVersion']);
      expect(entry.change).toEqual(expect.any(String));
    }
    // The newest status change reads as words, caused by the third report, under the policy's version.
    const change = all.find((e) => e.change.includes('→'));
    expect(change).toMatchObject({
      at: new Date(T0 + 2 * HOUR).toISOString(),
      change: expect.stringContaining('interop banned'),
      cause: { kind: 'violation', id: expect.any(String) },
      policyVersion: expect.any(String),
    });
    expect(all.some((e) => e.change.startsWith('penalty ') && e.change.includes(' applied'))).toBe(true);
  });

  it('pages with limit and the opaque cursor through every entry once', async () => {
    // Prepare
    await reported('paged', 4);
    const whole = entries(await get('paged', '?limit=200'));

    // Act
    const pages: Answer[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await get(
        'paged',
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      pages.push(page);
      cursor = page.json.next;
    } while (cursor !== null && pages.length < 50);

    // Assess
    expect(pages.every((p) => p.status === 200)).toBe(true);
    expect(pages.flatMap(entries)).toEqual(whole);
    expect(pages.at(-1)?.json.next).toBeNull();
  });

  it('answers an empty page for a member with no history', async () => {
    // Act
    const page = await get('nobody-yet');

    // Assess
    expect(page.status).toBe(200);
    expect(page.json).toEqual({ audit: [], next: null });
  });

  it.each(['0', '201', 'ten', ''])('refuses limit=%s with 400', async (limit) => {
    // Act
    const page = await get('audited', `?limit=${limit}`);

    // Assess
    expect(page.status).toBe(400);
    expect(page.json.error).toContain('limit');
  });

  it("refuses a forged cursor, and another member's, with 400", async () => {
    // Prepare
    await reported('owner', 3);
    const { next } = (await get('owner', '?limit=1')).json;
    const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const decoded = JSON.parse(Buffer.from(next, 'base64url').toString());
    const forged = [
      'not a cursor!',
      `${next}x`,
      json({ ...decoded, after: 'STATE' }),
      json({ ...decoded, after: 'VIOLATION-AT#001772438400000#x' }),
      json({ ...decoded, v: 2 }),
      json({ v: 1, after: decoded.after }),
    ];

    // Act
    const pages = await Promise.all(forged.map((c) => get('owner', `?cursor=${encodeURIComponent(c)}`)));
    const carried = await get('audited', `?cursor=${encodeURIComponent(next)}`);

    // Assess
    for (const page of [...pages, carried]) {
      expect(page.status).toBe(400);
      expect(page.json.error).toContain('cursor');
    }
  });

  it("never lists another corp's member of the same id", async () => {
    // Prepare
    await reported('shared-name', 2, OTHER_CORP_ID);

    // Act
    const page = await get('shared-name');

    // Assess
    expect(page.json).toEqual({ audit: [], next: null });
  });
});
