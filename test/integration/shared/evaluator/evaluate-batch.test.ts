import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_AWS } from '../../../../local/local-queue.js';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { decodeMemberState } from '../../../../shared/adapters/member-state-codec.js';
import { storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { DEFAULT_POLICY_SET, parsePolicySet } from '../../../../shared/domain/policy.js';
import type {
  BatchPenaltyStore,
  PendingEffects,
  SideEffects,
  StateKey,
} from '../../../../shared/domain/ports.js';
import type { CorpState, EngineInput, MemberState } from '../../../../shared/domain/types.js';
import { dayOf } from '../../../../shared/domain/zone-rule.js';
import { evaluateBatch } from '../../../../shared/evaluator/evaluate-batch.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { NEUTRAL_TEXT, TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aContactAdded,
  aCorpProfile,
  aCustomerDeletion,
  aMessage,
  anExternalUserId,
  aReport,
  DAY,
  HOUR,
  MINUTE,
  T0,
} from '../../../helpers/domain-inputs.js';
import { type TestTable, usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** The rules as WeCom publishes them, every category acting at once (human review is tested on its own). */
const FAITHFUL = parsePolicySet(faithfulPolicy);

/** Where the batches go, and a second table where the same inputs are evaluated one by one. */
const batchTable = usePenaltyTable();
const oneByOneTable = usePenaltyTable();

/** A client of its own on the batch table that counts every request by command, failed ones too. */
let counted: DynamoDBClient;
const requests: string[] = [];
let store: DynamoDbPenaltyStore;
let reference: DynamoDbPenaltyStore;

beforeAll(() => {
  counted = new DynamoDBClient({ ...LOCAL_AWS, endpoint: inject('dynamoDbEndpoint'), maxAttempts: 1 });
  counted.middlewareStack.add(
    (next, context) => (args) => {
      requests.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  store = new DynamoDbPenaltyStore({ client: counted, tableName: batchTable.tableName });
  reference = new DynamoDbPenaltyStore({ client: oneByOneTable.client, tableName: oneByOneTable.tableName });
});

afterAll(() => counted?.destroy());

function deps(effects: SideEffects, over: BatchPenaltyStore = store) {
  return { store: over, effects, policies: FAITHFUL, classifier: testClassifier, maxAttempts: 40 };
}

const inducing = (corpId: string, userId: string, at = T0) =>
  aMessage({ corpId, userId, at, text: `please ${TERMS['inducing-sharing']}` });

async function storedMember(table: TestTable, corpId: string, userId: string): Promise<MemberState | null> {
  const item = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: {
        pk: { S: storeKeys.member(corpId, userId).pk },
        sk: { S: 'STATE' },
      },
      ConsistentRead: true,
    }),
  );
  return decodeMemberState(item.Item?.state);
}

/** The corp's state without its version, which counts transactions, not changes. */
const withoutVersion = ({ version: _v, ...rest }: CorpState) => rest;

/** Everything the inputs left in a table: member states, violation records, the corp. */
async function stateOf(
  table: TestTable,
  from: DynamoDbPenaltyStore,
  corpId: string,
  userIds: readonly string[],
) {
  const members: Record<string, unknown> = {};
  const violations: Record<string, unknown> = {};
  for (const userId of userIds) {
    members[userId] = await storedMember(table, corpId, userId);
    violations[userId] = await from.violations(corpId, userId, { limit: 200, cursor: null });
  }
  const { corp } = await from.load(corpId, null);
  return { members, violations, corp: withoutVersion(corp) };
}

function effectsOf(effects: RecordingSideEffects) {
  return {
    schedules: Object.fromEntries(effects.schedules),
    cancelled: [...effects.cancelled].sort(),
    events: Object.fromEntries(effects.events),
  };
}

/** The users an input list is about, in order of first appearance. */
function usersOf(inputs: readonly EngineInput[]): string[] {
  return [...new Set(inputs.flatMap((input) => ('userId' in input && input.userId ? [input.userId] : [])))];
}

