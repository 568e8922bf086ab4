import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../../../local/local-queue.js';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { storeKeys, toKey } from '../../../../shared/adapters/penalty-table.js';
import { RECENT_INPUTS } from '../../../../shared/domain/index.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import type { CorpState, EngineInput } from '../../../../shared/domain/types.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { NEUTRAL_TEXT, testClassifier } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aContactAdded,
  aCustomerDeletion,
  aMessage,
  anExternalUserId,
  MINUTE,
  SECOND,
  T0,
} from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { runFifoEvaluators } from '../../../helpers/fifo-evaluators.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';
import { applyTransactionConflicts } from '../../../helpers/transaction-conflicts.js';

const table = usePenaltyTable();

/**
 * A busy corp's stream: each member adds contacts (one of whom complains and one deletes them) and
 * sends a message, `rounds` times, each member's inputs in order.
 */
function busyCorp(corpId: string, members: number, rounds: number): EngineInput[] {
  const inputs: EngineInput[] = [];
  for (let m = 0; m < members; m++) {
    const userId = `busy-${String(m).padStart(3, '0')}`;
    for (let r = 0; r < rounds; r++) {
      const at = T0 + r * MINUTE + m * SECOND;
      const contact = anExternalUserId();
      inputs.push(aContactAdded({ corpId, userId, at, externalUserId: contact }));
      inputs.push(aContactAdded({ corpId, userId, at: at + 100 }));
      if (r % 2 === 0) inputs.push(aComplaint({ corpId, userId, at: at + 200, externalUserId: contact }));
      else inputs.push(aCustomerDeletion({ corpId, userId, at: at + 200, externalUserId: contact }));
      inputs.push(aMessage({ corpId, userId, at: at + 300, text: NEUTRAL_TEXT }));
    }
  }
  return inputs;
}

/** Each member's latest `n` inputs, in stream order. */
function latestOfEachMember(inputs: readonly EngineInput[], n: number): EngineInput[] {
  const seen = new Map<string, number>();
  const latest: EngineInput[] = [];
  for (const input of [...inputs].reverse()) {
    const userId = 'userId' in input ? String(input.userId) : '';
    const count = seen.get(userId) ?? 0;
    if (count >= n) continue;
    seen.set(userId, count + 1);
    latest.push(input);
  }
  return latest.reverse();
}

/** The same inputs for another corp (markers and states are per corp: the ids stay). */
function forCorp(inputs: readonly EngineInput[], corpId: string): EngineInput[] {
  return inputs.map((input) => ({ ...input, corpId }));
}

/** The corp's counters, as the trust factors and the concentration advice read them. */
function counters(corp: CorpState) {
  const { daily, negativeFeedback, violations, addsToday } = corp;
  return {
    daily,
    negativeFeedback,
    violations,
    addsToday: {
      day: addsToday.day,
      total: addsToday.total,
      topCount: addsToday.topCount,
      members: addsToday.members,
    },
  };
}

/** A client of the same DynamoDB Local that applies DynamoDB's transaction-conflict rule. */
function conflictingClient() {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoDbEndpoint'), maxAttempts: 3 });
  return { client, counts: applyTransactionConflicts(client) };
}

describe('one corp under 50 concurrent evaluators, with DynamoDB’s transaction conflicts', () => {
  it(
    'applies every input once, counts every one, and no evaluator gives up (counter slots)',
    { timeout: 120_000 },
    async () => {
      // Prepare: 1,000 inputs of 50 members of one corp; the same stream, one input at a time, on another corp
      const { client, counts } = conflictingClient();
      const stream = busyCorp('wwc0ffee0contended', 50, 5);
      const sequential = forCorp(stream, 'wwc0ffee0sequential');
      const reference = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
      const deps = {
        store: reference,
        effects: new RecordingSideEffects(),
        policies: DEFAULT_POLICY_SET,
        classifier: testClassifier,
      };
      for (const input of sequential) await evaluateInput(input, deps);
      const stores = Array.from(
        { length: 50 },
        () => new DynamoDbPenaltyStore({ client, tableName: table.tableName }),
      );

      // Act: 50 evaluators, each with its own store, take batches of 10 off the FIFO stream; then
      // each member's latest inputs are delivered again (all SQS can redeliver: a member's message
      // group hands out nothing later until its in-flight message is deleted)
      const options = {
        inputs: stream,
        evaluators: 50,
        storeFor: (e: number) => stores[e] as DynamoDbPenaltyStore,
        classifier: testClassifier,
      };
      const run = await runFifoEvaluators(options, counts);
      const redelivered = latestOfEachMember(stream, RECENT_INPUTS);
      const again = await runFifoEvaluators({ ...options, inputs: redelivered }, counts);

      // Assess: every input applied once and found applied the second time; no failure, none dead-lettered;
      // the corp's counters are those of the one-at-a-time run; the corp spread over slots
      expect(run).toMatchObject({ applied: stream.length, duplicates: 0, deadLettered: 0 });
      expect([...run.failures]).toEqual([]);
      expect(redelivered).toHaveLength(50 * RECENT_INPUTS);
      expect(again).toMatchObject({ applied: 0, duplicates: redelivered.length, deadLettered: 0 });
      expect(run.transactionConflicts).toBeGreaterThan(0);
      const contended = (await reference.load('wwc0ffee0contended', null)).corp;
      const expected = (await reference.load('wwc0ffee0sequential', null)).corp;
      expect(counters(contended)).toEqual(counters(expected));
      expect(contended.addsToday.total).toBe(500);
      const slots = await table.client.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: toKey(storeKeys.corpSlots('wwc0ffee0contended')),
        }),
      );
      expect(Number(slots.Item?.shards?.N)).toBeGreaterThan(1);
      client.destroy();
    },
  );

  it(
    'has most transactions cancelled and evaluators giving up on inputs when all write one counter item (one slot, as before slots)',
    { timeout: 120_000 },
    async () => {
      // Prepare: every count on one item, as before counter slots
      const { client, counts } = conflictingClient();
      const stream = busyCorp('wwc0ffee00oneslot', 50, 2);
      const stores = Array.from(
        { length: 50 },
        () => new DynamoDbPenaltyStore({ client, tableName: table.tableName, maxCounterShards: 1 }),
      );

      // Act
      const run = await runFifoEvaluators(
        {
          inputs: stream,
          evaluators: 50,
          storeFor: (e) => stores[e] as DynamoDbPenaltyStore,
          classifier: testClassifier,
        },
        counts,
      );

      // Assess: the conflict storm the slots end: most transactions cancelled, inputs given up on
      // (ConcurrentUpdateError) and received again; none applied twice
      expect(run.transactionConflicts).toBeGreaterThan(run.transactions / 2);
      expect(run.failures.get('ConcurrentUpdateError') ?? 0).toBeGreaterThan(0);
      expect(run.applied + run.deadLettered).toBe(stream.length);
      expect(run.duplicates).toBe(0);
      client.destroy();
    },
  );
});
