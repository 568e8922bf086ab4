import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ServiceQuotaExceededException,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SchedulerTimers, scheduleNameFor } from '../../../../shared/adapters/scheduler-timers.js';
import {
  restoreTimer,
  reviewDeadlineTimer,
  type TimerCommand,
  unbanTimer,
} from '../../../../shared/domain/timers.js';
import { CORP_ID, DAY, MEMBER_ID, MINUTE, SECOND, T0 } from '../../../helpers/domain-inputs.js';

const GROUP = 'wecom-enforcement-timers';
const QUEUE_ARN = 'arn:aws:sqs:ap-east-1:123456789012:wecom-events.fifo';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/wecom-scheduler';
const DLQ_ARN = 'arn:aws:sqs:ap-east-1:123456789012:wecom-timers-dlq';
const PENALTY_ID = 'a1'.repeat(20);
const VALID_NAME = /^[0-9a-zA-Z_.-]{1,64}$/;

const scheduler = mockClient(SchedulerClient);

afterAll(() => {
  scheduler.restore();
});

beforeEach(() => {
  scheduler.reset();
});

/** The queue a due timer goes to instead: records what it was given. */
class RecordingCommands {
  readonly sent: TimerCommand[] = [];

  async send(commands: readonly TimerCommand[]): Promise<void> {
    this.sent.push(...commands);
  }
}

