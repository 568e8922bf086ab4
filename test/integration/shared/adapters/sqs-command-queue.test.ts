import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_AWS,
  type LocalQueue,
  type QueuedMessage,
  startLocalQueue,
} from '../../../../local/local-queue.js';
import { SqsCommandQueue } from '../../../../shared/adapters/sqs-command-queue.js';
import { messageGroupIdFor } from '../../../../shared/adapters/sqs-event-queue.js';
import { restoreTimer, type TimerCommand, unbanTimer } from '../../../../shared/domain/timers.js';
import { CORP_ID, DAY, nextId, T0 } from '../../../helpers/domain-inputs.js';
import { type FaultProxy, startFaultProxy } from '../../../helpers/fault-proxy.js';

let queue: LocalQueue;
let commands: SqsCommandQueue;
/** A proxy in front of the queue, to count the requests that reach it. */
let proxy: FaultProxy;
let proxiedClient: SQSClient;

beforeAll(async () => {
  queue = await startLocalQueue();
  commands = new SqsCommandQueue({ client: queue.client, queueUrl: queue.queueUrl });
  proxy = await startFaultProxy(queue.endpoint);
  proxiedClient = new SQSClient({ ...LOCAL_AWS, endpoint: proxy.endpoint });
});

afterAll(async () => {
  proxiedClient.destroy();
  await proxy.close();
  await queue.stop();
});

/** The queued messages whose body is the command with this id. */
async function queuedWithId(id: string): Promise<QueuedMessage[]> {
  return (await queue.list()).filter((message) => (JSON.parse(message.body) as { id: string }).id === id);
}

/** An unban timer of a member of its own, so no test sees another's messages in its group. */
function aTimerOf(userId: string, at = T0 + DAY): TimerCommand {
  return unbanTimer({ corpId: CORP_ID, userId }, nextId(), at);
}

describe('SqsCommandQueue against the local FIFO event queue', () => {
  it("queues a timer in its member's group, where it is received as the same command", async () => {
    // Prepare
    const timer = aTimerOf('timer-member-1');

    // Act
    await commands.send([timer]);

    // Assess
    const received = await queue.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId', 'MessageDeduplicationId'],
        WaitTimeSeconds: 1,
      }),
    );
    const message = received.Messages?.find(
      (m) => (JSON.parse(m.Body ?? '{}') as TimerCommand).id === timer.id,
    );
    expect(message?.Attributes?.MessageGroupId).toBe(`${CORP_ID}:timer-member-1`);
    expect(message?.Attributes?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(message?.Body ?? '{}')).toEqual(timer);
  });

  it('queues a timer sent twice (a redelivery) once', async () => {
    // Prepare
    const timer = aTimerOf('timer-member-2');

    // Act
    await commands.send([timer]);
    await commands.send([timer, timer]);

    // Assess
    expect(await queuedWithId(timer.id)).toHaveLength(1);
  });

  it('queues a timer whose id is too long for a deduplication id, of a member whose id is not a valid group id', async () => {
    // Prepare
    const userId = '张三 (sales)';
    const timer = restoreTimer({ corpId: CORP_ID, userId }, `r2:${'9'.repeat(240)}`, T0 + DAY);

    // Act
    await commands.send([timer]);
    await commands.send([timer]);

    // Assess
    const queued = await queuedWithId(timer.id);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.groupId).toBe(messageGroupIdFor({ corpId: CORP_ID, userId }));
    expect(JSON.parse(queued[0]?.body ?? '{}')).toEqual(timer);
  });

  it('queues 25 timers, more than one batch holds, each once', async () => {
    // Prepare
    const timers = Array.from({ length: 25 }, (_, i) => aTimerOf(`batch-member-${i % 4}`, T0 + i));

    // Act
    await commands.send(timers);

    // Assess
    const ids = new Set(timers.map((timer) => timer.id));
    const queued = (await queue.list()).filter((message) =>
      ids.has((JSON.parse(message.body) as { id: string }).id),
    );
    expect(queued).toHaveLength(25);
    expect(new Set(queued.map((message) => message.groupId))).toEqual(
      new Set([0, 1, 2, 3].map((i) => `${CORP_ID}:batch-member-${i}`)),
    );
  });

  it('fails naming how many timers SQS refused, after queuing the others, and does not resend a body SQS can never take', async () => {
    // Prepare: a queue that takes at most 1 KiB a message, so a longer command is a sender fault
    // (every character is escaped into ASCII now, so characters no longer make one).
    const small = await queue.client.send(
      new CreateQueueCommand({
        QueueName: `small-${nextId()}.fifo`,
        Attributes: { FifoQueue: 'true', MaximumMessageSize: '1024' },
      }),
    );
    const requestsBefore = proxy.count();
    const good = aTimerOf('refusal-member');
    const refused = aTimerOf(`refusal-${'m'.repeat(1_500)}`);

    // Act
    const sent = new SqsCommandQueue({
      client: proxiedClient,
      queueUrl: small.QueueUrl ?? '',
      baseDelayMs: 1,
    }).send([good, refused]);

    // Assess
    await expect(sent).rejects.toThrow(
      'SQS refused 1 of 2 timer commands (first error: InvalidParameterValue)',
    );
    expect(proxy.count() - requestsBefore).toBe(1);
    const received = await queue.client.send(
      new ReceiveMessageCommand({ QueueUrl: small.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(
      (received.Messages ?? []).map((message) => (JSON.parse(message.Body ?? '{}') as TimerCommand).id),
    ).toEqual([good.id]);
  });
});
