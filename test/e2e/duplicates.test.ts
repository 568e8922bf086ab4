import { describe, expect, it } from 'vitest';
import { DAY_MS, externalId, HOUR_MS, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/** CONTRACT §3: a callback delivered again (WeCom retries, replays) is accepted and takes effect once. */

const { client: wecom } = useLocalPipeline('wwe2edupes00000001', { policyFile: FAITHFUL_POLICY_FILE });

describe('duplicates through HTTP, under policies/wecom-faithful.json', () => {
  it('takes every callback delivered three times into effect once: strikes, violations, timers, outbound events', async () => {
    // Prepare
    const start = scenarioStart(0);
    const sentAt = start + HOUR_MS;
    await wecom.setClock(start);

    // Act: ten adds, a message inducing sharing, a WeChat ban: each delivered three times
    for (let n = 0; n < 10; n++) {
      await wecom.addContact('dup-member', externalId('dupadd', n), start + MINUTE_MS + n * 10_000);
    }
    await wecom.sendText('dup-member', '亲，帮忙转发朋友圈', sentAt, { msgId: 'dup-msg-1' });
    await wecom.wechatStatus('dup-member', 'banned', start + 2 * HOUR_MS, { id: 'dup-ban-1' });
    await wecom.drain();
    const member = await wecom.member('dup-member');
    const violations = await wecom.violations('dup-member');
    const applied = (await wecom.memberEvents('dup-member')).filter(
      (e) => e.detailType === 'penalty.applied',
    );
    const timers = (await wecom.timers()).filter((t) => t.at === new Date(sentAt + DAY_MS).toISOString());
    const corp = await wecom.corp();

    // Assess
    expect(member).toMatchObject({
      interop: { status: 'suspended', reason: { rule: 'R2' } },
      strikes: 1,
      linkedWeChat: { status: 'banned' },
    });
    expect(violations.map((v) => v.category)).toEqual(['linked-wechat-violation', 'inducing-sharing']);
    expect(applied.map((e) => e.detail.reason?.rule)).toEqual(['R1', 'R2']);
    expect(new Set(applied.map((e) => e.detail.id)).size).toBe(2);
    expect(timers).toHaveLength(1);
    expect(corp.advice).toEqual([expect.stringContaining("made 10 of today's 10 contact adds")]);
  });

  it('counts a complaint once whatever the envelope and however the batches overlap', async () => {
    // Prepare: marketing to three customers
    const start = scenarioStart(1);
    const customers = [1, 2, 3].map((n) => externalId('dupmarket', n));
    await wecom.setClock(start);
    await wecom.sendText('dup-market', '秒杀！优惠券限时领取', start + MINUTE_MS, { to: customers });
    const [first, second, third] = customers.map((c, n) =>
      wecom.complaintRecord('dup-market', c, start + (n + 1) * HOUR_MS, `dup-complaint-${n}`),
    );

    // Act: two complaints, delivered in both envelopes, then again in an overlapping batch
    const batch = JSON.stringify({ records: [first, second] });
    await wecom.deliver('message', batch, { times: 2, envelope: 'json' });
    await wecom.deliver('message', batch, { times: 1, envelope: 'xml' });
    await wecom.records([second ?? {}]);
    await wecom.drain();
    const afterTwo = await wecom.member('dup-market');
    await wecom.records([second ?? {}, third ?? {}]);
    await wecom.drain();
    const afterThree = await wecom.member('dup-market');

    // Assess
    expect(afterTwo).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    expect(afterThree).toMatchObject({
      interop: { status: 'suspended', reason: { category: 'harassing-marketing' } },
      strikes: 1,
    });
    expect(await wecom.violations('dup-market')).toHaveLength(1);
  });

  it('keeps a lifted penalty lifted when its callback comes again after the unban', async () => {
    // Prepare: a suspension that has run its day
    const start = scenarioStart(2);
    const sentAt = start + MINUTE_MS;
    await wecom.setClock(start);
    await wecom.sendText('dup-late', 'share to moments to win a prize', sentAt, { msgId: 'dup-late-1' });
    await wecom.drain();
    await wecom.advanceClock(2 * DAY_MS);
    const lifted = await wecom.member('dup-late');

    // Act: WeCom delivers the same message again
    await wecom.sendText('dup-late', 'share to moments to win a prize', sentAt, { msgId: 'dup-late-1' });
    await wecom.drain();
    const member = await wecom.member('dup-late');

    // Assess
    expect(lifted).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
    expect(member).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
    expect(await wecom.violations('dup-late')).toHaveLength(1);
  });

  it('applies a reviewer report sent three times with one Idempotency-Key once', async () => {
    // Prepare
    await wecom.setClock(scenarioStart(3));
    const path = `/admin/corps/${wecom.corpId}/members/dup-reported/violations`;
    const body = { category: 'harassing-marketing', reviewer: 'reviewer-e2e' };

    // Act
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(
        await wecom.admin<{ violationId: string }>('POST', path, body, { 'idempotency-key': 'report-1' }),
      );
    }
    const member = await wecom.member('dup-reported');

    // Assess
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.violationId)).size).toBe(1);
    expect(member).toMatchObject({ interop: { status: 'suspended', canApplyForUnblock: true }, strikes: 1 });
    expect(await wecom.violations('dup-reported')).toHaveLength(1);
  });
});