function timersAt(now: number, commands = new RecordingCommands(), groupName = GROUP) {
  const timers = new SchedulerTimers({
    client: new SchedulerClient({
      region: 'ap-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    groupName,
    queueArn: QUEUE_ARN,
    roleArn: ROLE_ARN,
    deadLetterArn: DLQ_ARN,
    commands,
    now: () => now,
  });
  return { timers, commands };
}

/** What the SDK gives a service exception: the message twice (SDK and wire field) and response metadata. */
function serviceError(message: string) {
  return { message, Message: message, $metadata: {} };
}

function createInputs() {
  return scheduler.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input);
}

describe('SchedulerTimers.create', () => {
  it('schedules a future unban once, in UTC, onto the event queue in the member group, with retries and a dead-letter queue', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
    const { timers, commands } = timersAt(T0);
    const at = T0 + 7 * DAY + 250; // 2026-03-09T00:00:00.250Z
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, at);

    // Act
    await timers.create(timer.id, at, timer);

    // Assess
    expect(createInputs()).toEqual([
      {
        Name: timer.id,
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-09T00:00:01)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        ActionAfterCompletion: 'DELETE',
        State: 'ENABLED',
        Target: {
          Arn: QUEUE_ARN,
          RoleArn: ROLE_ARN,
          Input: JSON.stringify(timer),
          SqsParameters: { MessageGroupId: `${CORP_ID}:${MEMBER_ID}` },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: DLQ_ARN },
        },
        ClientToken: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    expect(commands.sent).toEqual([]);
  });

  it('schedules a case review deadline like any timer: onto the event queue in its member group, and sends one already due at once', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const { timers, commands } = timersAt(T0);
    const member = { corpId: CORP_ID, userId: MEMBER_ID };
    const caseId = `case-${'0f'.repeat(16)}`;
    const later = reviewDeadlineTimer(member, caseId, T0 + 3 * DAY);
    const due = reviewDeadlineTimer(member, `case-${'1e'.repeat(16)}`, T0 - SECOND);

    // Act
    await timers.create(later.id, later.at, later);
    await timers.create(due.id, due.at, due);

    // Assess
    expect(createInputs()).toEqual([
      expect.objectContaining({
        Name: scheduleNameFor(later.id),
        GroupName: GROUP,
        ScheduleExpression: 'at(2026-03-05T00:00:00)',
        Target: expect.objectContaining({
          Arn: QUEUE_ARN,
          Input: JSON.stringify(later),
          SqsParameters: { MessageGroupId: `${CORP_ID}:${MEMBER_ID}` },
          DeadLetterConfig: { Arn: DLQ_ARN },
        }),
      }),
    ]);
    expect(JSON.parse(createInputs()[0]?.Target?.Input ?? '{}')).toMatchObject({
      type: 'timer.fired',
      timer: { kind: 'review-deadline', caseId },
    });
    expect(commands.sent).toEqual([due]);
  });

  it("gives the same timer another stage's group another client token, so neither stage's create is taken for the other's retry", async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, T0 + DAY);
    const prod = timersAt(T0, undefined, 'WecomEnforcement-prod-timers').timers;
    const dev = timersAt(T0, undefined, 'WecomEnforcement-dev-timers').timers;

    // Act
    await prod.create(timer.id, timer.at, timer);
    await dev.create(timer.id, timer.at, timer);

    // Assess
    const [inProd, inDev] = createInputs();
    expect([inProd?.GroupName, inDev?.GroupName]).toEqual([
      'WecomEnforcement-prod-timers',
      'WecomEnforcement-dev-timers',
    ]);
    expect(inDev?.Name).toBe(inProd?.Name);
    expect(inDev?.ClientToken).not.toBe(inProd?.ClientToken);
  });

  it('fires a timer due on a whole second at that second, never a second late or early', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const { timers } = timersAt(T0);
    const at = Date.UTC(2026, 11, 31, 23, 59, 59);
    const timer = restoreTimer({ corpId: CORP_ID, userId: MEMBER_ID }, 'ban-1', at);

    // Act
    await timers.create(timer.id, at, timer);

    // Assess
    expect(createInputs()[0]?.ScheduleExpression).toBe('at(2026-12-31T23:59:59)');
  });

  it('rounds a time just before midnight up into the next day rather than firing before it', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const { timers } = timersAt(T0);
    const at = Date.UTC(2026, 11, 31, 23, 59, 59, 1);
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, at);

    // Act
    await timers.create(timer.id, at, timer);

    // Assess
    expect(createInputs()[0]?.ScheduleExpression).toBe('at(2027-01-01T00:00:00)');
  });

  it('gives the same timer the same client token on every attempt, and a timer at another time another one', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const { timers } = timersAt(T0);
    const member = { corpId: CORP_ID, userId: MEMBER_ID };
    const first = unbanTimer(member, PENALTY_ID, T0 + DAY);
    const later = unbanTimer(member, PENALTY_ID, T0 + 2 * DAY);

    // Act
    await timers.create(first.id, first.at, first);
    await timers.create(first.id, first.at, first);
    await timers.create(later.id, later.at, later);

    // Assess
    const tokens = createInputs().map((input) => input.ClientToken);
    expect(tokens[0]).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('treats a schedule that already exists (a redelivery created it) as created', async () => {
    // Prepare
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException(serviceError('Schedule already exists.')));
    const { timers, commands } = timersAt(T0);
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, T0 + DAY);

    // Act
    const created = timers.create(timer.id, timer.at, timer);

    // Assess
    await expect(created).resolves.toBeUndefined();
    expect(createInputs()).toHaveLength(1);
    expect(commands.sent).toEqual([]);
  });

  it.each([
    ['a validation error', new ValidationException(serviceError('Invalid expression'))],
    ['a quota error', new ServiceQuotaExceededException(serviceError('Too many schedules'))],
    ['a network error', new Error('connect ETIMEDOUT scheduler.ap-east-1.amazonaws.com')],
  ])('fails with %s, so the effects stay pending and are retried', async (_case, failure) => {
    // Prepare
    scheduler.on(CreateScheduleCommand).rejects(failure);
    const { timers } = timersAt(T0);
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, T0 + DAY);

    // Act
    const created = timers.create(timer.id, timer.at, timer);

    // Assess
    await expect(created).rejects.toThrow(failure.message);
  });

  it.each([
    ['already past', T0 - DAY],
    ['due now', T0],
    ['due within the minute', T0 + 59 * SECOND],
    ['due in exactly a minute', T0 + MINUTE],
  ])('queues a timer %s at once and creates no schedule', async (_case, at) => {
    // Prepare
    const { timers, commands } = timersAt(T0);
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, at);

    // Act
    await timers.create(timer.id, at, timer);

    // Assess
    expect(commands.sent).toEqual([timer]);
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('schedules a timer due just after the minute margin', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    const { timers, commands } = timersAt(T0);
    const at = T0 + MINUTE + 1;
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, at);

    // Act
    await timers.create(timer.id, at, timer);

    // Assess
    expect(createInputs()).toHaveLength(1);
    expect(commands.sent).toEqual([]);
  });

  it('fails when a due timer cannot be queued', async () => {
    // Prepare
    const commands = new RecordingCommands();
    commands.send = async () => {
      throw new Error('SQS refused 1 of 1 timer commands');
    };
    const { timers } = timersAt(T0, commands);
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, T0);

    // Act
    const created = timers.create(timer.id, T0, timer);

    // Assess
    await expect(created).rejects.toThrow('SQS refused 1 of 1 timer commands');
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('creates a timer whose name Scheduler would refuse under a valid name that its cancel finds', async () => {
    // Prepare
    scheduler.on(CreateScheduleCommand).resolves({});
    scheduler.on(DeleteScheduleCommand).resolves({});
    const { timers } = timersAt(T0);
    const name = `u.r2:${'f'.repeat(250)}`;
    const timer = unbanTimer({ corpId: CORP_ID, userId: MEMBER_ID }, PENALTY_ID, T0 + DAY);

    // Act
    await timers.create(name, timer.at, timer);
    await timers.cancel(name);

    // Assess
    const created = createInputs()[0]?.Name;
    const deleted = scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input.Name;
    expect(created).toMatch(/^h\.[0-9a-f]{62}$/);
    expect(deleted).toBe(created);
    expect(JSON.parse(createInputs()[0]?.Target?.Input ?? '{}')).toEqual(timer);
  });
});

