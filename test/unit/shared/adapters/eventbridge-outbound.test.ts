import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeOutbound, outboundEntries } from '../../../../shared/adapters/eventbridge-outbound.js';
import { OUTBOUND_EVENT_SOURCE } from '../../../../shared/config/constants.js';
import type { Decision, Explanation } from '../../../../shared/domain/decisions.js';
import type { PendingEffects } from '../../../../shared/domain/ports.js';
import { unbanTimer } from '../../../../shared/domain/timers.js';
import { CORP_ID, DAY, MEMBER_ID, T0 } from '../../../helpers/domain-inputs.js';

const BUS = 'wecom-enforcement-outbound';
const INPUT_ID = '0f'.repeat(20);
const VIOLATION_ID = 'v'.repeat(40);

const eventBridge = mockClient(EventBridgeClient);

afterAll(() => {
  eventBridge.restore();
});

beforeEach(() => {
  eventBridge.reset();
});

const explanation: Explanation = {
  rule: 'R1',
  category: 'harassing-marketing',
  policyVersion: '2026-03-01',
  summary: 'marketing messages to 40 contacts in one day, over the threshold of 30',
  evidence: {
    inputIds: [INPUT_ID],
    matchedTerms: [{ text: '优惠', length: 2, truncated: false }],
    matchedTermCount: 1,
    contentCategories: ['marketing'],
    counts: [{ name: 'marketingRecipientsPerDay', value: 40, threshold: 30 }],
  },
};

const cause = { kind: 'violation', id: VIOLATION_ID, inputId: INPUT_ID } as const;

function penaltyApplied(overrides: Partial<Extract<Decision, { type: 'penalty.applied' }>> = {}): Decision {
  return {
    type: 'penalty.applied',
    subject: { kind: 'member', corpId: CORP_ID, userId: MEMBER_ID },
    penaltyId: VIOLATION_ID,
    reason: { rule: 'R1', category: 'harassing-marketing', violationId: VIOLATION_ID },
    until: T0 + DAY,
    cause,
    policyVersion: '2026-03-01',
    ...overrides,
  };
}

function effectsOf(decisions: readonly Decision[]): PendingEffects {
  return { corpId: CORP_ID, inputId: INPUT_ID, at: T0, decisions };
}

