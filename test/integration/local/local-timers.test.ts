import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LocalClock } from '../../../local/local-clock.js';
import { type LocalQueue, type QueuedMessage, startLocalQueue } from '../../../local/local-queue.js';
import { LocalTimers, startTimerLoop } from '../../../local/local-timers.js';
import { SqsCommandQueue } from '../../../shared/adapters/sqs-command-queue.js';
import { messageGroupIdFor } from '../../../shared/adapters/sqs-event-queue.js';
import { type TimerCommand, unbanScheduleName, unbanTimer } from '../../../shared/domain/timers.js';
import { CORP_ID, DAY, HOUR, MINUTE, nextId, T0 } from '../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../helpers/dynamodb.js';

const table = usePenaltyTable();
let queue: LocalQueue;
let commands: SqsCommandQueue;

beforeAll(async () => {
  queue = await startLocalQueue();
  commands = new SqsCommandQueue({ client: queue.client, queueUrl: queue.queueUrl });
});

afterAll(async () => {
  await queue.stop();
});

afterEach(async () => {
  // Every test starts with no schedule: cancel what one left pending.
  const timers = timersOn(new LocalClock());
  for (const { name } of await timers.pending()) await timers.cancel(name);
});

/** The local scheduler on the file's table, sending to the local FIFO event queue. */
function timersOn(clock: { now(): number }, sender: LocalTimersSender = commands): LocalTimers {
  return new LocalTimers({ client: table.client, tableName: table.tableName, clock, commands: sender });
}

type LocalTimersSender = ConstructorParameters<typeof LocalTimers>[0]['commands'];

/** A clock frozen at `at`, as `/local/clock` leaves it. */
function clockAt(at: number): LocalClock {
  const clock = new LocalClock();
  clock.set(at);
  return clock;
}

/** An unban timer of `userId` due at `at`, with the schedule name the engine gives it. */
function aTimer(userId: string, at: number): { name: string; command: TimerCommand } {
  const penaltyId = nextId();
  return {
    name: unbanScheduleName({ corpId: CORP_ID, userId }, penaltyId),
    command: unbanTimer({ corpId: CORP_ID, userId }, penaltyId, at),
  };
}

/** The queued messages (ready, delayed or in flight) whose body is the command with this id. */
async function queuedWithId(id: string): Promise<QueuedMessage[]> {
  return (await queue.list()).filter((message) => (JSON.parse(message.body) as TimerCommand).id === id);
}

/** The ids of the commands queued in the member's group, in the group's order. */
async function queuedIdsOf(userId: string): Promise<string[]> {
  const group = messageGroupIdFor({ corpId: CORP_ID, userId });
  return (await queue.list())
    .filter((message) => message.groupId === group)
    .map((message) => (JSON.parse(message.body) as TimerCommand).id);
}

/** Receives from the event queue until the message of the command with this id comes. */
async function receive(id: string): Promise<Message | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const received = await queue.client.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
        WaitTimeSeconds: 1,
      }),
    );
    const message = received.Messages?.find((m) => (JSON.parse(m.Body ?? '{}') as TimerCommand).id === id);
    if (message) return message;
  }
  return undefined;
}

