import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { decodeMemberState } from '../../../../shared/adapters/member-state-codec.js';
import { storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { RECENT_INPUTS } from '../../../../shared/domain/index.js';
import { parsePolicySet } from '../../../../shared/domain/policy.js';
import type { PenaltyStore } from '../../../../shared/domain/ports.js';
import type { MemberState } from '../../../../shared/domain/types.js';
import { memberView } from '../../../../shared/domain/views.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, DAY, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

const table = usePenaltyTable();
const db = table;
const TABLE = table.tableName;
const capacity: { operation: string; units: number }[] = [];
let store: DynamoDbPenaltyStore;

beforeAll(() => {
  store = new DynamoDbPenaltyStore({
    client: table.client,
    tableName: TABLE,
    onCapacity: (operation, units) => capacity.push({ operation, units }),
  });
});

function deps(effects: RecordingSideEffects, over: PenaltyStore = store) {
  return { store: over, effects, policies: FAITHFUL, classifier: testClassifier, maxAttempts: 40 };
}

async function storedMember(userId: string): Promise<MemberState> {
  const item = await db.client.send(
    new GetItemCommand({
      TableName: TABLE,
      Key: key(storeKeys.member(CORP_ID, userId)),
      ConsistentRead: true,
    }),
  );
  return decodeMemberState(item.Item?.state) as MemberState;
}

function key(k: { pk: string; sk: string }) {
  return { pk: { S: k.pk }, sk: { S: k.sk } };
}

const inducing = (userId: string, at = T0) =>
  aMessage({ userId, at, text: `please ${TERMS['inducing-sharing']}` });

describe('evaluateInput against DynamoDB Local', () => {
  it('applies a violation with one read and one transaction, then carries out its schedule and clears it', async () => {
    // Prepare
    const effects = new RecordingSideEffects();
    capacity.length = 0;

    // Act
    const evaluation = await evaluateInput(inducing('steady'), deps(effects));

    // Assess
    expect(evaluation.status).toBe('applied');
    expect(capacity.map((c) => c.operation)).toEqual(['load', 'commit', 'effects']);
    const member = await storedMember('steady');
    expect(memberView(member, T0 + 1)).toMatchObject({ interop: { status: 'suspended' }, strikes: 1 });
    expect([...effects.schedules.values()]).toEqual([T0 + DAY]);
  });

  it('costs one read and one single-item write on the steady path (an input that decides nothing keeps no marker)', async () => {
    // Prepare: a member who already has state, and an ordinary message
    const effects = new RecordingSideEffects();
    await evaluateInput(aMessage({ userId: 'ordinary', text: 'see you tomorrow' }), deps(effects));
    capacity.length = 0;
    const input = aMessage({ userId: 'ordinary', text: 'the invoice is attached', at: T0 + 60_000 });

    // Act
    await evaluateInput(input, deps(effects));
    const again = await evaluateInput(input, deps(effects));

    // Assess: requests, and the capacity DynamoDB reported for them: the member's item alone, outside
    // a transaction (1 write unit, where a transaction of it and a marker cost 4); the member
    // remembers the input, so its redelivery is a duplicate that writes nothing
    expect(capacity.map((c) => c.operation)).toEqual(['load', 'commit', 'load', 'effects']);
    expect(capacity[0]?.units).toBeLessThanOrEqual(2);
    expect(capacity[1]?.units).toBe(1);
    expect(again.status).toBe('duplicate');
    expect(effects.calls).toBe(0);
    const marker = await db.client.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: key(storeKeys.input(CORP_ID, input.id)),
        ConsistentRead: true,
      }),
    );
    expect(marker.Item).toBeUndefined();
    expect((await storedMember('ordinary')).version).toBe(2);
  });

  it('never decides a penalty’s input again when it comes back after more inputs of its member than the member remembers', async () => {
    // Prepare: a violation, then more ordinary messages than the member remembers
    const effects = new RecordingSideEffects();
    const violation = inducing('late');
    await evaluateInput(violation, deps(effects));
    for (let i = 1; i <= RECENT_INPUTS + 4; i++)
      await evaluateInput(
        aMessage({ userId: 'late', text: `note ${i}`, at: T0 + i * 60_000 }),
        deps(effects),
      );
    const before = await storedMember('late');

    // Act: the violation delivered again (a replay, a redrive from the dead-letter queue)
    const again = await evaluateInput(violation, deps(effects));

    // Assess: no decision a second time (one that decided anything would meet its marker's
    // condition): one strike, one violation, the same penalties, one schedule
    expect(again.decisions).toEqual([]);
    const after = await storedMember('late');
    expect(after.strikes).toBe(1);
    expect(after.violations).toEqual(before.violations);
    expect(after.penalties).toEqual(before.penalties);
    expect(effects.schedules.size).toBe(1);
  });

  it('takes a redelivered input as a duplicate and changes nothing', async () => {
    // Prepare
    const effects = new RecordingSideEffects();
    const input = inducing('redelivered');
    await evaluateInput(input, deps(effects));
    const before = await storedMember('redelivered');

    // Act
    const again = await evaluateInput(input, deps(effects));

    // Assess
    expect(again.status).toBe('duplicate');
    expect(await storedMember('redelivered')).toEqual(before);
    expect(before.strikes).toBe(1);
  });

  it('finishes the side effects a crash left pending when the input is redelivered', async () => {
    // Prepare: the state commits, then the process dies before the schedule is created
    const effects = new RecordingSideEffects();
    effects.failNext();
    const input = inducing('crashed');
    await expect(evaluateInput(input, deps(effects))).rejects.toThrow(/simulated crash/);
    expect(effects.schedules.size).toBe(0);
    expect((await storedMember('crashed')).strikes).toBe(1);

    // Act: SQS delivers it again
    const redelivery = await evaluateInput(input, deps(effects));

    // Assess: the strike is not doubled, the schedule exists once, nothing stays pending
    expect(redelivery.status).toBe('duplicate');
    expect((await storedMember('crashed')).strikes).toBe(1);
    expect(effects.schedules.size).toBe(1);
    expect(await store.pendingEffects(CORP_ID, input.id)).toBeNull();
  });

  it('keeps every strike when eight evaluators work on one member at once', async () => {
    // Prepare: eight violations of one member, an hour apart, delivered concurrently
    const effects = new RecordingSideEffects();
    const inputs = Array.from({ length: 8 }, (_, i) => inducing('contended', T0 + i * 3_600_000));

    // Act
    const evaluations = await Promise.all(inputs.map((input) => evaluateInput(input, deps(effects))));

    // Assess: none lost, none doubled
    expect(evaluations.every((e) => e.status === 'applied')).toBe(true);
    const member = await storedMember('contended');
    expect(member.strikes).toBe(8);
    expect(member.version).toBe(8);
  });
});
