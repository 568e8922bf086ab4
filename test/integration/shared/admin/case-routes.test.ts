import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import {
  casesPath,
  confirm,
  decisionPath,
  iso,
  memberPath,
  overturn,
  useAdminApi,
} from '../../../helpers/admin-api.js';
import { TERMS } from '../../../helpers/domain-classifier.js';
import { CORP_ID, DAY, HOUR, MINUTE, T0 } from '../../../helpers/domain-inputs.js';

const api = useAdminApi();

describe('a case as the admin API shows it', () => {
  it('shows the open case on the member, with the provisional suspension it holds, and the case itself in full', async () => {
    // Prepare
    api.at(T0 + MINUTE);
    const caseId = await api.caseFor('case-view');

    // Act
    const member = await api.call('GET', memberPath('case-view'));
    const one = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    const violations = await api.call('GET', `${memberPath('case-view')}/violations`);

    // Assess
    expect(member.json.openCases).toEqual([
      {
        id: caseId,
        kind: 'violation',
        rule: 'R1',
        category: 'inducing-sharing',
        openedAt: iso(T0),
        reviewBy: iso(T0 + 3 * DAY),
        status: 'open',
      },
    ]);
    expect(member.json.interop).toMatchObject({
      status: 'suspended',
      reason: { rule: 'R1', category: 'inducing-sharing', provisional: true, caseId },
    });
    expect(member.json.strikes).toBe(0);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      id: caseId,
      corpId: CORP_ID,
      userId: 'case-view',
      kind: 'violation',
      rule: 'R1',
      category: 'inducing-sharing',
      status: 'open',
      openedAt: iso(T0),
      reviewBy: iso(T0 + 3 * DAY),
      text: { text: `please ${TERMS['inducing-sharing']} now`, truncated: false },
      provisional: { kind: 'suspension', scope: 'interop' },
      decision: null,
      policyVersion: DEFAULT_POLICY_SET.base.version,
    });
    const [violation] = violations.json.violations;
    expect(violation).toMatchObject({ id: one.json.violationId, status: 'pending', caseId, penalty: null });
    expect(one.json.evidence).toEqual(violation.evidence);
    expect(one.json.evidence).toContainEqual({
      type: 'term',
      term: TERMS['inducing-sharing'],
      length: TERMS['inducing-sharing'].length,
      truncated: false,
    });
  });

  it('answers 404 for an unknown case and for another corp’s case alike', async () => {
    // Prepare
    api.at(T0 + MINUTE);
    const theirs = await api.caseFor('case-other-corp', { corpId: 'wwOTHERCORP0001' });

    // Act
    const unknown = await api.call('GET', `/admin/corps/${CORP_ID}/cases/case-${'0'.repeat(32)}`);
    const other = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${theirs}`);
    const decideOther = await api.call('POST', decisionPath(theirs), { body: confirm });

    // Assess
    expect([unknown.status, other.status, decideOther.status]).toEqual([404, 404, 404]);
    const still = await api.call('GET', `/admin/corps/wwOTHERCORP0001/cases/${theirs}`);
    expect(still.json).toMatchObject({ status: 'open', decision: null });
  });
});

describe('listing a corp’s cases', () => {
  const corpId = 'wwLISTINGCORP01';

  it('lists the open cases oldest first a page at a time, and a decided one under its status only', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await api.caseFor(`lister-${i}`, { corpId, at: T0 + i * MINUTE }));
    await api.call('POST', decisionPath(ids[1] ?? '', corpId), { body: confirm });
    await api.call('POST', decisionPath(ids[3] ?? '', corpId), { body: overturn });

    // Act
    const first = await api.call('GET', casesPath('?limit=2', corpId));
    const second = await api.call('GET', casesPath(`?limit=2&cursor=${first.json.next}`, corpId));
    const confirmed = await api.call('GET', casesPath('?status=confirmed', corpId));
    const overturned = await api.call('GET', casesPath('?status=overturned', corpId));
    const expired = await api.call('GET', casesPath('?status=expired', corpId));

    // Assess
    expect(first.json.cases.map((c: { id: string }) => c.id)).toEqual([ids[0], ids[2]]);
    expect(second.json.cases.map((c: { id: string }) => c.id)).toEqual([ids[4]]);
    expect(second.json.next).toBeNull();
    expect(confirmed.json.cases).toEqual([
      expect.objectContaining({
        id: ids[1],
        status: 'confirmed',
        decision: { ...confirm, at: iso(T0 + HOUR) },
      }),
    ]);
    expect(overturned.json.cases.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
    expect(expired.json).toEqual({ cases: [], next: null });
  });

  it('refuses a status, limit or cursor it does not know with 400', async () => {
    // Act
    const answers = await Promise.all([
      api.call('GET', casesPath('?status=closed', corpId)),
      api.call('GET', casesPath('?limit=0', corpId)),
      api.call('GET', casesPath('?limit=201', corpId)),
      api.call('GET', casesPath('?cursor=not-a-cursor', corpId)),
      api.call(
        'GET',
        casesPath(
          `?cursor=${Buffer.from('{"v":1,"openedAt":1,"caseId":"x"}').toString('base64url')}`,
          corpId,
        ),
      ),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers[0]?.json.error).toContain('status');
    expect(answers[3]?.json.error).toContain('cursor');
  });

  it('allows GET only on the list and on a case, and POST only on a decision, naming them in Allow', async () => {
    // Act
    const list = await api.call('POST', casesPath('', corpId), { body: {} });
    const one = await api.call('DELETE', `/admin/corps/${corpId}/cases/case-${'1'.repeat(32)}`);
    const decision = await api.call('GET', decisionPath(`case-${'1'.repeat(32)}`, corpId));

    // Assess
    expect([list.status, one.status, decision.status]).toEqual([405, 405, 405]);
    expect([list.headers.allow, one.headers.allow, decision.headers.allow]).toEqual(['GET', 'GET', 'POST']);
  });
});

describe('deciding a case', () => {
  it('confirms: the rule-1 suspension applies as of the violation, with its strike, and the case is closed', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('confirm-r1');

    // Act
    const decided = await api.call('POST', decisionPath(caseId), { body: confirm });

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({
      userId: 'confirm-r1',
      strikes: 1,
      interop: { status: 'suspended', until: iso(T0 + DAY), reason: { rule: 'R1' } },
      openCases: [],
    });
    expect(decided.json.interop.reason).not.toHaveProperty('provisional');
    const one = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    expect(one.json).toMatchObject({ status: 'confirmed', decision: { ...confirm, at: iso(T0 + HOUR) } });
    const violations = await api.call('GET', `${memberPath('confirm-r1')}/violations`);
    expect(violations.json.violations[0]).toMatchObject({
      status: 'standing',
      strikes: 1,
      penalty: { kind: 'suspension', scope: 'interop', until: iso(T0 + DAY) },
    });
  });

  it('confirms a rule-3 detection: the account is blocked', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('confirm-r3', { category: 'pornography' });

    // Act
    const decided = await api.call('POST', decisionPath(caseId), { body: confirm });

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.json.account.status).toBe('blocked');
    expect(decided.json.openCases).toEqual([]);
  });

  it('overturns: the member is active again, no strike, the violation void', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('overturn-r1');

    // Act
    const decided = await api.call('POST', decisionPath(caseId), { body: overturn });

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({
      strikes: 0,
      interop: { status: 'active', reason: null },
      account: { status: 'active' },
      openCases: [],
    });
    const violations = await api.call('GET', `${memberPath('overturn-r1')}/violations`);
    expect(violations.json.violations[0]).toMatchObject({ status: 'void', caseId });
    const corp = await api.call('GET', `/admin/corps/${CORP_ID}`);
    expect(corp.json.precision).toContainEqual(
      expect.objectContaining({ category: 'inducing-sharing', decided: expect.any(Number) }),
    );
    expect(corp.json).toHaveProperty('enterpriseCase', null);
  });

  it('refuses a second decision with 409 and keeps the first', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('decided-twice');
    await api.call('POST', decisionPath(caseId), { body: overturn });

    // Act
    const again = await api.call('POST', decisionPath(caseId), { body: confirm });

    // Assess
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual(expect.any(String));
    const member = await api.call('GET', memberPath('decided-twice'));
    expect(member.json).toMatchObject({ strikes: 0, interop: { status: 'active' } });
    const one = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    expect(one.json).toMatchObject({ status: 'overturned', decision: { decision: 'overturn' } });
  });

  it('refuses a body that is not a decision with 400 and writes nothing', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('bad-body');
    const before = await api.call('GET', memberPath('bad-body'));

    // Act
    const answers = await Promise.all(
      [
        { ...confirm, decision: 'maybe' },
        { ...confirm, reason: '' },
        { ...confirm, reason: 'x'.repeat(2001) },
        { decision: 'confirm', reason: 'no reviewer' },
        { ...confirm, reviewer: '' },
        { ...confirm, extra: true },
        'not json',
      ].map((body) => api.call('POST', decisionPath(caseId), { body })),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect((await api.call('GET', memberPath('bad-body'))).json).toEqual(before.json);
    expect((await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`)).json.status).toBe('open');
  });

  it('answers a path that names no case, however odd its characters, with 404 (400 when too long), writing nothing', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('odd-ids');
    const before = await api.call('GET', memberPath('odd-ids'));
    const odd = ['😀', '\uFFFE', '\u202Ecase', `${caseId}x`, caseId.toUpperCase(), 'c'.repeat(256)];

    // Act
    const reads = await Promise.all(
      odd.map((id) => api.call('GET', `/admin/corps/${CORP_ID}/cases/${encodeURIComponent(id)}`)),
    );
    const decisions = await Promise.all(
      odd.map((id) => api.call('POST', decisionPath(encodeURIComponent(id)), { body: confirm })),
    );
    const tooLong = await api.call('POST', decisionPath('c'.repeat(257)), { body: confirm });

    // Assess
    expect(reads.map((a) => a.status)).toEqual(odd.map(() => 404));
    expect(decisions.map((a) => a.status)).toEqual(odd.map(() => 404));
    expect(tooLong.status).toBe(400);
    expect((await api.call('GET', memberPath('odd-ids'))).json).toEqual(before.json);
  });

  it('keeps a reason with emoji, U+FFFE and bidi controls exactly as written', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('odd-reason');
    const reason = 'ok 😀\uFFFE \u202Eevil\u202C 𠀀'.repeat(50);

    // Act
    const decided = await api.call('POST', decisionPath(caseId), { body: { ...overturn, reason } });

    // Assess
    expect(decided.status).toBe(200);
    const one = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    expect(one.json.decision).toMatchObject({ decision: 'overturn', reason });
  });

  it('takes the same Idempotency-Key once, answering the first answer again', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('idempotent');
    const headers = { 'Idempotency-Key': 'review-2026-03-02.001' };

    // Act
    const first = await api.call('POST', decisionPath(caseId), { body: confirm, headers });
    const retry = await api.call('POST', decisionPath(caseId), { body: confirm, headers });

    // Assess
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.json.strikes).toBe(1);
  });

  it('answers a retry of a refused decision as the first attempt was answered: 409', async () => {
    // Prepare
    api.at(T0 + HOUR);
    const caseId = await api.caseFor('idempotent-refused');
    await api.call('POST', decisionPath(caseId), { body: overturn });
    const headers = { 'Idempotency-Key': 'review-2026-03-02.002' };

    // Act
    const first = await api.call('POST', decisionPath(caseId), { body: confirm, headers });
    const retry = await api.call('POST', decisionPath(caseId), { body: confirm, headers });

    // Assess
    expect([first.status, retry.status]).toEqual([409, 409]);
    expect((await api.call('GET', memberPath('idempotent-refused'))).json.strikes).toBe(0);
  });
});