describe('LocalTimers on the penalty table, firing onto the local FIFO event queue', () => {
  it("does not send a timer before its time, and sends it in its member's group once fireDue runs at its time", async () => {
    // Prepare
    const clock = clockAt(T0);
    const timers = timersOn(clock);
    const { name, command } = aTimer('timers-due-member', T0 + HOUR);
    await timers.create(name, T0 + HOUR, command);

    // Act
    clock.set(T0 + HOUR - 1);
    const firedEarly = await timers.fireDue();
    const queuedEarly = await queuedWithId(command.id);
    clock.set(T0 + HOUR);
    const fired = await timers.fireDue();

    // Assess
    expect(firedEarly).toBe(0);
    expect(queuedEarly).toEqual([]);
    expect(fired).toBe(1);
    const message = await receive(command.id);
    expect(message?.Attributes?.MessageGroupId).toBe(`${CORP_ID}:timers-due-member`);
    expect(JSON.parse(message?.Body ?? '{}')).toEqual(command);
    expect(await timers.pending()).toEqual([]);
  });

  it('stores a timer created twice (a redelivery) once, keeping its first due time, and fires it once', async () => {
    // Prepare
    const clock = clockAt(T0);
    const timers = timersOn(clock);
    const { name, command } = aTimer('timers-twice-member', T0 + HOUR);
    await timers.create(name, T0 + HOUR, command);

    // Act
    await timers.create(name, T0 + HOUR, command);
    await timers.create(name, T0 + 2 * HOUR, { ...command, at: T0 + 2 * HOUR });
    const pending = await timers.pending();
    const fired = await timers.fireDue(T0 + DAY);

    // Assess
    expect(pending).toEqual([{ name, at: T0 + HOUR }]);
    expect(fired).toBe(1);
    const queued = await queuedWithId(command.id);
    expect(queued).toHaveLength(1);
    expect(JSON.parse(queued[0]?.body ?? '{}')).toEqual(command);
  });

  it('cancels a timer, which then never fires; cancelling it again, or one never made, succeeds', async () => {
    // Prepare
    const clock = clockAt(T0);
    const timers = timersOn(clock);
    const kept = aTimer('timers-cancel-member', T0 + 2 * HOUR);
    const cancelled = aTimer('timers-cancel-member', T0 + HOUR);
    await timers.create(kept.name, T0 + 2 * HOUR, kept.command);
    await timers.create(cancelled.name, T0 + HOUR, cancelled.command);

    // Act
    await timers.cancel(cancelled.name);
    const pending = await timers.pending();
    const again = timers.cancel(cancelled.name);
    const neverMade = timers.cancel('u.never-made');
    const fired = await timers.fireDue(T0 + DAY);

    // Assess
    expect(pending).toEqual([{ name: kept.name, at: T0 + 2 * HOUR }]);
    await expect(again).resolves.toBeUndefined();
    await expect(neverMade).resolves.toBeUndefined();
    expect(fired).toBe(1);
    expect(await queuedIdsOf('timers-cancel-member')).toEqual([kept.command.id]);
  });

  it('can create a timer again once it was cancelled', async () => {
    // Prepare
    const timers = timersOn(clockAt(T0));
    const { name, command } = aTimer('timers-recreate-member', T0 + HOUR);
    await timers.create(name, T0 + HOUR, command);
    await timers.cancel(name);

    // Act
    await timers.create(name, T0 + 3 * HOUR, { ...command, at: T0 + 3 * HOUR });

    // Assess
    expect(await timers.pending()).toEqual([{ name, at: T0 + 3 * HOUR }]);
  });

  it('sends a timer already due at once, at its time or past it, and stores nothing', async () => {
    // Prepare
    const timers = timersOn(clockAt(T0));
    const atNow = aTimer('timers-at-once-member', T0);
    const past = aTimer('timers-at-once-member', T0 - MINUTE);

    // Act
    await timers.create(atNow.name, T0, atNow.command);
    await timers.create(past.name, T0 - MINUTE, past.command);

    // Assess
    expect(await queuedIdsOf('timers-at-once-member')).toEqual([atNow.command.id, past.command.id]);
    expect(await timers.pending()).toEqual([]);
  });

  it('fires the due timers in due order, and only those', async () => {
    // Prepare
    const timers = timersOn(clockAt(T0));
    const user = 'timers-order-member';
    const third = aTimer(user, T0 + 3 * HOUR);
    const first = aTimer(user, T0 + HOUR);
    const notDue = aTimer(user, T0 + 5 * HOUR);
    const second = aTimer(user, T0 + 2 * HOUR);
    for (const { name, command } of [third, first, notDue, second])
      await timers.create(name, command.at, command);

    // Act
    const fired = await timers.fireDue(T0 + 4 * HOUR);

    // Assess
    expect(fired).toBe(3);
    expect(await queuedIdsOf(user)).toEqual([first.command.id, second.command.id, third.command.id]);
    expect(await timers.pending()).toEqual([{ name: notDue.name, at: T0 + 5 * HOUR }]);
  });

  it('fires, in order, more due timers than one send takes', async () => {
    // Prepare
    const timers = timersOn(clockAt(T0));
    const user = 'timers-many-member';
    const due = Array.from({ length: 23 }, (_, i) => aTimer(user, T0 + (23 - i) * MINUTE));
    for (const { name, command } of due) await timers.create(name, command.at, command);

    // Act
    const fired = await timers.fireDue(T0 + HOUR);

    // Assess
    expect(fired).toBe(23);
    expect(await queuedIdsOf(user)).toEqual(due.map(({ command }) => command.id).reverse());
    expect(await timers.pending()).toEqual([]);
  });

  it('still fires, after a restart (a new LocalTimers on the same table), the timers stored before', async () => {
    // Prepare
    const before = timersOn(clockAt(T0));
    const user = 'timers-restart-member';
    const first = aTimer(user, T0 + HOUR);
    const second = aTimer(user, T0 + 2 * HOUR);
    await before.create(second.name, T0 + 2 * HOUR, second.command);
    await before.create(first.name, T0 + HOUR, first.command);

    // Act
    const after = timersOn(clockAt(T0 + DAY));
    const pending = await after.pending();
    const fired = await after.fireDue();

    // Assess
    expect(pending).toEqual([
      { name: first.name, at: T0 + HOUR },
      { name: second.name, at: T0 + 2 * HOUR },
    ]);
    expect(fired).toBe(2);
    expect(await queuedIdsOf(user)).toEqual([first.command.id, second.command.id]);
  });

  it('lists the pending timers in due order, whatever their names and however many digits their times have', async () => {
    // Prepare
    // A clock before every timer; times of 4 and 13 digits, so the store's ordering is not textual.
    const timers = timersOn({ now: () => 1_000 });
    const user = 'timers-pending-member';
    const created = [
      { name: 'a-last', at: T0 },
      { name: 'z-first', at: 9_000 },
      { name: 'b-second', at: 10_000 },
      { name: 'a-second', at: 10_000 },
    ];

    // Act
    for (const { name, at } of created) await timers.create(name, at, aTimer(user, at).command);
    const pending = await timers.pending();

    // Assess
    expect(pending).toEqual([
      { name: 'z-first', at: 9_000 },
      { name: 'a-second', at: 10_000 },
      { name: 'b-second', at: 10_000 },
      { name: 'a-last', at: T0 },
    ]);
  });
});

