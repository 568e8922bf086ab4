import { describe, expect, it } from 'vitest';
import { DAY_MS, externalId, HOUR_MS, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/** POLICY.md rule 3, through HTTP: content, plug-ins, account information, reviewers' reports. */

const { client: wecom } = useLocalPipeline('wwe2erule300000001', { policyFile: FAITHFUL_POLICY_FILE });

/** What a member permanently blocked under rule 3 for `category` looks like. */
function blockedFor(category: string) {
  return {
    interop: { status: 'banned', until: null, canApplyForUnblock: false, reason: { rule: 'R3', category } },
    account: { status: 'blocked' },
    strikes: 0,
  };
}

describe('rule 3 (R3) through HTTP, under policies/wecom-faithful.json', () => {
  it.each([
    ['gambling', 'r3-gambling', '今晚网上赌场开局，百家乐包赢', '赌场'],
    ['fraud', 'r3-fraud', '稳赚不赔的项目，高额回报，速来', '稳赚不赔'],
    ['pornography', 'r3-porn', '同城约炮，私聊', '约炮'],
    ['security-threat', 'r3-phishing', '你的账户异常，请打开这个钓鱼网站', '钓鱼网站'],
    ['violence', 'r3-violence', '出售仿真枪，货到付款', '仿真枪'],
    ['illegal-trade', 'r3-trade', '代开发票，价格优惠', '代开发票'],
    ['gang-terror', 'r3-gang', '专业暴力催收，上门服务', '暴力催收'],
    ['fake-order-content', 'r3-fakeorder', '招聘兼职刷好评，日结', '刷好评'],
    ['infringement', 'r3-doxx', '帮你人肉搜索任何人', '人肉搜索'],
    ['false-information', 'r3-rumour', '内部消息称明天全城停水', '内部消息称'],
  ])('blocks the member account permanently for %s content', async (category, userId, text, term) => {
    // Prepare
    const start = scenarioStart(0);
    await wecom.setClock(start);

    // Act
    await wecom.sendText(userId, text, start + MINUTE_MS);
    await wecom.drain();
    await wecom.advanceClock(30 * DAY_MS);
    const member = await wecom.member(userId);
    const violations = await wecom.violations(userId);

    // Assess
    expect(member).toMatchObject(blockedFor(category));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ rule: 'R3', category, penalty: { kind: 'block', until: null } });
    expect(violations[0]?.evidence).toContainEqual(expect.objectContaining({ type: 'term', term }));
  });

  it('sees through the usual evasions: full-width letters, inserted spaces and symbols, traditional characters', async () => {
    // Prepare
    const start = scenarioStart(1);
    await wecom.setClock(start);

    // Act
    await wecom.sendText('r3-evasion-a', '网上 赌*博，天天返水', start + MINUTE_MS);
    await wecom.sendText('r3-evasion-b', '線上賭博，日日返水', start + MINUTE_MS);
    await wecom.sendText('r3-evasion-c', 'ＧＡＭＢＬＩＮＧ online, 百 家 乐', start + MINUTE_MS);
    await wecom.drain();
    const members = await Promise.all(
      ['r3-evasion-a', 'r3-evasion-b', 'r3-evasion-c'].map((u) => wecom.member(u)),
    );

    // Assess
    for (const member of members) expect(member).toMatchObject(blockedFor('gambling'));
  });

  it('leaves ordinary messages, and warnings against such content, alone', async () => {
    // Prepare
    const start = scenarioStart(2);
    await wecom.setClock(start);

    // Act
    await wecom.sendText('r3-innocent', '您好，您的订单已发货，请注意查收', start + MINUTE_MS);
    await wecom.sendText('r3-innocent', '提醒：严禁赌博，谨防钓鱼网站', start + 2 * MINUTE_MS);
    await wecom.drain();

    // Assess
    expect(await wecom.member('r3-innocent')).toMatchObject({
      interop: { status: 'active' },
      account: { status: 'active' },
      strikes: 0,
    });
    expect(await wecom.violations('r3-innocent')).toEqual([]);
  });

  it('finds plug-in use in contact adds at machine cadence: 20 adds within 60 s', async () => {
    // Prepare: 19 adds, 3 s apart
    const start = scenarioStart(3);
    const first = start + MINUTE_MS;
    await wecom.setClock(start);
    for (let n = 0; n < 19; n++)
      await wecom.addContact('r3-plugin', externalId('r3plugin', n), first + n * 3000);
    await wecom.drain();
    const after19 = await wecom.member('r3-plugin');

    // Act: the 20th, 57 s after the first
    await wecom.addContact('r3-plugin', externalId('r3plugin', 19), first + 57_000);
    await wecom.drain();
    const after20 = await wecom.member('r3-plugin');
    const violations = await wecom.violations('r3-plugin');

    // Assess
    expect(after19).toMatchObject({ account: { status: 'active' }, interop: { status: 'active' } });
    expect(after20).toMatchObject(blockedFor('plugin-use'));
    expect(violations[0]?.evidence).toContainEqual({
      type: 'count',
      name: 'adds in 60 s',
      value: 20,
      threshold: 20,
    });
  });

  it('finds plug-in use in the same text sent one by one to more than 200 recipients within 60 s', async () => {
    // Prepare: the same text to 200 customers, in two sends
    const start = scenarioStart(4);
    const text = '您好，周末愉快';
    const customers = Array.from({ length: 201 }, (_, n) => externalId('r3mass', n));
    await wecom.setClock(start);
    await wecom.sendText('r3-mass', text, start + MINUTE_MS, { to: customers.slice(0, 100) });
    await wecom.sendText('r3-mass', text, start + MINUTE_MS + 10_000, { to: customers.slice(100, 200) });
    await wecom.drain();
    const after200 = await wecom.member('r3-mass');

    // Act: one more recipient within the minute
    await wecom.sendText('r3-mass', text, start + MINUTE_MS + 20_000, { to: customers.slice(200) });
    await wecom.drain();
    const after201 = await wecom.member('r3-mass');

    // Assess
    expect(after200.account.status).toBe('active');
    expect(after201).toMatchObject(blockedFor('plugin-use'));
  });

  it('finds an illegal profile name or alias in update_user (account information)', async () => {
    // Prepare
    const start = scenarioStart(5);
    await wecom.setClock(start);

    // Act
    await wecom.updateUser('r3-profile-ok', { Name: '张三', Alias: 'Sales Zhang' }, start + MINUTE_MS);
    await wecom.updateUser('r3-profile-name', { Name: '澳门赌场客服' }, start + MINUTE_MS);
    await wecom.updateUser('r3-profile-alias', { Name: '李四', Alias: '代开发票找我' }, start + MINUTE_MS);
    await wecom.drain();
    const ok = await wecom.member('r3-profile-ok');
    const byName = await wecom.member('r3-profile-name');
    const byAlias = await wecom.member('r3-profile-alias');
    const evidence = (await wecom.violations('r3-profile-name'))[0]?.evidence;

    // Assess
    expect(ok).toMatchObject({ account: { status: 'active' }, interop: { status: 'active' } });
    expect(byName).toMatchObject(blockedFor('account-info-violation'));
    expect(byAlias).toMatchObject(blockedFor('account-info-violation'));
    expect(evidence).toContainEqual({ type: 'content-category', category: 'gambling' });
  });

  it.each([
    ['malicious-registration'],
    ['other-illegal'],
    ['account-info-violation'],
    ['infringement'],
    ['false-information'],
  ])('blocks the member on a reviewer report of %s through the admin API', async (category) => {
    // Prepare
    const userId = `r3-reported-${category}`;
    await wecom.setClock(scenarioStart(6));

    // Act
    const report = await wecom.report(userId, { category, reviewer: 'reviewer-li', note: 'seen in audit' });
    const member = await wecom.member(userId);
    const violations = await wecom.violations(userId);

    // Assess
    expect(report.status).toBe(201);
    expect(report.body.member).toMatchObject(blockedFor(category));
    expect(member).toMatchObject(blockedFor(category));
    expect(violations[0]).toMatchObject({ rule: 'R3', category, id: report.body.violationId });
    expect(violations[0]?.evidence).toContainEqual({ type: 'reviewer', reviewer: 'reviewer-li' });
  });

  it('refuses reports that are not reviewers’ to make (400)', async () => {
    // Prepare
    await wecom.setClock(scenarioStart(6));

    // Act
    const linkedWeChat = await wecom.report('r3-bad-report', { category: 'linked-wechat-violation' });
    const unknown = await wecom.report('r3-bad-report', { category: 'jaywalking' });
    const noReviewer = await wecom.admin(
      'POST',
      `/admin/corps/${wecom.corpId}/members/r3-bad-report/violations`,
      {
        category: 'other-illegal',
      },
    );

    // Assess
    expect(linkedWeChat.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(noReviewer.status).toBe(400);
    expect(noReviewer.body).toEqual({ error: expect.stringMatching(/reviewer/) });
    expect(await wecom.member('r3-bad-report')).toMatchObject({ account: { status: 'active' }, strikes: 0 });
  });

  it('shows the most severe penalty: a rule-3 block over a rule-1 suspension, and it outlasts the suspension', async () => {
    // Prepare: a first rule-1 suspension
    const start = scenarioStart(7);
    await wecom.setClock(start);
    await wecom.sendText('r3-precedence', '亲，帮忙转发朋友圈', start + MINUTE_MS);
    await wecom.drain();
    const suspended = await wecom.member('r3-precedence');

    // Act: rule-3 content an hour later, then the suspension's end passes
    await wecom.sendText('r3-precedence', '来玩网上赌博', start + HOUR_MS);
    await wecom.drain();
    const both = await wecom.member('r3-precedence');
    await wecom.advanceClock(2 * DAY_MS);
    const later = await wecom.member('r3-precedence');

    // Assess
    expect(suspended.interop).toMatchObject({ status: 'suspended', reason: { rule: 'R1' } });
    expect(both).toMatchObject({ ...blockedFor('gambling'), strikes: 1 });
    expect(later).toMatchObject({ ...blockedFor('gambling'), strikes: 1 });
  });

  it('blocks the enterprise and admin accounts too when a rule-3 violation has bad influence', async () => {
    // Prepare: a corp untouched so far
    const start = scenarioStart(8);
    const room = Array.from({ length: 500 }, (_, n) => externalId('r3room', n));
    await wecom.setClock(start);
    const before = await wecom.corp();

    // Act: gambling content into a customer group of 500
    await wecom.sendText('r3-influence', '群里开赌场了，百家乐走起', start + MINUTE_MS, {
      to: room,
      roomId: 'wrR3BadInfluenceRoom',
    });
    await wecom.drain();
    const member = await wecom.member('r3-influence');
    const corp = await wecom.corp();
    const events = (await wecom.events()).filter(
      (e) => e.detailType === 'penalty.applied' && e.detail.corpId === wecom.corpId && !e.detail.userId,
    );

    // Assess
    expect(before).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
    expect(member).toMatchObject(blockedFor('gambling'));
    expect(corp).toMatchObject({
      account: { status: 'blocked', reason: { rule: 'R3', category: 'gambling' } },
      adminAccount: { status: 'blocked', reason: { rule: 'R3', category: 'gambling' } },
    });
    expect(events.map((e) => e.detail.subject.kind).sort()).toEqual(['admin', 'enterprise']);
  });
});