describe('evaluateBatch against DynamoDB Local', () => {
  it('commits ten members of one busy corp with one read, one transaction and one single write, and clears the outbox with an update', async () => {
    // Prepare: eight members adding contacts, one violating, one writing; one corp
    const corpId = 'wwba7c4000000000busy';
    const inputs: EngineInput[] = [
      ...Array.from({ length: 8 }, (_, m) =>
        aContactAdded({ corpId, userId: `adder-${m}`, at: T0 + m * 1000 }),
      ),
      inducing(corpId, 'violator', T0 + 10_000),
      aMessage({ corpId, userId: 'writer', at: T0 + 11_000, text: NEUTRAL_TEXT }),
    ];
    const effects = new RecordingSideEffects();
    requests.length = 0;

    // Act
    const evaluation = await evaluateBatch(inputs, deps(effects));

    // Assess: one read; one transaction, then the writer's state alone (it changed nothing else);
    // one clear of the violator's outbox, a write alone (half a transaction's write units)
    expect(requests).toEqual(['BatchGetItem', 'TransactWriteItems', 'PutItem', 'UpdateItem']);
    expect(evaluation).toMatchObject({ batched: 10, transactions: 1, oneByOne: 0, fallbacks: [] });
    expect(evaluation.results.map((r) => r.status)).toEqual(Array(10).fill('applied'));
    const { corp } = await store.load(corpId, null);
    expect(corp.addsToday).toMatchObject({ day: dayOf(T0, DEFAULT_POLICY_SET.base.timeZone), total: 8 });
    expect((await storedMember(batchTable, corpId, 'violator'))?.strikes).toBe(1);
    expect([...effects.schedules.values()]).toEqual([T0 + 10_000 + DAY]);
    expect(await store.pendingEffects(corpId, inputs[8]?.id ?? '')).toBeNull();
  });

  it('clears each outbox on its own: one that cannot be cleared fails the call, and the others are cleared', async () => {
    // Prepare: two violators whose effects are pending (no effects could be carried out), and an
    // input that was never stored
    const corpId = 'wwba7c4000000000clrs';
    const inputs = [inducing(corpId, 'first', T0), inducing(corpId, 'second', T0 + 1000)];
    const failing = { carryOut: () => Promise.reject(new Error('effects unavailable')) };
    await evaluateBatch(inputs, deps(failing));
    for (const input of inputs) expect(await store.pendingEffects(corpId, input.id)).not.toBeNull();
    requests.length = 0;

    // Act
    const clearing = store.clearEffectsMany([
      { corpId, inputId: inputs[0]?.id ?? '' },
      { corpId, inputId: 'never-stored' },
      { corpId, inputId: inputs[1]?.id ?? '' },
    ]);

    // Assess: the call fails for the input never stored, one update each, and both outboxes are clear
    await expect(clearing).rejects.toThrow(/conditional request failed/i);
    expect(requests).toEqual(['UpdateItem', 'UpdateItem', 'UpdateItem']);
    for (const input of inputs) expect(await store.pendingEffects(corpId, input.id)).toBeNull();
    expect(
      await store.pendingEffects(corpId, 'never-stored'),
      'no marker made for the input never stored',
    ).toBeNull();
  });

  it('costs two reads and two transactions for 120 members, past DynamoDB’s 100 keys and items, with the state one by one leaves', async () => {
    // Prepare
    const corpId = 'wwba7c4000000000many';
    const inputs = Array.from({ length: 120 }, (_, m) =>
      aContactAdded({ corpId, userId: `many-${m}`, at: T0 + m * 1000 }),
    );
    const effects = new RecordingSideEffects();
    for (const input of inputs) await evaluateInput(input, deps(new RecordingSideEffects(), reference));
    requests.length = 0;

    // Act
    const evaluation = await evaluateBatch(inputs, deps(effects));

    // Assess: 121 keys in two reads; one item per member (no marker: an add decides nothing) and the
    // corp's two at most: 98 members per transaction
    expect(requests.filter((r) => r === 'BatchGetItem')).toHaveLength(2);
    expect(requests.filter((r) => r === 'TransactWriteItems')).toHaveLength(2);
    expect(evaluation).toMatchObject({ batched: 120, transactions: 2, oneByOne: 0 });
    const users = usersOf(inputs);
    expect(await stateOf(batchTable, store, corpId, users)).toEqual(
      await stateOf(oneByOneTable, reference, corpId, users),
    );
    expect((await store.load(corpId, null)).corp.daily).toEqual([
      dayOf(T0, DEFAULT_POLICY_SET.base.timeZone),
      120,
    ]);
  });

  it('leaves the same states, records and effects as evaluating the inputs one by one', async () => {
    // Prepare: four members over two days: adds, complaints, deletions, violations, a reviewer's
    // report with bad influence, and a corp-wide input, interleaved as a queue would hand them over
    const corpId = 'wwba7c4000000000same';
    const inputs: EngineInput[] = [];
    for (let day = 0; day < 2; day++) {
      for (let m = 0; m < 4; m++) {
        const userId = `same-${m}`;
        const at = T0 + day * DAY + m * HOUR;
        const contact = anExternalUserId();
        inputs.push(aContactAdded({ corpId, userId, at, externalUserId: contact }));
        inputs.push(aContactAdded({ corpId, userId, at: at + MINUTE }));
        inputs.push(aComplaint({ corpId, userId, at: at + 2 * MINUTE, externalUserId: contact }));
        inputs.push(aCustomerDeletion({ corpId, userId, at: at + 3 * MINUTE, externalUserId: contact }));
      }
      inputs.push(inducing(corpId, `same-${day}`, T0 + day * DAY + 5 * HOUR));
      inputs.push(
        aMessage({ corpId, userId: `same-${day + 2}`, at: T0 + day * DAY + 6 * HOUR, text: TERMS.gambling }),
      );
    }
    inputs.push(aReport('fraud', { corpId, userId: 'same-3', at: T0 + DAY + 7 * HOUR, badInfluence: true }));
    inputs.push(aCorpProfile({ corpId, at: T0 + DAY + 8 * HOUR, subjectVerified: true }));
    const oneByOneEffects = new RecordingSideEffects();
    const batchEffects = new RecordingSideEffects();

    // Act: one by one, in the order given; as batches of ten, as the event source delivers them
    for (const input of inputs) await evaluateInput(input, deps(oneByOneEffects, reference));
    const evaluations = [];
    for (let i = 0; i < inputs.length; i += 10)
      evaluations.push(await evaluateBatch(inputs.slice(i, i + 10), deps(batchEffects)));

    // Assess
    expect(evaluations.every((e) => e.oneByOne === 0 && e.transactions === 1)).toBe(true);
    const users = usersOf(inputs);
    const batched = await stateOf(batchTable, store, corpId, users);
    expect(batched).toEqual(await stateOf(oneByOneTable, reference, corpId, users));
    expect(effectsOf(batchEffects)).toEqual(effectsOf(oneByOneEffects));
    expect(batched.corp).toMatchObject({ subjectVerified: true, badInfluence: [{ userId: 'same-3' }] });
    expect(Object.keys(batchEffects.schedules).length + batchEffects.events.size).toBeGreaterThan(0);
  });

  it('falls back on an input applied before (a redelivery), finishes its pending effects, and applies the others once', async () => {
    // Prepare: the violation committed, then the process died before its schedule was created
    const corpId = 'wwba7c4000000000redo';
    const effects = new RecordingSideEffects();
    const applied = inducing(corpId, 'redelivered');
    effects.failNext();
    await expect(evaluateInput(applied, deps(effects))).rejects.toThrow(/simulated crash/);
    const later = aMessage({ corpId, userId: 'redelivered', at: T0 + HOUR, text: NEUTRAL_TEXT });
    const other = inducing(corpId, 'bystander', T0 + 2 * HOUR);
    const add = aContactAdded({ corpId, userId: 'adder', at: T0 + 3 * HOUR });
    requests.length = 0;

    // Act
    const evaluation = await evaluateBatch([applied, later, other, add], deps(effects));

    // Assess: the member remembers the input, so nothing is written in the batch; one by one, the
    // redelivery is a duplicate
    expect(requests.slice(0, 2)).toEqual(['BatchGetItem', 'BatchGetItem']);
    expect(evaluation).toMatchObject({ batched: 0, transactions: 0, oneByOne: 4 });
    expect(evaluation.fallbacks).toEqual([
      'a member remembers one of its inputs (applied before, or twice in the batch)',
    ]);
    expect(evaluation.results.map((r) => r.status)).toEqual(['duplicate', 'applied', 'applied', 'applied']);
    const member = (await storedMember(batchTable, corpId, 'redelivered')) as MemberState;
    expect(member.strikes).toBe(1);
    expect(member.version).toBe(2);
    expect((await storedMember(batchTable, corpId, 'bystander'))?.strikes).toBe(1);
    expect((await store.load(corpId, null)).corp.addsToday.total).toBe(1);
    expect(effects.schedules.size).toBe(2);
    expect(await store.pendingEffects(corpId, applied.id)).toBeNull();
  });

  /** The store, with another writer evaluating `interloper` right after the batch's read. */
  function racing(interloper: EngineInput, effects: SideEffects): BatchPenaltyStore {
    return {
      load: (...args) => store.load(...args),
      commit: (...args) => store.commit(...args),
      pendingEffects: (...args) => store.pendingEffects(...args),
      clearEffects: (...args) => store.clearEffects(...args),
      commitBatch: (...args) => store.commitBatch(...args),
      clearEffectsMany: (...args) => store.clearEffectsMany(...args),
      loadMany: async (keys: readonly StateKey[]) => {
        const loaded = await store.loadMany(keys);
        await evaluateInput(interloper, deps(effects));
        return loaded;
      },
    };
  }

  it('falls back when another writer changes a member between the read and the commit, and loses nothing', async () => {
    // Prepare: a reviewer's report on one member lands right after the batch's read
    const corpId = 'wwba7c4000000000race';
    const effects = new RecordingSideEffects();
    const interloper = aReport('inducing-sharing', { corpId, userId: 'raced', at: T0 + 30 * MINUTE });
    const inputs = [
      inducing(corpId, 'raced', T0),
      aContactAdded({ corpId, userId: 'raced', at: T0 + HOUR }),
      aContactAdded({ corpId, userId: 'calm', at: T0 + HOUR }),
    ];

    // Act
    const evaluation = await evaluateBatch(inputs, deps(effects, racing(interloper, effects)));

    // Assess: the member's version no longer matched; one by one, every input counts once
    expect(evaluation.fallbacks).toEqual(['transaction cancelled (ConditionalCheckFailed)']);
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const member = (await storedMember(batchTable, corpId, 'raced')) as MemberState;
    expect(member.violations.map((v) => v.id).sort()).toEqual([inputs[0]?.id, interloper.id].sort());
    expect(member.version).toBe(3);
    expect((await store.load(corpId, null)).corp.addsToday.total).toBe(2);
  });

  it('writes a member whose state is its only write once the transaction is in, and one by one when it is cancelled', async () => {
    // Prepare: a member whose add goes in the transaction, raced by a reviewer's report; a member
    // whose message changes only its own state
    const corpId = 'wwba7c40000000beside';
    const effects = new RecordingSideEffects();
    const interloper = aReport('fraud', { corpId, userId: 'raced', at: T0 + 30 * MINUTE });
    const inputs = [
      aContactAdded({ corpId, userId: 'raced', at: T0 }),
      aMessage({ corpId, userId: 'writer', at: T0 + MINUTE, text: NEUTRAL_TEXT }),
    ];
    requests.length = 0;

    // Act
    const evaluation = await evaluateBatch(inputs, deps(effects, racing(interloper, effects)));

    // Assess: the writer's state was not written on its own after the cancelled transaction (one by
    // one it would then be a duplicate; there, its message starts the corp's day, so it goes in a
    // transaction); both members applied once
    expect(requests).not.toContain('PutItem');
    expect(evaluation.fallbacks).toEqual(['transaction cancelled (ConditionalCheckFailed)']);
    expect(evaluation).toMatchObject({ batched: 0, oneByOne: 2 });
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await storedMember(batchTable, corpId, 'writer'))?.version).toBe(1);
    expect((await storedMember(batchTable, corpId, 'raced'))?.version).toBe(2);
    expect((await store.load(corpId, null)).corp.addsToday.total).toBe(1);
  });

  it('evaluates again one by one a member written on its own whose write failed, and applies it once', async () => {
    // Prepare: a member whose message changes only its own state, raced by another of its messages;
    // the corp stored already (the interloper's commit must not be the one that creates it)
    const corpId = 'wwba7c400000000alone';
    const effects = new RecordingSideEffects();
    await evaluateInput(aContactAdded({ corpId, userId: 'earlier', at: T0 - HOUR }), deps(effects));
    const interloper = aMessage({ corpId, userId: 'alone', at: T0 + 30 * MINUTE, text: NEUTRAL_TEXT });
    const inputs = [
      aMessage({ corpId, userId: 'alone', at: T0, text: NEUTRAL_TEXT }),
      aContactAdded({ corpId, userId: 'adder', at: T0 + MINUTE }),
    ];

    // Act
    const evaluation = await evaluateBatch(inputs, deps(effects, racing(interloper, effects)));

    // Assess: the add committed in the batch; the message again, on the member as the interloper
    // left it
    expect(evaluation.fallbacks).toEqual(['1 member write(s) failed']);
    expect(evaluation).toMatchObject({ batched: 1, transactions: 1, oneByOne: 1 });
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect((await storedMember(batchTable, corpId, 'alone'))?.version).toBe(2);
    expect((await store.load(corpId, null)).corp.addsToday.total).toBe(2);
  });

  it('falls back when another writer changes the corp’s decisions between the read and the commit, and loses nothing', async () => {
    // Prepare: the corp's profile changes right after the batch's read; the batch changes the corp's
    // decisions too (a report with bad influence) and its counters
    const corpId = 'wwba7c400000000corp';
    const effects = new RecordingSideEffects();
    const interloper = aCorpProfile({ corpId, at: T0 + 30 * MINUTE, subjectVerified: true });
    const inputs = [
      aContactAdded({ corpId, userId: 'one', at: T0 }),
      aReport('fraud', { corpId, userId: 'two', at: T0 + HOUR, badInfluence: true }),
      aContactAdded({ corpId, userId: 'three', at: T0 + HOUR }),
    ];

    // Act
    const evaluation = await evaluateBatch(inputs, deps(effects, racing(interloper, effects)));

    // Assess
    expect(evaluation.fallbacks).toEqual(['transaction cancelled (ConditionalCheckFailed)']);
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const { corp } = await store.load(corpId, null);
    expect(corp).toMatchObject({ subjectVerified: true, badInfluence: [{ userId: 'two' }], version: 2 });
    expect(corp.addsToday.total).toBe(2);
  });

  it('takes an input delivered twice in one batch once', async () => {
    // Prepare
    const corpId = 'wwba7c4000000000twin';
    const twice = inducing(corpId, 'twin');
    const other = aContactAdded({ corpId, userId: 'single', at: T0 + MINUTE });
    const effects = new RecordingSideEffects();

    // Act
    const evaluation = await evaluateBatch([twice, other, twice], deps(effects));

    // Assess: the member remembers the second delivery's input from the first, so it goes one by one
    expect(evaluation.results.map((r) => r.status)).toEqual(['applied', 'applied', 'duplicate']);
    expect((await storedMember(batchTable, corpId, 'twin'))?.strikes).toBe(1);
    expect(effects.schedules.size).toBe(1);
  });

  it('fails only the member whose side effects fail, keeping them pending, and lets the others through', async () => {
    // Prepare: side effects that cannot be carried out for one member
    const corpId = 'wwba7c4000000000sick';
    const recording = new RecordingSideEffects();
    const effects: SideEffects = {
      carryOut: async (pending: PendingEffects) => {
        if (
          pending.decisions.some(
            (d) => 'subject' in d && d.subject.kind === 'member' && d.subject.userId === 'sick',
          )
        )
          throw new Error('scheduler unavailable');
        await recording.carryOut(pending);
      },
    };
    const first = inducing(corpId, 'sick', T0);
    const second = inducing(corpId, 'sick', T0 + 3 * DAY);
    const healthy = inducing(corpId, 'healthy', T0);

    // Act
    const evaluation = await evaluateBatch([first, healthy, second], deps(effects));

    // Assess: both of its inputs are committed, the first failed and the second skipped (left pending)
    expect(evaluation.results.map((r) => r.status)).toEqual(['failed', 'applied', 'skipped']);
    expect((await storedMember(batchTable, corpId, 'sick'))?.strikes).toBe(2);
    expect(await store.pendingEffects(corpId, first.id)).not.toBeNull();
    expect(await store.pendingEffects(corpId, second.id)).not.toBeNull();
    expect(await store.pendingEffects(corpId, healthy.id)).toBeNull();

    // Act: the redelivery of its records, with the side effects back
    const redelivery = await evaluateBatch([first, second], deps(recording));

    // Assess
    expect(redelivery.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    expect(await store.pendingEffects(corpId, first.id)).toBeNull();
    expect(await store.pendingEffects(corpId, second.id)).toBeNull();
    expect((await storedMember(batchTable, corpId, 'sick'))?.strikes).toBe(2);
  });

  it('loses no counter and no corp decision when batches of one corp are committed at once', async () => {
    // Prepare: six batches of ten adds by distinct members, two of them also changing the corp's
    // decisions (its profile; a report with bad influence), all evaluated at the same time, twice
    const corpId = 'wwba7c4000000000both';
    const round = (r: number) =>
      Array.from({ length: 6 }, (_, b) => {
        const batch: EngineInput[] = Array.from({ length: 10 }, (_, i) =>
          aContactAdded({ corpId: corpId, userId: `r${r}-b${b}-m${i}`, at: T0 + r * HOUR + i * 1000 }),
        );
        if (b === 0)
          batch.push(aCorpProfile({ corpId: corpId, at: T0 + r * HOUR + 20_000, subjectVerified: r === 0 }));
        if (b === 1)
          batch.push(
            aReport('fraud', {
              corpId: corpId,
              userId: `r${r}-b${b}-m0`,
              at: T0 + r * HOUR + 30_000,
              badInfluence: true,
            }),
          );
        return batch;
      });
    const effects = new RecordingSideEffects();

    // Act
    const evaluations = [];
    for (let r = 0; r < 2; r++)
      evaluations.push(...(await Promise.all(round(r).map((batch) => evaluateBatch(batch, deps(effects))))));

    // Assess: 120 adds, both profile changes in order, both reports
    expect(evaluations.flatMap((e) => e.results).every((r) => r.status === 'applied')).toBe(true);
    const { corp } = await store.load(corpId, null);
    expect(corp.daily).toEqual([dayOf(T0, DEFAULT_POLICY_SET.base.timeZone), 120]);
    expect(corp.addsToday.total).toBe(120);
    expect(corp.subjectVerified).toBe(false);
    expect(corp.badInfluence.map((b) => b.userId).sort()).toEqual(['r0-b1-m0', 'r1-b1-m0']);
  });
});