describe('the timer loop', () => {
  it('fires timers on the real clock, and stops firing once the clock is frozen', async () => {
    // Prepare
    const clock = new LocalClock();
    const timers = timersOn(clock);
    const errors: unknown[] = [];
    const loop = startTimerLoop(timers, clock, 20, (error) => errors.push(error));
    const user = 'timers-loop-member';
    const real = aTimer(user, Date.now() + 300);

    try {
      // Act
      await timers.create(real.name, real.command.at, real.command);
      await vi.waitFor(async () => expect(await queuedWithId(real.command.id)).toHaveLength(1), {
        timeout: 5_000,
        interval: 20,
      });
      clock.set(Date.now());
      const frozen = aTimer(user, clock.now() + 50);
      await timers.create(frozen.name, frozen.command.at, frozen.command);
      await new Promise((resolve) => setTimeout(resolve, 400));

      // Assess
      expect(await queuedIdsOf(user)).toEqual([real.command.id]);
      expect(await timers.pending()).toEqual([{ name: frozen.name, at: frozen.command.at }]);
      expect(errors).toEqual([]);
    } finally {
      await loop.stop();
    }
  });

  it('passes a failed run to onError and fires the timer on a later run', async () => {
    // Prepare: the queue refuses the first send
    const clock = new LocalClock();
    let refusals = 1;
    const timers = timersOn(clock, {
      send: async (sent) => {
        if (refusals-- > 0) throw new Error('queue unreachable');
        await commands.send(sent);
      },
    });
    const errors: unknown[] = [];
    const { name, command } = aTimer('timers-loop-error-member', Date.now() + 50);
    await timers.create(name, command.at, command);

    // Act
    const loop = startTimerLoop(timers, clock, 20, (error) => errors.push(error));
    try {
      await vi.waitFor(async () => expect(await queuedWithId(command.id)).toHaveLength(1), {
        timeout: 5_000,
        interval: 20,
      });
    } finally {
      await loop.stop();
    }

    // Assess
    expect(errors).toEqual([new Error('queue unreachable')]);
    expect(await timers.pending()).toEqual([]);
  });

  it('stops only once the run in progress has fired its timers', async () => {
    // Prepare: a slow queue, so that stop comes while a run is sending
    const clock = new LocalClock();
    let sending = false;
    const timers = timersOn(clock, {
      send: async (sent) => {
        sending = true;
        await new Promise((resolve) => setTimeout(resolve, 300));
        await commands.send(sent);
      },
    });
    const { name, command } = aTimer('timers-loop-stop-member', Date.now() + 100);
    await timers.create(name, command.at, command);
    const loop = startTimerLoop(timers, clock, 10);
    await vi.waitFor(() => expect(sending).toBe(true), { timeout: 5_000, interval: 5 });

    // Act
    await loop.stop();

    // Assess
    expect(await queuedWithId(command.id)).toHaveLength(1);
    expect(await timers.pending()).toEqual([]);
  });
});
