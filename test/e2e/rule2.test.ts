import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, iso, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/** POLICY.md rule 2, through HTTP: the WeChat account linked to a member banned, then unbanned. */

const { client: wecom } = useLocalPipeline('wwe2erule200000001', { policyFile: FAITHFUL_POLICY_FILE });

describe('rule 2 (R2) through HTTP, under policies/wecom-faithful.json', () => {
  it('suspends interop without a strike while the linked WeChat is banned, and restores it exactly 24 h after the unban', async () => {
    // Prepare
    const start = scenarioStart(0);
    const bannedAt = start + MINUTE_MS;
    const unbannedAt = start + 2 * HOUR_MS;
    await wecom.setClock(start);

    // Act
    await wecom.wechatStatus('r2-member', 'banned', bannedAt, { id: 'r2-ban-1', reason: 'spam reports' });
    await wecom.drain();
    const banned = await wecom.member('r2-member');
    const violations = await wecom.violations('r2-member');
    await wecom.wechatStatus('r2-member', 'unbanned', unbannedAt, { id: 'r2-unban-1' });
    await wecom.setClock(unbannedAt);
    const unbanned = await wecom.member('r2-member');
    const timers = await wecom.timers();
    await wecom.advanceClock(23 * HOUR_MS);
    const after23h = await wecom.member('r2-member');
    await wecom.advanceClock(HOUR_MS);
    const after24h = await wecom.member('r2-member');

    // Assess
    expect(banned).toMatchObject({
      interop: {
        status: 'suspended',
        until: null,
        canApplyForUnblock: false,
        reason: { rule: 'R2', category: 'linked-wechat-violation' },
      },
      account: { status: 'active' },
      strikes: 0,
      linkedWeChat: { status: 'banned', restoreAt: null },
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      rule: 'R2',
      category: 'linked-wechat-violation',
      at: iso(bannedAt),
    });
    expect(unbanned).toMatchObject({
      interop: { status: 'suspended', reason: { rule: 'R2' } },
      linkedWeChat: { status: 'normal', restoreAt: iso(unbannedAt + DAY_MS) },
    });
    expect(timers).toContainEqual({ name: expect.stringMatching(/^r\./), at: iso(unbannedAt + DAY_MS) });
    expect(after23h.interop.status).toBe('suspended');
    expect(after24h).toMatchObject({
      interop: { status: 'active', until: null, reason: null },
      strikes: 0,
      linkedWeChat: { status: 'normal', restoreAt: null },
    });
    expect(await wecom.timers()).not.toContainEqual(
      expect.objectContaining({ at: iso(unbannedAt + DAY_MS) }),
    );
  });

  it('cancels the pending restore when WeChat bans the account again before it', async () => {
    // Prepare
    const start = scenarioStart(1);
    await wecom.setClock(start);
    // (in WeCom's XML envelope this time)
    await wecom.wechatStatus('r2-again', 'banned', start + MINUTE_MS, {
      id: 'r2-again-ban-1',
      envelope: 'xml',
    });
    await wecom.wechatStatus('r2-again', 'unbanned', start + HOUR_MS, {
      id: 'r2-again-unban-1',
      envelope: 'xml',
    });
    await wecom.drain();
    const pending = await wecom.timers();

    // Act: banned again 4 h later, then a day and a half goes by
    const rebannedAt = start + 5 * HOUR_MS;
    await wecom.wechatStatus('r2-again', 'banned', rebannedAt, { id: 'r2-again-ban-2' });
    await wecom.setClock(rebannedAt);
    await wecom.advanceClock(36 * HOUR_MS);
    const stillBanned = await wecom.member('r2-again');
    const timersAfter = await wecom.timers();
    // ... and unbanned for good
    const unbannedAt = start + 2 * DAY_MS;
    await wecom.wechatStatus('r2-again', 'unbanned', unbannedAt, { id: 'r2-again-unban-2' });
    await wecom.setClock(unbannedAt + DAY_MS);
    const restored = await wecom.member('r2-again');

    // Assess
    expect(pending).toContainEqual({
      name: expect.stringMatching(/^r\./),
      at: iso(start + HOUR_MS + DAY_MS),
    });
    expect(stillBanned).toMatchObject({
      interop: { status: 'suspended', until: null, reason: { rule: 'R2' } },
      linkedWeChat: { status: 'banned', restoreAt: null },
      strikes: 0,
    });
    expect(timersAfter).not.toContainEqual(expect.objectContaining({ at: iso(start + HOUR_MS + DAY_MS) }));
    expect(restored).toMatchObject({
      interop: { status: 'active' },
      linkedWeChat: { status: 'normal', restoreAt: null },
      strikes: 0,
    });
  });

  it('refuses an unblock application and an appeal of a linked-WeChat suspension (409)', async () => {
    // Prepare
    const start = scenarioStart(2);
    await wecom.setClock(start);
    await wecom.wechatStatus('r2-appeal', 'banned', start + MINUTE_MS, { id: 'r2-appeal-ban' });
    await wecom.drain();

    // Act
    const unblock = await wecom.applyForUnblock('r2-appeal');
    const appeal = await wecom.fileAppeal({ corpId: wecom.corpId, userId: 'r2-appeal' });
    const member = await wecom.member('r2-appeal');

    // Assess
    expect(unblock.status).toBe(409);
    expect(appeal.status).toBe(409);
    expect(appeal.body.error).toMatch(/WeChat/);
    expect(member.interop).toMatchObject({ status: 'suspended', reason: { rule: 'R2' } });
  });

  it('ignores an unban of an account that is not banned', async () => {
    // Prepare
    const start = scenarioStart(3);
    await wecom.setClock(start);

    // Act
    await wecom.wechatStatus('r2-stale', 'unbanned', start + MINUTE_MS, { id: 'r2-stale-unban' });
    await wecom.drain();
    const member = await wecom.member('r2-stale');

    // Assess
    expect(member).toMatchObject({
      interop: { status: 'active' },
      linkedWeChat: { status: 'normal', restoreAt: null },
      strikes: 0,
    });
    expect(await wecom.timers()).not.toContainEqual(
      expect.objectContaining({ name: expect.stringMatching(/^r\./) }),
    );
    expect(await wecom.violations('r2-stale')).toEqual([]);
  });

  it('keeps the longer penalty: a rule-1 suspension ending under a linked-WeChat ban leaves interop suspended', async () => {
    // Prepare: a first rule-1 suspension (one day), then the linked WeChat banned
    const start = scenarioStart(4);
    const sentAt = start + MINUTE_MS;
    await wecom.setClock(start);
    await wecom.sendText('r2-both', '亲，帮忙转发朋友圈', sentAt);
    await wecom.wechatStatus('r2-both', 'banned', start + HOUR_MS, { id: 'r2-both-ban' });
    await wecom.drain();
    const both = await wecom.member('r2-both');

    // Act: the rule-1 suspension's end passes, then WeChat unbans and 24 h pass
    await wecom.advanceClock(DAY_MS + HOUR_MS);
    const afterR1 = await wecom.member('r2-both');
    const unbannedAt = start + 2 * DAY_MS;
    await wecom.wechatStatus('r2-both', 'unbanned', unbannedAt, { id: 'r2-both-unban' });
    await wecom.setClock(unbannedAt + DAY_MS);
    const afterR2 = await wecom.member('r2-both');

    // Assess
    expect(both).toMatchObject({
      interop: { status: 'suspended', until: null, reason: { rule: 'R2' } },
      strikes: 1,
    });
    expect(afterR1).toMatchObject({
      interop: { status: 'suspended', until: null, reason: { rule: 'R2' } },
      strikes: 1,
    });
    expect(afterR2).toMatchObject({ interop: { status: 'active' }, strikes: 1 });
  });

  it('keeps a longer rule-1 suspension when the linked-WeChat restore fires', async () => {
    // Prepare: the linked WeChat banned, then a first and a second rule-1 violation
    const start = scenarioStart(5);
    const second = start + 3 * HOUR_MS;
    await wecom.setClock(start);
    await wecom.wechatStatus('r2-longer', 'banned', start + MINUTE_MS, { id: 'r2-longer-ban' });
    await wecom.sendText('r2-longer', '亲，帮忙转发朋友圈', start + HOUR_MS);
    await wecom.sendText('r2-longer', '集赞送礼品，快转发', second);
    const unbannedAt = start + 4 * HOUR_MS;
    await wecom.wechatStatus('r2-longer', 'unbanned', unbannedAt, { id: 'r2-longer-unban' });
    await wecom.drain();

    // Act: the restore fires 24 h after the unban
    await wecom.setClock(unbannedAt + DAY_MS);
    const restored = await wecom.member('r2-longer');

    // Assess: the seven-day rule-1 suspension is what is left
    expect(restored).toMatchObject({
      interop: {
        status: 'suspended',
        until: iso(second + 7 * DAY_MS),
        reason: { rule: 'R1', category: 'inducing-sharing' },
      },
      linkedWeChat: { status: 'normal', restoreAt: null },
      strikes: 2,
    });
  });
});