describe('SchedulerTimers.cancel', () => {
  it('deletes the schedule from the group', async () => {
    // Prepare
    scheduler.on(DeleteScheduleCommand).resolves({});
    const { timers } = timersAt(T0);

    // Act
    await timers.cancel(`u.${PENALTY_ID}`);

    // Assess
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((call) => call.args[0].input)).toEqual([
      { Name: `u.${PENALTY_ID}`, GroupName: GROUP },
    ]);
  });

  it('treats a schedule that is gone (it fired and deleted itself, or was never made) as cancelled', async () => {
    // Prepare
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException(serviceError('Schedule not found.')));
    const { timers } = timersAt(T0);

    // Act
    const cancelled = timers.cancel(`u.${PENALTY_ID}`);

    // Assess
    await expect(cancelled).resolves.toBeUndefined();
  });

  it('fails when Scheduler cannot delete the schedule', async () => {
    // Prepare
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ConflictException(serviceError('Schedule is being updated.')));
    const { timers } = timersAt(T0);

    // Act
    const cancelled = timers.cancel(`u.${PENALTY_ID}`);

    // Assess
    await expect(cancelled).rejects.toThrow('Schedule is being updated.');
  });
});

describe('scheduleNameFor', () => {
  it.each([
    ['an unban timer', `u.${PENALTY_ID}`],
    ['a second unban timer', `u.${PENALTY_ID}.b`],
    ['a restore timer with a short ban id', 'r.ban-1_2'],
    ['a name of exactly 64 characters', `u.${'0'.repeat(62)}`],
  ])('keeps the name of %s as it is', (_case, name) => {
    // Act
    const scheduleName = scheduleNameFor(name);

    // Assess
    expect(scheduleName).toBe(name);
  });

  it.each([
    ['65 characters', `u.${'0'.repeat(63)}`],
    ['a linked-WeChat unban timer of 256 characters', `u.r2.${'9'.repeat(251)}`],
    ['a colon', 'u.r2:abc'],
    ['a space and non-ASCII letters', 'r.封禁 1'],
  ])('hashes a name with %s into a valid name of at most 64 characters', (_case, name) => {
    // Act
    const scheduleName = scheduleNameFor(name);

    // Assess
    expect(scheduleName).toMatch(/^h\.[0-9a-f]{62}$/);
    expect(scheduleNameFor(name)).toBe(scheduleName);
  });

  it('gives a long name and its own prefix different schedule names', () => {
    // Prepare
    const long = `u.r2.${'a'.repeat(200)}`;
    const prefix = long.slice(0, 100);

    // Act
    const names = [scheduleNameFor(long), scheduleNameFor(prefix), scheduleNameFor(long.slice(0, 65))];

    // Assess
    expect(new Set(names).size).toBe(3);
  });

  it('maps any name to a valid name, the same every time, and different names to different names', () => {
    // Prepare
    const names = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 });

    // Act & Assess
    fc.assert(
      fc.property(names, names, (first, second) => {
        const a = scheduleNameFor(first);
        expect(a).toMatch(VALID_NAME);
        expect(scheduleNameFor(first)).toBe(a);
        if (first !== second) expect(scheduleNameFor(second)).not.toBe(a);
      }),
    );
  });
});
