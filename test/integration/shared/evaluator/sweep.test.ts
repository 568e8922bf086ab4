import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { type LocalQueue, startLocalQueue } from '../../../../local/local-queue.js';
import { acknowledge, receiveBatch } from '../../../../local/sqs-event-source.js';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { SqsCommandQueue } from '../../../../shared/adapters/sqs-command-queue.js';
import { DEFAULT_POLICY_SET, type PolicySet, parsePolicySet } from '../../../../shared/domain/policy.js';
import { reviewDeadlineName, unbanScheduleName } from '../../../../shared/domain/timers.js';
import { memberView } from '../../../../shared/domain/views.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { createQueueConsumerHandler } from '../../../../shared/evaluator/queue-consumer.js';
import { sweep } from '../../../../shared/evaluator/sweep.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, aWechatStatus, CORP_ID, DAY, HOUR, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { type TestTable, usePenaltyTable } from '../../../helpers/dynamodb.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

let queue: LocalQueue;

beforeAll(async () => {
  queue = await startLocalQueue();
});

afterAll(async () => {
  await queue?.stop();
});

beforeEach(async () => {
  await queue.client.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
});

/** The engine on a table: a store, side effects that record (so a schedule is "lost": it never fires). */
function engine(table: TestTable, policies: PolicySet = FAITHFUL) {
  const store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
  const effects = new RecordingSideEffects();
  const evaluator = { store, effects, policies, classifier: testClassifier };
  const commands = new SqsCommandQueue({ client: queue.client, queueUrl: queue.queueUrl });
  const runSweep = (now: number) => sweep({ index: store, store, effects, commands, now: () => now });
  /** Evaluates what the sweep queued, as the evaluator Lambda would. */
  const consumeQueue = async () => {
    const handler = createQueueConsumerHandler(
      { evaluator, quarantine: async () => undefined },
      silentLogger(),
      silentMetrics(),
    );
    let evaluated = 0;
    for (;;) {
      const batch = await receiveBatch(queue.client, queue.queueUrl);
      if (batch.records.length === 0) return evaluated;
      const response = await handler({ Records: batch.records }, localLambdaContext('penalty-evaluator'));
      await acknowledge(queue.client, queue.queueUrl, batch, response);
      evaluated += batch.records.length;
    }
  };
  return { store, effects, evaluator, runSweep, consumeQueue };
}

