import { describe, expect, it } from 'vitest';
import { DAY_MS, iso, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

const { client: wecom } = useLocalPipeline('wwe2eeventtime0001', { policyFile: FAITHFUL_POLICY_FILE });

describe('event times out of range, under policies/wecom-faithful.json', () => {
  it('refuses a record whose msgtime is in microseconds (year 58 000) and leaves the member untouched', async () => {
    // Prepare
    const start = scenarioStart(0);
    await wecom.setClock(start);
    const microseconds = (start + MINUTE_MS) * 1000;

    // Act
    const answer = await wecom.post(
      'message',
      JSON.stringify(wecom.textRecord('et-member', '亲，帮忙转发朋友圈', microseconds)),
    );
    const sentAt = start + 2 * MINUTE_MS;
    await wecom.sendText('et-member', 'share to moments to win a prize', sentAt);
    await wecom.drain();
    const member = await wecom.member('et-member');
    const listing = await wecom.queue();

    // Assess: a malformed record is a 400 (CONTRACT §3), and nothing of it is evaluated
    expect(answer.status).toBe(400);
    expect(member).toMatchObject({
      interop: { status: 'suspended', until: iso(sentAt + DAY_MS), canApplyForUnblock: true },
      strikes: 1,
    });
    expect(listing.deadLetterQueue).toEqual([]);
  });
});
