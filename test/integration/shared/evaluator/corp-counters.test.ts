import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { storeKeys, toKey } from '../../../../shared/adapters/penalty-table.js';
import { decide } from '../../../../shared/domain/decide.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import type { PenaltyStore } from '../../../../shared/domain/ports.js';
import type { CorpState, EngineInput } from '../../../../shared/domain/types.js';
import { corpView } from '../../../../shared/domain/views.js';
import { dayOf } from '../../../../shared/domain/zone-rule.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { NEUTRAL_TEXT, TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aContactAdded,
  aCustomerDeletion,
  aMessage,
  anExternalUserId,
  DAY,
  HOUR,
  MINUTE,
  T0,
} from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const table = usePenaltyTable();
let store: DynamoDbPenaltyStore;

beforeAll(() => {
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
});

/** The store, counting the commits that found the state changed under them. */
function countingConflicts(inner: PenaltyStore) {
  const counts = { conflicts: 0 };
  const wrapped: PenaltyStore = {
    load: (...args) => inner.load(...args),
    pendingEffects: (...args) => inner.pendingEffects(...args),
    clearEffects: (...args) => inner.clearEffects(...args),
    commit: async (...args) => {
      const result = await inner.commit(...args);
      if (result === 'conflict') counts.conflicts += 1;
      return result;
    },
  };
  return { wrapped, counts };
}

const withoutVersion = ({ version: _v, ...rest }: CorpState) => rest;

