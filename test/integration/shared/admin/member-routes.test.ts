import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { unbanScheduleName } from '../../../../shared/domain/timers.js';
import { iso, memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { TERMS } from '../../../helpers/domain-classifier.js';
import { aCorpProfile, aMessage, CORP_ID, DAY, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { FAITHFUL_POLICY_SET as FAITHFUL } from '../../../helpers/domain-policy.js';

/** Inputs driven under policies/wecom-faithful.json, every category acting at once, as WeCom does: human review is case-routes.test.ts's. */
const { at, call, drive, effects, inducingSharing } = useAdminApi({ drivenBy: FAITHFUL });

describe('member status', () => {
  it('answers an unknown member as everything active with no strikes', async () => {
    // Prepare
    at(T0);

    // Act
    const response = await call('GET', memberPath('never-seen'));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json).toMatchObject({
      corpId: CORP_ID,
      userId: 'never-seen',
      interop: { status: 'active', until: null, canApplyForUnblock: false, reason: null },
      account: { status: 'active' },
      strikes: 0,
      linkedWeChat: { status: 'normal', restoreAt: null },
    });
  });

  it('shows a first rule-1 violation as a suspension until its end, open to an unblock application', async () => {
    // Prepare
    const violationId = await inducingSharing('first-offender');
    at(T0 + HOUR);

    // Act
    const response = await call('GET', memberPath('first-offender'));

    // Assess
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      interop: {
        status: 'suspended',
        until: iso(T0 + DAY),
        canApplyForUnblock: true,
        reason: { rule: 'R1', category: 'inducing-sharing', violationId },
      },
      account: { status: 'active' },
      strikes: 1,
    });
    expect(response.json.penalties).toEqual([
      expect.objectContaining({ kind: 'suspension', since: iso(T0), until: iso(T0 + DAY) }),
    ]);
  });

  it('shows the suspension over once its end has passed', async () => {
    // Prepare
    await inducingSharing('served-time');
    at(T0 + DAY + HOUR);

    // Act
    const response = await call('GET', memberPath('served-time'));

    // Assess
    expect(response.json.interop).toEqual({
      status: 'active',
      until: null,
      canApplyForUnblock: false,
      reason: null,
    });
    expect(response.json.strikes).toBe(1);
  });

  it('shows what a blocked member went on doing, counted per category, with no strikes or violations', async () => {
    // Prepare: blocked under rule 3, then six messages inducing sharing
    await drive(aMessage({ userId: 'went-on', at: T0, text: `see ${TERMS['security-threat']}` }));
    for (let i = 1; i <= 6; i++) await inducingSharing('went-on', T0 + i * HOUR);
    at(T0 + 7 * HOUR);

    // Act
    const member = await call('GET', memberPath('went-on'));
    const violations = await call('GET', `${memberPath('went-on')}/violations`);

    // Assess
    expect(member.json).toMatchObject({
      account: { status: 'blocked' },
      strikes: 0,
      afterBlock: [{ category: 'inducing-sharing', count: 6, lastAt: iso(T0 + 6 * HOUR) }],
    });
    expect(violations.json.violations).toHaveLength(1);
    expect(violations.json.next).toBeNull();
  });

  it('decodes a percent-encoded member id exactly once', async () => {
    // Prepare
    at(T0);

    // Act
    const once = await call('GET', `/admin/corps/${CORP_ID}/members/li%40si`);
    const twice = await call('GET', `/admin/corps/${CORP_ID}/members/li%2540si`);

    // Assess: decoded twice, the second would be li@si again; once, it is li%40si, no member id.
    expect(once.json.userId).toBe('li@si');
    expect(twice.status).toBe(400);
    expect(twice.json.error).toContain('userId');
  });

  it('refuses a corp id that cannot be one with 400 naming the parameter', async () => {
    // Prepare
    at(T0);

    // Act
    const hash = await call('GET', '/admin/corps/ww%23x/members/zhang');
    const long = await call('GET', `/admin/corps/${'w'.repeat(257)}`);

    // Assess
    expect(hash.status).toBe(400);
    expect(hash.json.error).toContain('corpId');
    expect(long.status).toBe(400);
    expect(long.json.error).toContain('corpId');
  });
});

describe('unblock application', () => {
  it('lifts a first rule-1 suspension at once and keeps the strike; a second application is refused with 409', async () => {
    // Prepare
    const violationId = await inducingSharing('applicant');
    at(T0 + HOUR);

    // Act
    const first = await call('POST', `${memberPath('applicant')}/unblock-application`);
    const second = await call('POST', `${memberPath('applicant')}/unblock-application`);

    // Assess
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      interop: { status: 'active', until: null, canApplyForUnblock: false, reason: null },
      strikes: 1,
    });
    expect(effects.cancelled).toContain(
      unbanScheduleName({ corpId: CORP_ID, userId: 'applicant' }, violationId),
    );
    expect(second.status).toBe(409);
    expect(second.json.error).toMatch(/first rule-1 suspension/);
    expect((await call('GET', memberPath('applicant'))).json.interop.status).toBe('active');
  });

  it('refuses an application for a member with no suspension with 409', async () => {
    // Prepare
    at(T0);

    // Act
    const response = await call('POST', `${memberPath('blameless')}/unblock-application`, { body: {} });

    // Assess
    expect(response.status).toBe(409);
    expect(typeof response.json.error).toBe('string');
  });
});

