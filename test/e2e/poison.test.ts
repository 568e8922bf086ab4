import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, iso, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { findLocalQueue, type LocalQueueEndpoint } from '../helpers/e2e-queue.js';
import { FAITHFUL_POLICY_FILE, useLocalPipeline } from '../helpers/e2e-setup.js';

/**
 * A poisoned message: one that reached the queue and can never be evaluated. Ingest refuses bad
 * callbacks (400), so it is put on the queue with the SQS API, in the member's own FIFO group.
 */

const { client: wecom } = useLocalPipeline('wwe2epoison0000001', { policyFile: FAITHFUL_POLICY_FILE });
let sqs: LocalQueueEndpoint;

beforeAll(async () => {
  sqs = await findLocalQueue(wecom.url);
});

// Registered after the pipeline's, so it runs before the process stops (hooks run as a stack).
afterAll(() => {
  sqs?.client.destroy();
});

describe('a poisoned message through the queue, under policies/wecom-faithful.json', () => {
  it('refuses a malformed callback at the door: 400, nothing queued', async () => {
    // Act
    const answer = await wecom.post('message', '{"msgid": "m1", "action": "send"');
    const listing = await wecom.queue();

    // Assess
    expect(answer.status).toBe(400);
    expect(listing.queue).toEqual([]);
  });

  it('ends in the dead-letter queue with its reason, without holding up the member’s next messages', async () => {
    // Prepare: two messages that are not inputs, first in the member's group
    const start = scenarioStart(0);
    const group = `${wecom.corpId}:poisoned-member`;
    await wecom.setClock(start);
    const poison = ['{"type": "contact.added", "corpId": "truncated', '{"type": "message.sent", "v": 1}'];
    for (const [n, body] of poison.entries()) {
      await sqs.client.send(
        new SendMessageCommand({
          QueueUrl: sqs.queueUrl,
          MessageBody: body,
          MessageGroupId: group,
          MessageDeduplicationId: `poison-${n}`,
        }),
      );
    }

    // Act: the member's next message, through HTTP
    const sentAt = start + MINUTE_MS;
    await wecom.sendText('poisoned-member', '亲，帮忙转发朋友圈', sentAt);
    await wecom.drain();
    const member = await wecom.member('poisoned-member');
    const listing = await wecom.queue();
    // An operator reads the dead letters one by one (one FIFO group), and deletes each once read
    const reasons: (string | undefined)[] = [];
    for (let n = 0; n < poison.length; n++) {
      const { Messages: [dead] = [] } = await sqs.client.send(
        new ReceiveMessageCommand({
          QueueUrl: sqs.dlqUrl,
          MessageAttributeNames: ['All'],
          VisibilityTimeout: 30,
        }),
      );
      reasons.push(dead?.MessageAttributes?.reason?.StringValue);
      await sqs.client.send(
        new DeleteMessageCommand({ QueueUrl: sqs.dlqUrl, ReceiptHandle: dead?.ReceiptHandle }),
      );
    }

    // Assess
    expect(member).toMatchObject({
      interop: { status: 'suspended', until: iso(sentAt + DAY_MS), reason: { category: 'inducing-sharing' } },
      strikes: 1,
    });
    expect(listing.queue).toEqual([]);
    expect(listing.deadLetterQueue.map((m) => [m.body, m.groupId])).toEqual(
      poison.map((body) => [body, group]),
    );
    expect(reasons).toEqual([
      'message body is not JSON',
      expect.stringMatching(/^message is not a valid domain event/),
    ]);
  });
});
