import { describe, expect, it } from 'vitest';
import { decideCase, getCase, listCases, memberWithCases, outboundFile } from '../helpers/e2e-cases.js';
import { DAY_MS, HOUR_MS, iso, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/**
 * Human review through HTTP (CONTRACT §5 "Human review (cases)", POLICY.md "Enforcement modes"):
 * under the built-in policy a text detection opens a case with a provisional measure, a reviewer
 * decides it; under policies/wecom-faithful.json the same text acts at once.
 */

const pipeline = useLocalPipeline('wwe2ecases00000001');
const wecom = pipeline.client;
const faithful = useLocalPipeline('wwe2ecasesfaithful', { policyFile: FAITHFUL_POLICY_FILE }).client;

const GAMBLING = '最新网赌平台上线，百家乐包赢，加我带你玩';
/** Our own IT team's notice that the classifier reads as a security threat (phishing-like wording). */
const IT_NOTICE = '各位同事，系统升级后请点击链接重新登录并输入密码验证身份';

/** Sends `text` from `userId` at `at`, drains, and answers the member's one open case. */
async function openCase(userId: string, text: string, at: number) {
  await wecom.sendText(userId, text, at, { msgId: `${userId}-msg-1` });
  await wecom.drain();
  const member = await memberWithCases(wecom, userId);
  const [open] = member.openCases;
  if (!open) throw new Error(`no case opened for ${userId}: ${JSON.stringify(member)}`);
  return { member, caseId: open.id };
}

describe('human review under the built-in policy', () => {
  it('opens a case for a gambling invitation with interop provisionally suspended; the reviewer confirms it and the rule-3 block applies', async () => {
    // Prepare
    const start = scenarioStart(0);
    await wecom.setClock(start);
    const { member: held, caseId } = await openCase('cs-confirm', GAMBLING, start + MINUTE_MS);
    const listed = await listCases(wecom, 'open');
    const pending = await wecom.violations('cs-confirm');

    // Act
    await wecom.setClock(start + 2 * HOUR_MS);
    const decided = await decideCase(wecom, caseId, 'confirm', 'an invitation to an online casino');
    const again = await decideCase(wecom, caseId, 'overturn', 'second opinion');
    const after = await memberWithCases(wecom, 'cs-confirm');
    const theCase = await getCase(wecom, caseId);
    const standing = await wecom.violations('cs-confirm');

    // Assess
    expect(held).toMatchObject({
      interop: {
        status: 'suspended',
        until: null,
        canApplyForUnblock: false,
        reason: { rule: 'R3', category: 'gambling', provisional: true, caseId },
      },
      account: { status: 'active' },
      strikes: 0,
      openCases: [{ id: caseId, kind: 'violation', rule: 'R3', category: 'gambling', status: 'open' }],
    });
    expect(listed.find((c) => c.id === caseId)).toMatchObject({
      userId: 'cs-confirm',
      category: 'gambling',
      status: 'open',
      openedAt: iso(start + MINUTE_MS),
      reviewBy: iso(start + MINUTE_MS + 3 * DAY_MS),
      provisional: { scope: 'interop', kind: 'suspension' },
      decision: null,
    });
    expect(pending).toMatchObject([{ category: 'gambling', status: 'pending' }]);
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      interop: { status: 'banned', until: null, reason: { rule: 'R3', category: 'gambling' } },
      account: { status: 'blocked', reason: { rule: 'R3', category: 'gambling' } },
      openCases: [],
    });
    expect(again.status).toBe(409);
    expect(after).toMatchObject({ account: { status: 'blocked' }, strikes: 0, openCases: [] });
    expect(after.interop.reason).not.toHaveProperty('provisional');
    expect(theCase.body).toMatchObject({
      status: 'confirmed',
      decision: {
        decision: 'confirm',
        reviewer: 'reviewer-e2e',
        reason: 'an invitation to an online casino',
      },
    });
    expect(standing).toMatchObject([
      { category: 'gambling', status: 'standing', penalty: { kind: 'block' } },
    ]);
  });

  it('lifts the provisional measure and voids the violation when the reviewer overturns a misread IT notice', async () => {
    // Prepare
    const start = scenarioStart(1);
    await wecom.setClock(start);
    const { member: held, caseId } = await openCase('cs-overturn', IT_NOTICE, start + MINUTE_MS);

    // Act
    await wecom.setClock(start + HOUR_MS);
    const decided = await decideCase(wecom, caseId, 'overturn', "our own IT team's notice");
    const theCase = await getCase(wecom, caseId);
    const violations = await wecom.violations('cs-overturn');
    const overturned = await listCases(wecom, 'overturned');
    await wecom.advanceClock(4 * DAY_MS);
    const later = await memberWithCases(wecom, 'cs-overturn');

    // Assess
    expect(held).toMatchObject({
      interop: { status: 'suspended', reason: { category: 'security-threat', provisional: true } },
    });
    expect(decided).toMatchObject({
      status: 200,
      body: {
        interop: { status: 'active', reason: null },
        account: { status: 'active' },
        strikes: 0,
        openCases: [],
      },
    });
    expect(theCase.body).toMatchObject({
      status: 'overturned',
      decision: { decision: 'overturn', reason: "our own IT team's notice" },
    });
    expect(violations).toMatchObject([{ category: 'security-threat', status: 'void' }]);
    expect(overturned.map((c) => c.id)).toContain(caseId);
    expect(later).toMatchObject({ interop: { status: 'active' }, strikes: 0, openCases: [] });
  });

  it('holds the enterprise block that three members’ bad influence would bring in a case, and blocks the enterprise once confirmed', async () => {
    // Prepare: a reviewer finds bad influence in three members' violations
    const start = scenarioStart(2);
    await wecom.setClock(start);
    for (const userId of ['cs-bi-1', 'cs-bi-2', 'cs-bi-3']) {
      const report = await wecom.report(userId, { category: 'harassing-marketing', badInfluence: true });
      expect(report.status).toBe(201);
    }
    const held = await wecom.corp();
    const member = await memberWithCases(wecom, 'cs-bi-3');
    const enterpriseCase = member.openCases.find((c) => c.kind === 'enterprise-block');
    if (!enterpriseCase) throw new Error('no enterprise-block case');

    // Act
    await wecom.advanceClock(HOUR_MS);
    const decided = await decideCase(wecom, enterpriseCase.id, 'confirm', 'three members within 30 days');
    const blocked = await wecom.corp();
    const theCase = await getCase(wecom, enterpriseCase.id);

    // Assess
    expect(held).toMatchObject({
      account: { status: 'active' },
      adminAccount: { status: 'active' },
      enterpriseCase: { id: enterpriseCase.id, userId: 'cs-bi-3' },
    });
    expect(enterpriseCase).toMatchObject({ rule: 'R1', category: 'harassing-marketing', status: 'open' });
    expect(decided.status).toBe(200);
    expect(blocked).toMatchObject({
      account: { status: 'blocked', reason: { rule: 'R1', category: 'harassing-marketing' } },
      adminAccount: { status: 'blocked', reason: { rule: 'R1', category: 'harassing-marketing' } },
      enterpriseCase: null,
    });
    expect(theCase.body).toMatchObject({ kind: 'enterprise-block', status: 'confirmed', provisional: null });
  });

  it('lists a case past its 72-hour review deadline as expired, its provisional measure kept, and lets the reviewer still decide it', async () => {
    // Prepare
    const start = scenarioStart(3);
    await wecom.setClock(start);
    const { caseId } = await openCase('cs-late', GAMBLING, start + MINUTE_MS);

    // Act
    await wecom.advanceClock(3 * DAY_MS + HOUR_MS);
    const expired = await listCases(wecom, 'expired');
    const open = await listCases(wecom, 'open');
    const waiting = await memberWithCases(wecom, 'cs-late');
    const decided = await decideCase(wecom, caseId, 'confirm', 'late, but gambling');

    // Assess
    expect(expired.map((c) => c.id)).toContain(caseId);
    expect(open.map((c) => c.id)).not.toContain(caseId);
    expect(waiting).toMatchObject({
      interop: { status: 'suspended', reason: { provisional: true, caseId } },
      openCases: [{ id: caseId, status: 'expired' }],
    });
    expect(decided).toMatchObject({ status: 200, body: { account: { status: 'blocked' }, openCases: [] } });
    expect((await getCase(wecom, caseId)).body).toMatchObject({ status: 'confirmed' });
  });

  it('does not reopen a decided case when WeCom delivers the same callback again after the decision', async () => {
    // Prepare
    const start = scenarioStart(4);
    const sentAt = start + MINUTE_MS;
    await wecom.setClock(start);
    const { caseId } = await openCase('cs-redeliver', IT_NOTICE, sentAt);
    await wecom.setClock(start + HOUR_MS);
    await decideCase(wecom, caseId, 'overturn', 'an IT notice');

    // Act: the very callback (same msgid, same msgtime), delivered again after the decision
    await wecom.setClock(start + DAY_MS);
    await wecom.sendText('cs-redeliver', IT_NOTICE, sentAt, { msgId: 'cs-redeliver-msg-1' });
    await wecom.drain();
    const member = await memberWithCases(wecom, 'cs-redeliver');
    const violations = await wecom.violations('cs-redeliver');

    // Assess
    expect(member).toMatchObject({ interop: { status: 'active' }, strikes: 0, openCases: [] });
    expect(violations).toMatchObject([{ status: 'void' }]);
    expect(violations).toHaveLength(1);
    expect((await getCase(wecom, caseId)).body).toMatchObject({ status: 'overturned' });
  });

  it('writes case.opened and case.decided to the outbound events file, with the case and the decision', async () => {
    // Prepare
    const start = scenarioStart(5);
    await wecom.setClock(start);
    const { caseId } = await openCase('cs-outbound', GAMBLING, start + MINUTE_MS);
    await decideCase(wecom, caseId, 'confirm', 'gambling', 'reviewer-09');

    // Act
    const written = await outboundFile(pipeline.local.dataDir);
    const recent = await wecom.memberEvents('cs-outbound');

    // Assess
    const ofCase = written.filter(
      (e) => e.detail.userId === 'cs-outbound' && e.detailType.startsWith('case.'),
    );
    expect(ofCase.map((e) => e.detailType)).toEqual(['case.opened', 'case.decided']);
    expect(ofCase[0]?.detail).toMatchObject({
      case: { id: caseId, category: 'gambling', status: 'open', openedAt: iso(start + MINUTE_MS) },
    });
    expect(ofCase[1]?.detail).toMatchObject({
      caseId,
      status: 'confirmed',
      decision: { decision: 'confirm', reviewer: 'reviewer-09', reason: 'gambling' },
    });
    expect(recent.map((e) => e.detailType)).toEqual(expect.arrayContaining(['case.opened', 'case.decided']));
  });
});

describe('the published rules under policies/wecom-faithful.json', () => {
  it('blocks the member at once for the same gambling invitation, and opens no case', async () => {
    // Prepare
    const start = scenarioStart(0);
    await faithful.setClock(start);

    // Act
    await faithful.sendText('cs-faithful', GAMBLING, start + MINUTE_MS);
    await faithful.drain();
    const member = await memberWithCases(faithful, 'cs-faithful');
    const open = await listCases(faithful, 'open');
    const violations = await faithful.violations('cs-faithful');

    // Assess
    expect(member).toMatchObject({
      interop: { status: 'banned', until: null, reason: { rule: 'R3', category: 'gambling' } },
      account: { status: 'blocked', reason: { rule: 'R3', category: 'gambling' } },
      strikes: 0,
      openCases: [],
    });
    expect(open).toEqual([]);
    expect(violations).toMatchObject([{ status: 'standing', penalty: { kind: 'block', until: null } }]);
  });
});