describe('violations', () => {
  it('lists the member violations newest first, each with its evidence and penalty', async () => {
    // Prepare
    const first = await inducingSharing('repeat-offender', T0);
    const second = await inducingSharing('repeat-offender', T0 + 2 * HOUR);
    at(T0 + 3 * HOUR);

    // Act
    const response = await call('GET', `${memberPath('repeat-offender')}/violations`);

    // Assess
    expect(response.status).toBe(200);
    const { violations } = response.json;
    expect(violations.map((v: { id: string }) => v.id)).toEqual([second, first]);
    expect(violations[0]).toMatchObject({
      rule: 'R1',
      category: 'inducing-sharing',
      at: iso(T0 + 2 * HOUR),
      status: 'standing',
      penalty: { kind: 'suspension', scope: 'interop', until: iso(T0 + 2 * HOUR + 7 * DAY) },
      explanation: { policyVersion: FAITHFUL.base.version },
    });
    expect(violations[0].evidence).toEqual(
      expect.arrayContaining([
        {
          type: 'term',
          term: TERMS['inducing-sharing'],
          length: TERMS['inducing-sharing'].length,
          truncated: false,
        },
        { type: 'input', inputId: second },
      ]),
    );
  });

  it('records a reviewer report with 201, the new violation and the member status after it', async () => {
    // Prepare
    at(T0);

    // Act
    const response = await call('POST', `${memberPath('reported')}/violations`, {
      body: {
        category: 'harassing-marketing',
        reviewer: 'reviewer-wang',
        note: 'three customers complained',
      },
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.json.member).toMatchObject({
      interop: { status: 'suspended', reason: { rule: 'R1', violationId: response.json.violationId } },
      strikes: 1,
    });
    const listed = await call('GET', `${memberPath('reported')}/violations`);
    expect(listed.json.violations).toHaveLength(1);
    expect(listed.json.violations[0].evidence).toContainEqual({
      type: 'reviewer',
      reviewer: 'reviewer-wang',
    });
  });

  it('takes the same Idempotency-Key twice once, answering the current status both times', async () => {
    // Prepare
    at(T0);
    const request = {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang' },
      headers: { 'Idempotency-Key': 'report-2026-03-02.001' },
    };

    // Act
    const first = await call('POST', `${memberPath('retried')}/violations`, request);
    const again = await call('POST', `${memberPath('retried')}/violations`, request);

    // Assess
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.violationId).toBe(first.json.violationId);
    expect(again.json.member.strikes).toBe(1);
    expect((await call('GET', `${memberPath('retried')}/violations`)).json.violations).toHaveLength(1);
  });

  it('applies the same Idempotency-Key for another member as that member own report', async () => {
    // Prepare
    at(T0);
    const request = {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang' },
      headers: { 'idempotency-key': 'shared-key' },
    };

    // Act
    await call('POST', `${memberPath('one-of-two')}/violations`, request);
    const other = await call('POST', `${memberPath('two-of-two')}/violations`, request);

    // Assess
    expect(other.status).toBe(201);
    expect(other.json.member).toMatchObject({ userId: 'two-of-two', strikes: 1 });
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    // Prepare
    at(T0);

    // Act
    const response = await call('POST', `${memberPath('bad-key')}/violations`, {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang' },
      headers: { 'idempotency-key': 'has spaces/and slashes' },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.error).toContain('Idempotency-Key');
    expect((await call('GET', memberPath('bad-key'))).json.strikes).toBe(0);
  });
});

describe('corp status', () => {
  it('shows the accounts, the contact-add limits and the trust behind them; a verified subject raises the limits', async () => {
    // Prepare
    const corpId = 'wwcorpstatus000001';
    at(T0);
    const before = await call('GET', `/admin/corps/${corpId}`);
    await drive(aCorpProfile({ corpId, subjectVerified: true, at: T0 }));

    // Act
    const after = await call('GET', `/admin/corps/${corpId}`);

    // Assess
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({
      corpId,
      account: { status: 'active', reason: null },
      adminAccount: { status: 'active', reason: null },
      subjectVerified: true,
      policyVersion: DEFAULT_POLICY_SET.base.version,
    });
    expect(after.json.trust.factors.map((f: { name: string }) => f.name)).toEqual([
      'completeness',
      'usage',
      'feedback',
      'compliance',
    ]);
    const { limits } = after.json;
    expect(limits.contactAddsPerMemberPerDay).toBe(Math.round(100 * after.json.trust.score));
    expect(limits.contactAddsPerCorpPerDay).toBe(Math.round(2000 * after.json.trust.score));
    expect(limits.contactAddsPerMemberPerDay).toBeGreaterThan(before.json.limits.contactAddsPerMemberPerDay);
    // The day the daily limits count: T0, 00:00 UTC, is 08:00 on 2 March in Shanghai, a day that ends at 16:00 UTC
    expect(after.json.day).toEqual({
      date: '2026-03-02',
      timeZone: 'Asia/Shanghai',
      endsAt: '2026-03-02T16:00:00.000Z',
    });
  });
});