function outbound(maxAttempts?: number) {
  return new EventBridgeOutbound({
    client: new EventBridgeClient({
      region: 'ap-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    busName: BUS,
    maxAttempts,
    baseDelayMs: 1,
  });
}

function putCalls(): PutEventsRequestEntry[][] {
  return eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
}

function detailOf(entry: PutEventsRequestEntry | undefined): Record<string, unknown> {
  return JSON.parse(entry?.Detail ?? '{}') as Record<string, unknown>;
}

/** A PutEvents answer accepting every entry except those at the given positions. */
function answer(count: number, failedAt: readonly number[] = [], code = 'ThrottlingException') {
  const Entries: PutEventsResultEntry[] = Array.from({ length: count }, (_, i) =>
    failedAt.includes(i) ? { ErrorCode: code, ErrorMessage: 'Rate exceeded' } : { EventId: `event-${i}` },
  );
  return { FailedEntryCount: failedAt.length, Entries };
}

describe('outboundEntries', () => {
  it('publishes penalties applied and lifted and quota changes, with ids consumers can dedupe on', () => {
    // Prepare
    const member = { corpId: CORP_ID, userId: MEMBER_ID };
    const effects = effectsOf([
      {
        type: 'schedule.create',
        name: `u.${VIOLATION_ID}`,
        at: T0 + DAY,
        input: unbanTimer(member, VIOLATION_ID, T0 + DAY),
      },
      penaltyApplied({ explanation }),
      { type: 'schedule.cancel', name: 'r.ban-1' },
      {
        type: 'penalty.lifted',
        subject: { kind: 'enterprise', corpId: CORP_ID },
        penaltyId: 'p-enterprise',
        cause: { kind: 'appeal-decision', id: 'appeal-1', inputId: INPUT_ID },
        policyVersion: '2026-03-01',
      },
      {
        type: 'quota.changed',
        corpId: CORP_ID,
        contactAddsPerMemberPerDay: 100,
        contactAddsPerCorpPerDay: 5000,
        policyVersion: '2026-03-01',
      },
    ]);

    // Act
    const entries = outboundEntries(effects, BUS);

    // Assess
    expect(entries.map(({ Detail: _detail, ...entry }) => entry)).toEqual(
      ['penalty.applied', 'penalty.lifted', 'quota.changed'].map((type) => ({
        Source: OUTBOUND_EVENT_SOURCE,
        DetailType: type,
        EventBusName: BUS,
        Time: new Date(T0),
        Resources: [],
      })),
    );
    expect(entries.map(detailOf)).toEqual([
      {
        id: `${BUS}:${INPUT_ID}.1`,
        type: 'penalty.applied',
        corpId: CORP_ID,
        userId: MEMBER_ID,
        subject: { kind: 'member', corpId: CORP_ID, userId: MEMBER_ID },
        at: '2026-03-02T00:00:00.000Z',
        penaltyId: VIOLATION_ID,
        reason: { rule: 'R1', category: 'harassing-marketing', violationId: VIOLATION_ID },
        until: '2026-03-03T00:00:00.000Z',
        cause,
        policyVersion: '2026-03-01',
        explanation,
      },
      {
        id: `${BUS}:${INPUT_ID}.3`,
        type: 'penalty.lifted',
        corpId: CORP_ID,
        subject: { kind: 'enterprise', corpId: CORP_ID },
        at: '2026-03-02T00:00:00.000Z',
        penaltyId: 'p-enterprise',
        cause: { kind: 'appeal-decision', id: 'appeal-1', inputId: INPUT_ID },
        policyVersion: '2026-03-01',
      },
      {
        id: `${BUS}:${INPUT_ID}.4`,
        type: 'quota.changed',
        corpId: CORP_ID,
        at: '2026-03-02T00:00:00.000Z',
        contactAddsPerMemberPerDay: 100,
        contactAddsPerCorpPerDay: 5000,
        policyVersion: '2026-03-01',
      },
    ]);
  });

  it('publishes a permanent penalty with no end time', () => {
    // Prepare
    const effects = effectsOf([penaltyApplied({ until: null })]);

    // Act
    const [entry] = outboundEntries(effects, BUS);

    // Assess
    expect(detailOf(entry)).toMatchObject({ id: `${BUS}:${INPUT_ID}.0`, until: null });
    expect(detailOf(entry)).not.toHaveProperty('explanation');
  });

  it('gives a redelivered input the same events, byte for byte', () => {
    // Prepare
    const effects = effectsOf([penaltyApplied({ explanation }), penaltyApplied({ penaltyId: 'second' })]);

    // Act
    const first = outboundEntries(effects, BUS);
    const again = outboundEntries(structuredClone(effects), BUS);

    // Assess
    expect(again).toEqual(first);
    expect(first.map((entry) => detailOf(entry).id)).toEqual([
      `${BUS}:${INPUT_ID}.0`,
      `${BUS}:${INPUT_ID}.1`,
    ]);
  });

  it("gives the same input on two stages' buses different ids, so a consumer of both drops neither", () => {
    // Prepare: a replay into dev of what prod received carries prod's input ids
    const effects = effectsOf([penaltyApplied({})]);

    // Act
    const [prod] = outboundEntries(effects, 'WecomEnforcement-prod-outbound');
    const [dev] = outboundEntries(structuredClone(effects), 'WecomEnforcement-dev-outbound');

    // Assess
    expect(detailOf(prod).id).toBe(`WecomEnforcement-prod-outbound:${INPUT_ID}.0`);
    expect(detailOf(dev).id).toBe(`WecomEnforcement-dev-outbound:${INPUT_ID}.0`);
  });

  it('publishes nothing for effects that are only schedules', () => {
    // Prepare
    const effects = effectsOf([{ type: 'schedule.cancel', name: 'r.ban-1' }]);

    // Act
    const entries = outboundEntries(effects, BUS);

    // Assess
    expect(entries).toEqual([]);
  });
});

describe('EventBridgeOutbound.publish', () => {
  it('sends 23 events as PutEvents of 10, 10 and 3, each event once', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .callsFake((input: { Entries: unknown[] }) => answer(input.Entries.length));
    const decisions = Array.from({ length: 23 }, (_, i) => penaltyApplied({ penaltyId: `p${i}` }));

    // Act
    await outbound().publish(effectsOf(decisions));

    // Assess
    const calls = putCalls();
    expect(calls.map((entries) => entries.length)).toEqual([10, 10, 3]);
    expect(calls.flat().map((entry) => detailOf(entry).id)).toEqual(
      decisions.map((_, i) => `${BUS}:${INPUT_ID}.${i}`),
    );
  });

  it('sends again only the events EventBridge refused, and succeeds once they are in', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce(answer(5, [1, 3]))
      .resolves(answer(2));
    const decisions = Array.from({ length: 5 }, (_, i) => penaltyApplied({ penaltyId: `p${i}` }));

    // Act
    await outbound().publish(effectsOf(decisions));

    // Assess
    const calls = putCalls();
    expect(calls).toHaveLength(2);
    expect(calls[1]?.map((entry) => detailOf(entry).id)).toEqual([
      `${BUS}:${INPUT_ID}.1`,
      `${BUS}:${INPUT_ID}.3`,
    ]);
    expect(calls[1]).toEqual([calls[0]?.[1], calls[0]?.[3]]);
  });

  it('gives up after the allowed attempts, naming how many events failed and why', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce(answer(3, [0, 2], 'InternalFailure'))
      .resolves(answer(2, [1], 'InternalFailure'));
    const decisions = Array.from({ length: 3 }, (_, i) => penaltyApplied({ penaltyId: `p${i}` }));

    // Act
    const published = outbound(3).publish(effectsOf(decisions));

    // Assess
    await expect(published).rejects.toThrow(
      /refused 1 of 3 outbound events .* after 3 attempts .*InternalFailure/,
    );
    expect(putCalls().map((entries) => entries.length)).toEqual([3, 2, 1]);
  });

  it('tries four times by default', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves(answer(1, [0], 'ThrottlingException'));

    // Act
    const published = outbound().publish(effectsOf([penaltyApplied()]));

    // Assess
    await expect(published).rejects.toThrow(/refused 1 of 1 .*ThrottlingException/);
    expect(putCalls()).toHaveLength(4);
  });

  it('fails with the client error when EventBridge cannot be reached', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(new Error('connect ETIMEDOUT events.ap-east-1.amazonaws.com'));

    // Act
    const published = outbound().publish(effectsOf([penaltyApplied()]));

    // Assess
    await expect(published).rejects.toThrow('ETIMEDOUT');
  });

  it('calls EventBridge not at all for effects without outbound decisions', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves(answer(0));

    // Act
    await outbound().publish(effectsOf([{ type: 'schedule.cancel', name: 'r.ban-1' }]));

    // Assess
    expect(eventBridge.calls()).toHaveLength(0);
  });
});