describe('the sweep, for timers whose schedule was lost', () => {
  const table = usePenaltyTable();

  it('queues a lost unban timer once it is late, and the evaluator then lifts the suspension', async () => {
    // Prepare: a first-step suspension whose schedule never fires
    const { store, evaluator, runSweep, consumeQueue } = engine(table);
    const violation = aMessage({ userId: 'lost-unban', text: `please ${TERMS['inducing-sharing']}` });
    await evaluateInput(violation, evaluator);

    // Act
    const early = await runSweep(T0 + DAY + MINUTE);
    const late = await runSweep(T0 + DAY + 10 * MINUTE);
    const evaluated = await consumeQueue();
    const afterwards = await runSweep(T0 + DAY + 20 * MINUTE);

    // Assess: not while Scheduler may still fire it, then once; the member is active again
    expect(early.timersQueued).toBe(0);
    expect(late).toMatchObject({ dueMembers: 1, timersQueued: 1 });
    expect(evaluated).toBe(1);
    const { member } = await store.load(CORP_ID, 'lost-unban');
    expect(member && memberView(member, T0 + DAY + 20 * MINUTE)).toMatchObject({
      interop: { status: 'active' },
      strikes: 1,
    });
    expect(afterwards).toMatchObject({ dueMembers: 0, timersQueued: 0 });
  });

  it('queues a lost 24-hour restore after a linked WeChat unban', async () => {
    // Prepare
    const { store, evaluator, runSweep, consumeQueue } = engine(table);
    const ban = aWechatStatus('banned', { userId: 'lost-restore', at: T0 });
    await evaluateInput(ban, evaluator);
    await evaluateInput(aWechatStatus('unbanned', { userId: 'lost-restore', at: T0 + HOUR }), evaluator);

    // Act
    const report = await runSweep(T0 + HOUR + DAY + 5 * MINUTE);
    await consumeQueue();

    // Assess
    expect(report.timersQueued).toBe(1);
    const { member } = await store.load(CORP_ID, 'lost-restore');
    expect(member && memberView(member, T0 + HOUR + DAY + 5 * MINUTE)).toMatchObject({
      interop: { status: 'active' },
      linkedWeChat: { status: 'normal', restoreAt: null },
    });
  });

  it('queues a lost review deadline once it is late: the case goes overdue, the provisional measure stays', async () => {
    // Prepare: the default policy holds the detection in a case; its deadline's schedule never fires
    const { store, effects, evaluator, runSweep, consumeQueue } = engine(table, DEFAULT_POLICY_SET);
    const violation = aMessage({ userId: 'lost-deadline', text: `please ${TERMS['inducing-sharing']}` });
    await evaluateInput(violation, evaluator);
    const { member: opened } = await store.load(CORP_ID, 'lost-deadline');
    const caseId = opened?.cases?.[0]?.id ?? '';
    const reviewBy = T0 + 3 * DAY;

    // Act
    const early = await runSweep(reviewBy - HOUR);
    const late = await runSweep(reviewBy + 10 * MINUTE);
    const evaluated = await consumeQueue();
    const afterwards = await runSweep(reviewBy + 20 * MINUTE);

    // Assess
    expect([...effects.schedules.keys()]).toContain(
      reviewDeadlineName({ corpId: CORP_ID, userId: 'lost-deadline' }, caseId),
    );
    expect(early.timersQueued).toBe(0);
    expect(late).toMatchObject({ dueMembers: 1, timersQueued: 1 });
    expect(evaluated).toBe(1);
    expect(await store.case(caseId)).toMatchObject({ status: 'expired', decision: null });
    const { member } = await store.load(CORP_ID, 'lost-deadline');
    expect(member && memberView(member, reviewBy + 20 * MINUTE)).toMatchObject({
      interop: { status: 'suspended', reason: { provisional: true, caseId } },
      openCases: [{ id: caseId, status: 'expired' }],
    });
    expect(afterwards).toMatchObject({ dueMembers: 0, timersQueued: 0 });
  });

  it('queues timers with the ids of the schedules, so one Scheduler did fire is a duplicate', async () => {
    // Prepare
    const { evaluator, effects, runSweep } = engine(table);
    const violation = aMessage({ userId: 'fired-twice', text: `please ${TERMS['inducing-sharing']}` });
    await evaluateInput(violation, evaluator);

    // Act
    await runSweep(T0 + DAY + 10 * MINUTE);
    const queued = await receiveBatch(queue.client, queue.queueUrl);

    // Assess
    const body = JSON.parse(queued.records[0]?.body ?? '{}') as { id: string };
    expect(body.id).toBe(unbanScheduleName({ corpId: CORP_ID, userId: 'fired-twice' }, violation.id));
    expect([...effects.schedules.keys()]).toContain(body.id);
  });
});

describe('the sweep, for side effects a crash left pending', () => {
  const table = usePenaltyTable();

  it('carries out and clears side effects still pending after the grace period', async () => {
    // Prepare: the side effects fail after the commit, and nothing redelivers the input
    const { store, effects, evaluator, runSweep } = engine(table);
    const violation = aMessage({ userId: 'stuck-effects', text: `please ${TERMS['inducing-sharing']}` });
    effects.failNext(1);
    await expect(evaluateInput(violation, evaluator)).rejects.toThrow(/simulated crash/);

    // Act
    const soon = await runSweep(Date.now());
    const later = await runSweep(Date.now() + 10 * MINUTE);

    // Assess
    expect(soon.effectsFinished).toBe(0);
    expect(later).toMatchObject({ effectsFinished: 1, effectsFailed: 0 });
    expect([...effects.schedules.values()]).toEqual([T0 + DAY]);
    expect(await store.pendingEffects(CORP_ID, violation.id)).toBeNull();
  });

  it('leaves side effects that fail again for the next sweep', async () => {
    // Prepare
    const { store, effects, evaluator, runSweep } = engine(table);
    const violation = aMessage({ userId: 'still-down', text: `please ${TERMS['inducing-sharing']}` });
    effects.failNext(1);
    await expect(evaluateInput(violation, evaluator)).rejects.toThrow();
    effects.failNext(1);

    // Act
    const report = await runSweep(Date.now() + 10 * MINUTE);

    // Assess
    expect(report).toMatchObject({ effectsFinished: 0, effectsFailed: 1 });
    expect(await store.pendingEffects(CORP_ID, violation.id)).not.toBeNull();
  });
});
