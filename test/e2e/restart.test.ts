import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, iso, type MemberJson, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { type E2eLocal, FAITHFUL_POLICY_FILE, startE2e } from '../helpers/e2e-setup.js';

/** A restart of `npm start` in the middle of a scenario: state, pending timers and queued work survive. */

const CORP = 'wwe2erestart000001';
const running: E2eLocal[] = [];

afterAll(async () => {
  for (const local of running) await local.process.stop();
});

describe('a restart in the middle of a scenario, under policies/wecom-faithful.json', () => {
  it('keeps the state and the pending timers on the same DATA_DIR, ignores redeliveries, and fires the timers after the restart', async () => {
    // Prepare: the first half of a scenario
    const start = scenarioStart(0);
    const sentAt = start + MINUTE_MS;
    const unbannedAt = start + 2 * HOUR_MS;
    const lateAt = start + 3 * HOUR_MS;
    const first = await startE2e(CORP, { policyFile: FAITHFUL_POLICY_FILE });
    running.push(first);
    const before = first.client;
    await before.setClock(start);
    const callbacks = async (wecom: typeof before) => {
      await wecom.sendText('rs-member', '亲，帮忙转发朋友圈', sentAt, { msgId: 'rs-msg-1' });
      await wecom.wechatStatus('rs-wechat', 'banned', start + MINUTE_MS, { id: 'rs-ban-1' });
      await wecom.wechatStatus('rs-wechat', 'unbanned', unbannedAt, { id: 'rs-unban-1' });
    };
    await callbacks(before);
    await before.drain();
    const memberBefore = await before.member('rs-member');
    const wechatBefore = await before.member('rs-wechat');
    const timersBefore = await before.timers();
    // ... and a callback accepted just before the stop, not drained
    await before.sendText('rs-late', 'share to moments to win a prize', lateAt, { msgId: 'rs-msg-late' });

    // Act: SIGTERM, a new process on the same DATA_DIR, the clock set again
    const exitCode = await first.process.stop('SIGTERM');
    running.splice(running.indexOf(first), 1);
    const second = await startE2e(CORP, { dataDir: first.dataDir, policyFile: FAITHFUL_POLICY_FILE });
    running.push(second);
    const wecom = second.client;
    await wecom.setClock(lateAt);
    await wecom.drain();
    const memberAfter = await wecom.member('rs-member');
    const wechatAfter = await wecom.member('rs-wechat');
    const late = await wecom.member('rs-late');
    const timersAfter = await wecom.timers();
    const eventsBeforeRedelivery = (await wecom.events()).length;
    // WeCom delivers the first half's callbacks again
    await callbacks(wecom);
    await wecom.sendText('rs-late', 'share to moments to win a prize', lateAt, { msgId: 'rs-msg-late' });
    await wecom.drain();
    const redelivered = await Promise.all(['rs-member', 'rs-wechat', 'rs-late'].map((u) => wecom.member(u)));
    const appliedAgain = (await wecom.events())
      .slice(eventsBeforeRedelivery)
      .filter((e) => e.detailType === 'penalty.applied');
    // The second half: a day goes by
    await wecom.advanceClock(DAY_MS);
    const finished = await Promise.all(['rs-member', 'rs-wechat', 'rs-late'].map((u) => wecom.member(u)));
    const lifted = (await wecom.events()).filter((e) => e.detailType === 'penalty.lifted');

    // Assess
    expect(exitCode).toBe(0);
    expect(memberBefore).toMatchObject({
      interop: { status: 'suspended', until: iso(sentAt + DAY_MS) },
      strikes: 1,
    });
    expect(wechatBefore).toMatchObject({
      interop: { status: 'suspended', reason: { rule: 'R2' } },
      linkedWeChat: { status: 'normal', restoreAt: iso(unbannedAt + DAY_MS) },
    });
    const stateOf = (m: MemberJson) => ({
      interop: m.interop,
      strikes: m.strikes,
      linkedWeChat: m.linkedWeChat,
    });
    expect(stateOf(memberAfter)).toEqual(stateOf(memberBefore));
    expect(stateOf(wechatAfter)).toEqual(stateOf(wechatBefore));
    expect(late).toMatchObject({ interop: { status: 'suspended', until: iso(lateAt + DAY_MS) }, strikes: 1 });
    expect(timersAfter).toEqual(expect.arrayContaining(timersBefore));
    expect(timersAfter).toContainEqual({ name: expect.stringMatching(/^r\./), at: iso(unbannedAt + DAY_MS) });
    expect(redelivered.map(stateOf)).toEqual([stateOf(memberAfter), stateOf(wechatAfter), stateOf(late)]);
    expect(appliedAgain).toEqual([]);
    expect(await wecom.violations('rs-member')).toHaveLength(1);
    for (const member of finished) {
      expect(member.interop).toMatchObject({ status: 'active', reason: null });
    }
    expect(finished.map((m) => m.strikes)).toEqual([1, 0, 1]);
    expect(lifted.map((e) => [e.detail.userId, e.detail.cause?.kind]).sort()).toEqual([
      ['rs-late', 'schedule'],
      ['rs-member', 'schedule'],
      ['rs-wechat', 'schedule'],
    ]);
  });
});
