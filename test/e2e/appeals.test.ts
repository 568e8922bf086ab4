import { describe, expect, it } from 'vitest';
import { externalId, HOUR_MS, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/** POLICY.md unblocking and appeals, and bad influence reaching the enterprise, through HTTP. */

const SHARING = '亲，帮忙转发朋友圈';
const DOCUMENTS = [
  'business-license',
  'legal-person-id',
  'legal-person-handheld-id',
  'seal-authorization-letter',
];
const { client: wecom } = useLocalPipeline('wwe2eappeals000001', { policyFile: FAITHFUL_POLICY_FILE });

/** A member with a first rule-1 suspension, at scenario `n`. */
async function suspended(userId: string, n: number): Promise<void> {
  const start = scenarioStart(n);
  await wecom.setClock(start);
  await wecom.sendText(userId, SHARING, start + MINUTE_MS);
  await wecom.drain();
}

describe('member appeals through HTTP, under policies/wecom-faithful.json', () => {
  it('files, reads and approves an appeal of a suspension: the penalty is lifted and the strike goes', async () => {
    // Prepare
    await suspended('ap-approved', 0);
    const [violation] = await wecom.violations('ap-approved');

    // Act
    const filed = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-approved' });
    const read = await wecom.appeal(filed.body.id);
    const whileOpen = await wecom.member('ap-approved');
    const decided = await wecom.decideAppeal(filed.body.id, true);
    const member = await wecom.member('ap-approved');
    const violations = await wecom.violations('ap-approved');
    const decidedAgain = await wecom.decideAppeal(filed.body.id, false);
    const lifted = (await wecom.memberEvents('ap-approved')).filter((e) => e.detailType === 'penalty.lifted');
    const timers = await wecom.timers();

    // Assess
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      corpId: wecom.corpId,
      userId: 'ap-approved',
      kind: 'penalty',
      status: 'open',
      violationId: violation?.id,
    });
    expect(read).toEqual({ status: 200, body: filed.body });
    expect(whileOpen).toMatchObject({ interop: { status: 'suspended' }, strikes: 1 });
    expect(decided).toMatchObject({ status: 200, body: { id: filed.body.id, status: 'approved' } });
    expect(member).toMatchObject({ interop: { status: 'active', reason: null }, strikes: 0 });
    expect(violations[0]).toMatchObject({ id: violation?.id, status: 'void' });
    expect(decidedAgain.status).toBe(409);
    expect(lifted).toHaveLength(1);
    expect(lifted[0]?.detail.cause?.kind).toBe('appeal-decision');
    expect(timers).not.toContainEqual(expect.objectContaining({ name: `u.${violation?.id}` }));
  });

  it('keeps the penalty and the strike when the reviewer rejects the appeal', async () => {
    // Prepare
    await suspended('ap-rejected', 1);
    const filed = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-rejected' });

    // Act
    const decided = await wecom.decideAppeal(filed.body.id, false);
    const member = await wecom.member('ap-rejected');
    const read = await wecom.appeal(filed.body.id);

    // Assess
    expect(decided).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect(read.body.status).toBe('rejected');
    expect(member).toMatchObject({ interop: { status: 'suspended' }, strikes: 1 });
  });

  it('takes an appeal of a permanent rule-3 block only as mistaken use, and records a rejection', async () => {
    // Prepare
    const start = scenarioStart(2);
    await wecom.setClock(start);
    await wecom.sendText('ap-permanent', '网上赌博，百家乐', start + MINUTE_MS);
    await wecom.drain();

    // Act
    const filed = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-permanent' });
    const decided = await wecom.decideAppeal(filed.body.id, false, 'reviewer-wang');
    const member = await wecom.member('ap-permanent');

    // Assess
    expect(filed).toMatchObject({ status: 201, body: { kind: 'mistaken-use', status: 'open' } });
    expect(decided).toMatchObject({ status: 200, body: { status: 'rejected' } });
    expect(member).toMatchObject({ account: { status: 'blocked' }, interop: { status: 'banned' } });
  });

  it('answers 404 for an unknown appeal, 409 where no appeal can be filed or one is open, 400 for a bad body', async () => {
    // Prepare
    await suspended('ap-errors', 3);
    const open = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-errors' });

    // Act
    const unknownRead = await wecom.appeal('no-such-appeal');
    const unknownDecision = await wecom.decideAppeal('no-such-appeal', true);
    const secondWhileOpen = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-errors' });
    const noPenalty = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-clean-member' });
    const unknownViolation = await wecom.fileAppeal({
      corpId: wecom.corpId,
      userId: 'ap-errors',
      violationId: 'no-such-violation',
    });
    const noCorp = await wecom.fileAppeal({ userId: 'ap-errors' });
    const unknownField = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'ap-errors', urgent: true });
    const badDecision = await wecom.admin('POST', `/admin/appeals/${open.body.id}/decision`, {
      reviewer: 'x',
    });
    const stillOpen = await wecom.appeal(open.body.id);

    // Assess
    expect(open.status).toBe(201);
    expect(unknownRead).toMatchObject({ status: 404, body: { error: expect.any(String) } });
    expect(unknownDecision.status).toBe(404);
    expect(secondWhileOpen).toMatchObject({
      status: 409,
      body: { error: expect.stringMatching(/already open/) },
    });
    expect(noPenalty.status).toBe(409);
    expect(unknownViolation.status).toBe(409);
    expect(noCorp).toMatchObject({ status: 400, body: { error: expect.stringMatching(/corpId/) } });
    expect(unknownField).toMatchObject({ status: 400, body: { error: expect.stringMatching(/urgent/) } });
    expect(badDecision).toMatchObject({ status: 400, body: { error: expect.stringMatching(/approved/) } });
    expect(stillOpen.body.status).toBe('open');
  });
});