describe('corp counters in DynamoDB', () => {
  it('counts every contact add of eight members adding at once, with the corp’s decisions untouched', async () => {
    // Prepare: the day's top adder is settled first (six adds), so the adds made at once, five per
    // member, only move counters, which nothing conditions; then eight members add in parallel
    const corpId = 'wwc0ffee000000busy';
    const leader = Array.from({ length: 6 }, (_, i) =>
      aContactAdded({ corpId, userId: 'leader', at: T0 - HOUR + i * 1000 }),
    );
    const inputs = Array.from({ length: 8 }, (_, m) =>
      Array.from({ length: 5 }, (_, i) =>
        aContactAdded({ corpId, userId: `adder-${m}`, at: T0 + m * MINUTE + i * 1000 }),
      ),
    );
    const { wrapped, counts } = countingConflicts(store);
    const deps = {
      store: wrapped,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    for (const add of leader) await evaluateInput(add, deps);

    // Act: each member's adds in order (its FIFO group), the members in parallel
    await Promise.all(
      inputs.map(async (adds) => {
        for (const add of adds) await evaluateInput(add, deps);
      }),
    );

    // Assess: 46 adds counted, no conflict on the corp, and its decisions' version never moved
    const { corp } = await store.load(corpId, null);
    expect(corp.addsToday).toMatchObject({
      day: dayOf(T0, DEFAULT_POLICY_SET.base.timeZone),
      total: 46,
      topUserId: 'leader',
      topCount: 6,
    });
    expect(corp.daily).toEqual([dayOf(T0, DEFAULT_POLICY_SET.base.timeZone), 46]);
    expect(counts.conflicts).toBe(0);
    expect(corp.version).toBe(0);
  });

  it('loads exactly the corp state the engine decided, over days of adds, feedback and violations', async () => {
    // Prepare: a mixed stream over four days, decided and committed one by one
    const corpId = 'wwc0ffee00000mixed';
    const inputs: EngineInput[] = [];
    for (let day = 0; day < 4; day++) {
      for (let m = 0; m < 3; m++) {
        const userId = `mixed-${m}`;
        const at = T0 + day * DAY + m * HOUR;
        const contact = anExternalUserId();
        inputs.push(aContactAdded({ corpId, userId, at, externalUserId: contact }));
        inputs.push(aContactAdded({ corpId, userId, at: at + MINUTE }));
        inputs.push(aComplaint({ corpId, userId, at: at + 2 * MINUTE, externalUserId: contact }));
        inputs.push(aCustomerDeletion({ corpId, userId, at: at + 3 * MINUTE, externalUserId: contact }));
        inputs.push(aMessage({ corpId, userId, at: at + 4 * MINUTE, text: NEUTRAL_TEXT }));
      }
      inputs.push(
        aMessage({ corpId, userId: `mixed-${day}`, at: T0 + day * DAY + 5 * HOUR, text: TERMS.gambling }),
      );
    }
    const policy = DEFAULT_POLICY_SET.forCorp(corpId);
    const mismatches: string[] = [];

    // Act
    for (const input of inputs) {
      const userId = 'userId' in input && input.userId !== undefined ? input.userId : null;
      const loaded = await store.load(corpId, userId);
      const outcome = decide(loaded, input, { policy, classifier: testClassifier });
      expect(await store.commit(input, loaded, outcome, null)).toBe('applied');
      const reloaded = await store.load(corpId, userId);
      if (JSON.stringify(withoutVersion(reloaded.corp)) !== JSON.stringify(withoutVersion(outcome.corp))) {
        mismatches.push(`${input.type} at ${new Date(input.at).toISOString()}`);
      }
    }

    // Assess: the stored counters and decisions round-trip, and the corp view reads them
    expect(mismatches).toEqual([]);
    const { corp } = await store.load(corpId, null);
    expect(corp.violations.length).toBeGreaterThan(0);
    expect(corp.negativeFeedback.length).toBeGreaterThan(0);
    expect(corpView(corp, policy, T0 + 3 * DAY + 6 * HOUR).account.status).toBe('active');
  });

  it("keys the day counters by WeCom's day: one across UTC midnight, two across Shanghai's", async () => {
    // Prepare: a member's adds at 23:00 and 01:00 UTC (one Shanghai day), and another's at 15:30
    // and 16:30 UTC (two Shanghai days)
    const corpId = 'wwc0ffee0000shday1';
    const addsAt = (userId: string, times: readonly string[]) =>
      times.flatMap((time) =>
        Array.from({ length: 3 }, (_, i) =>
          aContactAdded({ corpId, userId, at: Date.parse(time) + i * MINUTE }),
        ),
      );
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    const inputs = [
      ...addsAt('night', ['2026-04-05T23:00:00Z', '2026-04-06T01:00:00Z']),
      ...addsAt('evening', ['2026-04-07T15:30:00Z', '2026-04-07T16:30:00Z']),
    ];

    // Act
    for (const input of inputs) await evaluateInput(input, deps);

    // Assess: the counter slot's attributes are those of 6, 7 and 8 April in Shanghai
    const key = storeKeys.corpSlot(corpId, 1);
    const { Item } = await table.client.send(
      new GetItemCommand({ TableName: table.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
    );
    const counters = Object.fromEntries(
      Object.entries(Item ?? {})
        .filter(([name]) => name.startsWith('n_a_'))
        .map(([name, value]) => [name, Number(value.N)]),
    );
    const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
    expect(counters).toEqual({
      [`n_a_${day('2026-04-06')}`]: 6,
      [`n_a_${day('2026-04-07')}`]: 3,
      [`n_a_${day('2026-04-08')}`]: 3,
    });
    const { corp } = await store.load(corpId, null);
    expect(corp.addsToday).toMatchObject({ day: day('2026-04-08'), total: 3, topUserId: 'evening' });
  });

  it('keeps the exact top 10 adders of the day while twelve members add at once', async () => {
    // Prepare: member i makes i + 1 adds, every member's adds in order, the members in parallel
    const corpId = 'wwc0ffee00000top10';
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    const members = Array.from({ length: 12 }, (_, m) =>
      Array.from({ length: m + 1 }, (_, i) =>
        aContactAdded({ corpId, userId: `top-${m}`, at: T0 + m * MINUTE + i * 1000 }),
      ),
    );

    // Act
    await Promise.all(
      members.map(async (adds) => {
        for (const add of adds) await evaluateInput(add, deps);
      }),
    );

    // Assess: 78 adds, and the ten largest adders with their exact counts, largest first
    const { corp } = await store.load(corpId, null);
    const view = corpView(corp, DEFAULT_POLICY_SET.base, T0 + HOUR);
    expect(view.addsToday.total).toBe(78);
    expect(view.addsToday.members).toEqual(
      [11, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((m) => ({ userId: `top-${m}`, count: m + 1 })),
    );
  });

  it('loads counters stored before the top adders were kept, and starts the list at its next add', async () => {
    // Prepare: adds stored, then their counter slot as an older version left it (no list attributes)
    const corpId = 'wwc0ffee00000older';
    const deps = {
      store,
      effects: new RecordingSideEffects(),
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
    };
    for (let i = 0; i < 3; i++)
      await evaluateInput(aContactAdded({ corpId, userId: 'early', at: T0 + i }), deps);
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toKey(storeKeys.corpSlot(corpId, 1)),
        UpdateExpression: 'REMOVE addsDay, addsTop',
      }),
    );
    const older = (await store.load(corpId, null)).corp;

    // Act
    await evaluateInput(aContactAdded({ corpId, userId: 'later', at: T0 + MINUTE }), deps);

    // Assess: the older item loads with its total and top adder and an empty list; the next add starts it
    expect(older.addsToday).toMatchObject({ total: 3, topUserId: 'early', topCount: 3, members: [] });
    const { corp } = await store.load(corpId, null);
    expect(corp.addsToday).toMatchObject({
      total: 4,
      topUserId: 'early',
      members: [{ userId: 'later', count: 1 }],
    });
  });
});
