import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalId, iso, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { useLocalPipeline } from '../helpers/e2e-setup.js';

/** POLICY.md daily contact-add limits (source 5.1), the corp status, and the policy in force. */

/** A corp whose policy overrides the contact-add base limits (POLICY_FILE `corps.<corpId>`). */
const CUSTOM_CORP = 'wwe2elimitscustom1';
const { client: wecom } = useLocalPipeline('wwe2elimits0000001', () => {
  // The built-in policy, with one corp's contact-add bases halved
  const policy = JSON.parse(
    readFileSync(new URL('../../shared/domain/default-policy.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  policy.corps = { [CUSTOM_CORP]: { contactAdds: { basePerMemberPerDay: 50, basePerCorpPerDay: 1000 } } };
  const policyFile = join(mkdtempSync(join(tmpdir(), 'wecom-e2e-policy-')), 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  return { policyFile };
});

describe('contact-add limits and the policy through HTTP', () => {
  it('shows a new corp its limits at the base (trust 1), with each trust factor and its weight', async () => {
    // Prepare
    await wecom.setClock(scenarioStart(0));

    // Act
    const corp = await wecom.corp('wwe2elimitsfresh01');

    // Assess
    expect(corp).toMatchObject({
      corpId: 'wwe2elimitsfresh01',
      account: { status: 'active' },
      adminAccount: { status: 'active' },
      limits: { contactAddsPerMemberPerDay: 100, contactAddsPerCorpPerDay: 2000 },
      // 00:00 UTC is 08:00 in Shanghai: WeCom's day ends at 16:00 UTC
      day: { date: '2027-01-01', timeZone: 'Asia/Shanghai', endsAt: '2027-01-01T16:00:00.000Z' },
      trust: { score: 1 },
      advice: [],
      policyVersion: '2026-12-04.2',
    });
    expect(corp.trust.factors.map((f) => [f.name, f.weight])).toEqual([
      ['completeness', 0.25],
      ['usage', 0.25],
      ['feedback', 0.25],
      ['compliance', 0.25],
    ]);
    expect(corp.trust.factors.map((f) => f.detail)).toEqual([
      'subject information not verified',
      '0 active days of the last 30',
      expect.stringContaining('0 blocks, deletions and complaints'),
      '0 violations in 90 days',
    ]);
  });

  it('finds malicious contact adds once a member adds more contacts in 24 h than the limit, once per 24 h, and advises a "contact me" code', async () => {
    // Prepare: a first add, then the limit as the corp status shows it that day
    const start = scenarioStart(1);
    const first = start + MINUTE_MS;
    const addAt = (n: number) => first + n * 5_000; // 12 a minute: no machine cadence
    await wecom.setClock(start);
    await wecom.addContact('lim-adder', externalId('limadder', 0), addAt(0));
    await wecom.drain();
    const { limits } = await wecom.corp();
    const limit = limits.contactAddsPerMemberPerDay;
    for (let n = 1; n < limit; n++) await wecom.addContact('lim-adder', externalId('limadder', n), addAt(n));
    await wecom.drain();
    const atLimit = await wecom.member('lim-adder');
    const corpAtLimit = await wecom.corp();

    // Act: one over the limit, then two more the same day
    for (let n = limit; n < limit + 3; n++) {
      await wecom.addContact('lim-adder', externalId('limadder', n), addAt(n));
    }
    await wecom.drain();
    const over = await wecom.member('lim-adder');
    const violations = await wecom.violations('lim-adder');
    const corpAfter = await wecom.corp();

    // Assess
    expect(limit).toBeGreaterThanOrEqual(100);
    expect(atLimit).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    expect(corpAtLimit.trust.factors.find((f) => f.name === 'usage')?.detail).toBe(
      '1 active days of the last 30',
    );
    expect(over).toMatchObject({
      interop: {
        status: 'suspended',
        until: iso(addAt(limit) + 86_400_000),
        reason: { rule: 'R1', category: 'malicious-contact-adds' },
      },
      strikes: 1,
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]?.evidence).toContainEqual({
      type: 'count',
      name: 'adds in 24 h',
      value: limit + 1,
      threshold: limit,
    });
    expect(corpAfter.trust.factors.find((f) => f.name === 'compliance')?.detail).toBe(
      '1 violations in 90 days',
    );
    expect(corpAfter.limits.contactAddsPerMemberPerDay).toBeLessThan(limit);
    expect(corpAfter.advice).toEqual([expect.stringContaining('lim-adder')]);
    expect(corpAfter.advice[0]).toMatch(/contact me/);
    expect(corpAfter.advice[0]).toContain(`made ${limit + 3} of today's ${limit + 3} contact adds`);
  });

  it('lowers the trust, and the limits, with customers’ complaints', async () => {
    // Prepare: 10 adds by two members on one day
    const start = scenarioStart(2);
    await wecom.setClock(start);
    for (let n = 0; n < 5; n++) {
      await wecom.addContact('lim-a', externalId('lima', n), start + MINUTE_MS + n * MINUTE_MS);
      await wecom.addContact('lim-b', externalId('limb', n), start + MINUTE_MS + n * MINUTE_MS + 1000);
    }
    await wecom.drain();
    const before = await wecom.corp();

    // Act: two customers complain
    await wecom.complain('lim-a', externalId('lima', 0), start + 20 * MINUTE_MS);
    await wecom.complain('lim-b', externalId('limb', 0), start + 21 * MINUTE_MS);
    await wecom.drain();
    const after = await wecom.corp();

    // Assess
    const feedback = (corp: typeof after) => corp.trust.factors.find((f) => f.name === 'feedback');
    expect(feedback(before)).toMatchObject({ score: 1 });
    expect(feedback(after)?.score).toBeLessThan(1);
    expect(feedback(after)?.detail).toBe('2 blocks, deletions and complaints per 10 adds in 30 days');
    expect(after.limits.contactAddsPerMemberPerDay).toBeLessThan(before.limits.contactAddsPerMemberPerDay);
    expect(after.advice).toEqual([]);
  });

  it('serves the policy in force with every threshold and duration at GET /admin/policy', async () => {
    // Act
    const policy = await wecom.admin('GET', '/admin/policy');
    const forCorp = await wecom.admin('GET', `/admin/policy?corpId=${wecom.corpId}`);
    const unauthorized = await fetch(`${wecom.url}/admin/policy`);

    // Assess
    expect(policy.status).toBe(200);
    expect(policy.body).toMatchObject({
      version: '2026-12-04.2',
      timeZone: 'Asia/Shanghai',
      r1: {
        firstSuspension: { ms: 86_400_000, iso: 'P1D' },
        secondSuspension: { ms: 7 * 86_400_000, iso: 'P7D' },
        autoApproveUnblock: true,
      },
      r2: { restoreDelay: { ms: 86_400_000, iso: 'P1D' } },
      harassment: { windowDays: 7, minNegativeFeedback: 3 },
      contactAdds: {
        basePerMemberPerDay: 100,
        basePerCorpPerDay: 2000,
        minTrust: 0.2,
        maxTrust: 3,
        minComplaints: 3,
        concentrationShare: 0.5,
      },
      plugin: { addsPerMinute: 20, massRecipientsPerMinute: 200 },
      badInfluence: { minComplaints: 10, minRecipients: 500, corpMembers: 3, corpWindowDays: 30 },
      // Text-detected categories and the enterprise block wait for a reviewer; counted ones act
      enforcement: {
        gambling: 'review',
        'inducing-sharing': 'review',
        'harassing-marketing': 'act',
        'malicious-contact-adds': 'act',
        enterpriseBlock: 'review',
        provisional: 'suspend-interop',
        actAtScore: {},
      },
      appeals: {
        enterpriseDocuments: [
          'business-license',
          'legal-person-id',
          'legal-person-handheld-id',
          'seal-authorization-letter',
        ],
      },
    });
    expect(forCorp).toMatchObject({ status: 200, body: { corpId: wecom.corpId } });
    expect(unauthorized.status).toBe(401);
  });

  it('applies a corp’s own policy override to its limits, under its own policy version', async () => {
    // Act
    const policy = await wecom.admin('GET', `/admin/policy?corpId=${CUSTOM_CORP}`);
    const corp = await wecom.corp(CUSTOM_CORP);
    const other = await wecom.corp('wwe2elimitsother01');

    // Assess
    expect(policy.body).toMatchObject({
      version: `2026-12-04.2+${CUSTOM_CORP}`,
      corpId: CUSTOM_CORP,
      contactAdds: { basePerMemberPerDay: 50, basePerCorpPerDay: 1000 },
    });
    expect(corp).toMatchObject({
      limits: { contactAddsPerMemberPerDay: 50, contactAddsPerCorpPerDay: 1000 },
      policyVersion: `2026-12-04.2+${CUSTOM_CORP}`,
    });
    expect(other.limits).toEqual({ contactAddsPerMemberPerDay: 100, contactAddsPerCorpPerDay: 2000 });
  });

  it('answers an unknown member with everything active and 0 strikes, and an unknown route with a JSON 404', async () => {
    // Act
    const member = await wecom.admin('GET', `/admin/corps/${wecom.corpId}/members/nobody-ever`);
    const unknown = await wecom.admin('GET', '/admin/corps');

    // Assess
    expect(member).toMatchObject({
      status: 200,
      body: {
        corpId: wecom.corpId,
        userId: 'nobody-ever',
        interop: { status: 'active', until: null, canApplyForUnblock: false, reason: null },
        account: { status: 'active' },
        strikes: 0,
        linkedWeChat: { status: 'normal', restoreAt: null },
      },
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: expect.any(String) } });
  });
});