describe('bad influence and the enterprise through HTTP, under policies/wecom-faithful.json', () => {
  it('blocks the enterprise and admin accounts once three members have bad influence within 30 days, and an appeal with all four documents unblocks them', async () => {
    // Prepare: member 1 draws 10 complaints, then induces sharing
    const start = scenarioStart(4);
    await wecom.setClock(start);
    const complaints = Array.from({ length: 10 }, (_, n) =>
      wecom.complaintRecord('bi-complained', externalId('bicomplainer', n), start + MINUTE_MS + n * 1000),
    );
    await wecom.records(complaints);
    await wecom.sendText('bi-complained', SHARING, start + HOUR_MS);
    // member 2 induces sharing in a customer group of 500
    const room = Array.from({ length: 500 }, (_, n) => externalId('biroom', n));
    await wecom.sendText('bi-room', SHARING, start + 2 * HOUR_MS, { to: room, roomId: 'wrEnterpriseRoom' });
    await wecom.drain();
    const first = await wecom.member('bi-complained');
    const afterTwo = await wecom.corp();

    // Act: a reviewer marks a third member's violation as bad influence
    await wecom.setClock(start + 3 * HOUR_MS);
    const report = await wecom.report('bi-reported', { category: 'inducing-sharing', badInfluence: true });
    const afterThree = await wecom.corp();
    const missing = await wecom.fileAppeal({ corpId: wecom.corpId, documents: DOCUMENTS.slice(0, 2) });
    const filed = await wecom.fileAppeal({ corpId: wecom.corpId, documents: DOCUMENTS });
    const again = await wecom.fileAppeal({ corpId: wecom.corpId, documents: DOCUMENTS });
    const decided = await wecom.decideAppeal(filed.body.id, true);
    const unblocked = await wecom.corp();

    // Assess
    expect(first).toMatchObject({ account: { status: 'blocked' }, strikes: 1 });
    expect(afterTwo).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
    expect(report.status).toBe(201);
    expect(report.body.member).toMatchObject({ account: { status: 'blocked' }, strikes: 1 });
    expect(afterThree).toMatchObject({
      account: { status: 'blocked', reason: { rule: 'R1' } },
      adminAccount: { status: 'blocked', reason: { rule: 'R1' } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('legal-person-handheld-id');
    expect(missing.body.error).toContain('seal-authorization-letter');
    expect(filed).toMatchObject({ status: 201, body: { kind: 'enterprise', status: 'open', userId: null } });
    expect(again.status).toBe(409);
    expect(decided).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect(unblocked).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
  });

  it('refuses an enterprise appeal when the enterprise is not blocked (409)', async () => {
    // Act
    const answer = await wecom.fileAppeal({ corpId: 'wwe2eappealsclean1', documents: DOCUMENTS });

    // Assess
    expect(answer).toMatchObject({ status: 409, body: { error: expect.stringMatching(/not blocked/) } });
  });
});
