import { describe, expect, it } from 'vitest';
import { DAY_MS, externalId, HOUR_MS, iso, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/** POLICY.md rule 1, through HTTP: harassing marketing, inducing sharing, malicious contact adds. */

const SHARING = '亲，帮忙转发朋友圈，集赞有礼';
const MARKETING = '限时优惠！全场五折，点击购买';
const { client: wecom } = useLocalPipeline('wwe2erule100000001', { policyFile: FAITHFUL_POLICY_FILE });

describe('rule 1 (R1) through HTTP, under policies/wecom-faithful.json', () => {
  it('suspends interop for one day on a message inducing sharing, and lifts it when the clock reaches the end', async () => {
    // Prepare
    const start = scenarioStart(0);
    const sentAt = start + MINUTE_MS;
    await wecom.setClock(start);

    // Act
    await wecom.sendText('r1-share', SHARING, sentAt);
    await wecom.drain();
    const suspended = await wecom.member('r1-share');
    const violations = await wecom.violations('r1-share');
    const timers = await wecom.timers();
    await wecom.advanceClock(DAY_MS);
    const justBefore = await wecom.member('r1-share');
    await wecom.advanceClock(MINUTE_MS);
    const after = await wecom.member('r1-share');
    const events = await wecom.memberEvents('r1-share');

    // Assess
    expect(suspended).toMatchObject({
      corpId: wecom.corpId,
      userId: 'r1-share',
      interop: {
        status: 'suspended',
        until: iso(sentAt + DAY_MS),
        canApplyForUnblock: true,
        reason: { rule: 'R1', category: 'inducing-sharing' },
      },
      account: { status: 'active' },
      strikes: 1,
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      rule: 'R1',
      category: 'inducing-sharing',
      at: iso(sentAt),
      penalty: { kind: 'suspension', scope: 'interop', until: iso(sentAt + DAY_MS) },
    });
    expect(violations[0]?.evidence).toContainEqual({
      type: 'term',
      term: '转发朋友圈',
      length: 5,
      truncated: false,
    });
    expect(timers.map((t) => t.at)).toContain(iso(sentAt + DAY_MS));
    expect(justBefore.interop.status).toBe('suspended');
    expect(after).toMatchObject({
      interop: { status: 'active', until: null, canApplyForUnblock: false, reason: null },
      strikes: 1,
    });
    // Every change names its cause and the policy version in force
    expect(events.map((e) => [e.detailType, e.detail.cause?.kind, e.detail.policyVersion])).toEqual([
      ['penalty.applied', 'violation', '2026-12-04.2-wecom-faithful'],
      ['penalty.lifted', 'schedule', '2026-12-04.2-wecom-faithful'],
    ]);
    expect(events[0]?.detail).toMatchObject({
      reason: { rule: 'R1', category: 'inducing-sharing', violationId: violations[0]?.id },
      until: iso(sentAt + DAY_MS),
    });
  });

  it('climbs the three-step ladder: one day with unblocking, seven days without, then a permanent ban', async () => {
    // Prepare
    const start = scenarioStart(1);
    const [first, second, third] = [start + MINUTE_MS, start + 2 * HOUR_MS, start + 4 * HOUR_MS];
    await wecom.setClock(start);

    // Act
    await wecom.sendText('r1-ladder', SHARING, first);
    await wecom.drain();
    const step1 = await wecom.member('r1-ladder');
    await wecom.sendText('r1-ladder', '转发到朋友圈就送红包', second);
    await wecom.drain();
    const step2 = await wecom.member('r1-ladder');
    const unblockOnStep2 = await wecom.applyForUnblock('r1-ladder');
    await wecom.sendText('r1-ladder', 'share to your moments and win', third);
    await wecom.drain();
    const step3 = await wecom.member('r1-ladder');
    const unblockOnStep3 = await wecom.applyForUnblock('r1-ladder');
    await wecom.advanceClock(10 * DAY_MS);
    const tenDaysLater = await wecom.member('r1-ladder');

    // Assess
    expect(step1).toMatchObject({
      interop: { status: 'suspended', until: iso(first + DAY_MS), canApplyForUnblock: true },
      strikes: 1,
    });
    expect(step2).toMatchObject({
      interop: { status: 'suspended', until: iso(second + 7 * DAY_MS), canApplyForUnblock: false },
      strikes: 2,
    });
    expect(unblockOnStep2.status).toBe(409);
    expect(unblockOnStep2.body.error).toEqual(expect.any(String));
    expect(step3).toMatchObject({
      interop: {
        status: 'banned',
        until: null,
        canApplyForUnblock: false,
        reason: { rule: 'R1', category: 'inducing-sharing' },
      },
      account: { status: 'active' },
      strikes: 3,
    });
    expect(unblockOnStep3.status).toBe(409);
    expect(tenDaysLater).toMatchObject({ interop: { status: 'banned', until: null }, strikes: 3 });
    expect((await wecom.violations('r1-ladder')).map((v) => v.penalty?.kind)).toEqual([
      'ban',
      'suspension',
      'suspension',
    ]);
  });

  it('lets the first suspension’s end pass without shortening the longer second one', async () => {
    // Prepare: a one-day suspension, then a seven-day one two hours later
    const start = scenarioStart(7);
    const second = start + 2 * HOUR_MS;
    await wecom.setClock(start);
    await wecom.sendText('r1-longer', SHARING, start + MINUTE_MS);
    await wecom.sendText('r1-longer', '集赞送礼品，快转发', second);
    await wecom.drain();

    // Act: past the first suspension's end, then past the second's
    await wecom.advanceClock(DAY_MS + HOUR_MS);
    const afterFirstEnd = await wecom.member('r1-longer');
    await wecom.setClock(second + 7 * DAY_MS);
    const afterSecondEnd = await wecom.member('r1-longer');

    // Assess
    expect(afterFirstEnd).toMatchObject({
      interop: { status: 'suspended', until: iso(second + 7 * DAY_MS), canApplyForUnblock: false },
      strikes: 2,
    });
    expect(afterSecondEnd).toMatchObject({ interop: { status: 'active' }, strikes: 2 });
  });

  it('finds harassing marketing once three recipients of marketing complain or delete the member within 7 days', async () => {
    // Prepare
    const start = scenarioStart(2);
    const customers = [1, 2, 3].map((n) => externalId('r1market', n));
    await wecom.setClock(start);
    await wecom.sendText('r1-market', MARKETING, start + MINUTE_MS, { to: customers });

    // Act
    await wecom.complain('r1-market', customers[0] ?? '', start + HOUR_MS);
    await wecom.customerDeleted('r1-market', customers[1] ?? '', start + DAY_MS);
    await wecom.drain();
    const afterTwo = await wecom.member('r1-market');
    const complainedAt = start + 3 * DAY_MS;
    await wecom.complain('r1-market', customers[2] ?? '', complainedAt);
    await wecom.drain();
    const afterThree = await wecom.member('r1-market');
    const violations = await wecom.violations('r1-market');

    // Assess
    expect(afterTwo).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    expect(afterThree).toMatchObject({
      interop: {
        status: 'suspended',
        until: iso(complainedAt + DAY_MS),
        canApplyForUnblock: true,
        reason: { rule: 'R1', category: 'harassing-marketing' },
      },
      strikes: 1,
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]?.evidence).toContainEqual({
      type: 'count',
      name: 'negative feedback from marketing recipients',
      value: 3,
      threshold: 3,
    });
  });

  it('does not count complaints that come more than 7 days after the marketing', async () => {
    // Prepare
    const start = scenarioStart(6);
    const customers = [1, 2, 3].map((n) => externalId('r1stale', n));
    await wecom.setClock(start);
    await wecom.sendText('r1-stale', MARKETING, start + MINUTE_MS, { to: customers });

    // Act: three complaints, 9 to 11 days later
    for (const [n, customer] of customers.entries()) {
      await wecom.complain('r1-stale', customer, start + (9 + n) * DAY_MS);
    }
    await wecom.drain();

    // Assess
    expect(await wecom.member('r1-stale')).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    expect(await wecom.violations('r1-stale')).toEqual([]);
  });

  it('finds malicious contact adds once three contacts the member added complain within 7 days', async () => {
    // Prepare
    const start = scenarioStart(3);
    const added = [1, 2, 3].map((n) => externalId('r1adds', n));
    await wecom.setClock(start);
    for (const [i, customer] of added.entries()) {
      await wecom.addContact('r1-adds', customer, start + (i + 1) * MINUTE_MS);
    }
    await wecom.complain('r1-adds', added[0] ?? '', start + HOUR_MS);
    await wecom.complain('r1-adds', added[1] ?? '', start + 2 * DAY_MS);
    await wecom.drain();
    const afterTwo = await wecom.member('r1-adds');

    // Act
    const complainedAt = start + 5 * DAY_MS;
    await wecom.complain('r1-adds', added[2] ?? '', complainedAt);
    await wecom.drain();
    const afterThree = await wecom.member('r1-adds');
    const violations = await wecom.violations('r1-adds');

    // Assess
    expect(afterTwo).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    expect(afterThree).toMatchObject({
      interop: {
        status: 'suspended',
        until: iso(complainedAt + DAY_MS),
        reason: { rule: 'R1', category: 'malicious-contact-adds' },
      },
      strikes: 1,
    });
    expect(violations.map((v) => v.category)).toEqual(['malicious-contact-adds']);
    expect(violations[0]?.evidence).toContainEqual({
      type: 'count',
      name: 'complaints from added contacts',
      value: 3,
      threshold: 3,
    });
  });

  it('lets the administrator apply for unblocking once, on the first suspension only; the strike stays', async () => {
    // Prepare
    const start = scenarioStart(4);
    const sentAt = start + MINUTE_MS;
    await wecom.setClock(start);
    await wecom.sendText('r1-unblock', SHARING, sentAt);
    await wecom.drain();

    // Act
    const first = await wecom.applyForUnblock('r1-unblock');
    const again = await wecom.applyForUnblock('r1-unblock');
    const member = await wecom.member('r1-unblock');
    const nothingToLift = await wecom.applyForUnblock('r1-never-violated');
    const timers = await wecom.timers();
    const lifted = (await wecom.memberEvents('r1-unblock')).filter((e) => e.detailType === 'penalty.lifted');

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      userId: 'r1-unblock',
      interop: { status: 'active', canApplyForUnblock: false },
      strikes: 1,
    });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: expect.any(String) });
    expect(member).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
    expect(nothingToLift.status).toBe(409);
    expect(lifted).toHaveLength(1);
    expect(lifted[0]?.detail.cause?.kind).toBe('unblock-application');
    expect(timers).not.toContainEqual(expect.objectContaining({ at: iso(sentAt + DAY_MS) }));
  });

  it('blocks the member account, whatever the strike count, when a violation reaches 500 recipients (bad influence)', async () => {
    // Prepare: one message into a customer group of 500
    const start = scenarioStart(5);
    const group = Array.from({ length: 500 }, (_, n) => externalId('r1bad', n));
    await wecom.setClock(start);

    // Act
    await wecom.sendText('r1-bad', SHARING, start + MINUTE_MS, { to: group, roomId: 'wrR1BadInfluenceRoom' });
    await wecom.drain();
    const member = await wecom.member('r1-bad');
    const violations = await wecom.violations('r1-bad');
    const corp = await wecom.corp();

    // Assess
    expect(member).toMatchObject({
      interop: { status: 'banned', until: null, reason: { rule: 'R1', category: 'inducing-sharing' } },
      account: { status: 'blocked' },
      strikes: 1,
    });
    expect(violations[0]).toMatchObject({ rule: 'R1', badInfluence: true });
    expect(corp.account.status).toBe('active');
    expect(corp.adminAccount.status).toBe('active');
  });
});
