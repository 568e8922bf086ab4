import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { TimerCommand, Timers } from '../shared/domain/index.js';
import type { LocalClock } from './local-clock.js';

/** Partition of the due-time index: one item per pending timer, sorted by when it is due. */
const SCHEDULES_PK = 'SCHEDULES';
/** Width of the zero-padded due time in a sort key: epoch ms up to the year 33658. */
const AT_DIGITS = 15;
/** The latest due time a sort key can hold. */
const MAX_AT = 10 ** AT_DIGITS - 1;
/** How many due timers are sent (and then deleted) at a time: one SQS batch, so their order holds. */
const FIRE_CHUNK = 10;
/** Reads and retries of a cancel that finds its timer replaced between its read and its delete. */
const CANCEL_ATTEMPTS = 3;

/** Keys of the schedule items in the single table (beside `storeKeys` of the penalty store). */
export const scheduleKeys = {
  /** The due-time index item: `SCHEDULES` / `<at, 15 digits>#<name>`, so a query reads them in due order. */
  due: (at: number, name: string) => ({
    pk: SCHEDULES_PK,
    sk: `${String(at).padStart(AT_DIGITS, '0')}#${name}`,
  }),
  /** The by-name item: where a timer is found by its name, holding its due time. */
  byName: (name: string) => ({ pk: `SCHEDULE#${name}`, sk: 'SCHEDULE' }),
} as const;

/** What fired timers are sent through (the event queue: `SqsCommandQueue`). */
export interface LocalTimerCommandSender {
  send(commands: readonly TimerCommand[]): Promise<void>;
}

/** Options of the local scheduler. */
export interface LocalTimersOptions {
  readonly client: DynamoDBClient;
  /** The penalty table, whose DynamoDB Local keeps its data under DATA_DIR. */
  readonly tableName: string;
  /** Local mode's clock: what "due" means, for `create` and for `fireDue` without a time. */
  readonly clock: { now(): number };
  /** Where a timer goes when it fires, or at once when it is created already due. */
  readonly commands: LocalTimerCommandSender;
}

/** A pending timer, as the status output shows it. */
export interface PendingTimer {
  readonly name: string;
  /** When it is due (ms). */
  readonly at: number;
}

/**
 * The local scheduler, behind the same port as EventBridge Scheduler (`SchedulerTimers`), with the
 * same semantics: a timer already due is sent to the event queue at once; creating a timer that
 * exists, or cancelling one that is gone, succeeds. Its schedules are items of the penalty table,
 * so they survive a restart of local mode: a due-time index item and a by-name item per timer,
 * written and deleted together. Nothing fires by itself: `fireDue` sends what is due at the
 * clock's time (the `/local/clock` route calls it; `startTimerLoop` calls it while the clock is real).
 */
export class LocalTimers implements Timers {
  readonly #options: LocalTimersOptions;
  /** The run of `fireDue` in progress: runs queue behind each other, so none sends a timer twice. */
  #firing: Promise<unknown> = Promise.resolve();

  constructor(options: LocalTimersOptions) {
    this.#options = options;
  }

  /**
   * Stores the timer, or sends it at once when it is due already (`at` at or before the clock's
   * now). A timer of that name stored already stays as it is and counts as created.
   */
  async create(name: string, at: number, input: TimerCommand): Promise<void> {
    if (at <= this.#options.clock.now()) {
      await this.#options.commands.send([input]);
      return;
    }
    if (name.length === 0) throw new RangeError('a timer needs a name');
    // A timer is never fired early: a fractional due time rounds up to the next millisecond.
    const dueAt = Math.ceil(at);
    if (!(dueAt <= MAX_AT)) throw new RangeError(`timer ${name}: due time ${at} is not a time in ms`);
    const { client, tableName } = this.#options;
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...toKey(scheduleKeys.due(dueAt, name)),
                  name: { S: name },
                  at: { N: String(dueAt) },
                  input: { S: JSON.stringify(input) },
                },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: { ...toKey(scheduleKeys.byName(name)), at: { N: String(dueAt) } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    } catch (error) {
      // The by-name item exists: the timer was created before (Scheduler's ConflictException).
      if (!conditionFailed(error, 1)) throw error;
    }
  }

  /** Deletes the timer's two items; a timer that is gone (fired, cancelled, never made) counts as cancelled. */
  async cancel(name: string): Promise<void> {
    const { client, tableName } = this.#options;
    for (let attempt = 1; ; attempt++) {
      const found = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: toKey(scheduleKeys.byName(name)),
          ConsistentRead: true,
        }),
      );
      const at = found.Item?.at?.N;
      if (at === undefined) return;
      try {
        await client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                Delete: {
                  TableName: tableName,
                  Key: toKey(scheduleKeys.byName(name)),
                  // Still the timer read: not one fired and created again meanwhile.
                  ConditionExpression: 'attribute_exists(pk) AND #at = :at',
                  ExpressionAttributeNames: { '#at': 'at' },
                  ExpressionAttributeValues: { ':at': { N: at } },
                },
              },
              { Delete: { TableName: tableName, Key: toKey(scheduleKeys.due(Number(at), name)) } },
            ],
          }),
        );
        return;
      } catch (error) {
        if (!conditionFailed(error, 0) || attempt >= CANCEL_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Sends every timer due at `now` (default: the clock's now) to the event queue, in due order,
   * then deletes it; answers how many fired. A crash between the send and the delete sends it
   * again on the next call, which changes nothing: a timer's id is its input's marker. Calls on
   * the same instance run one after the other.
   */
  fireDue(now: number = this.#options.clock.now()): Promise<number> {
    const run = this.#firing.then(() => this.#fireDue(now));
    this.#firing = run.catch(() => undefined);
    return run;
  }

  /** The pending timers, earliest first. */
  async pending(): Promise<PendingTimer[]> {
    const items = await this.#schedules();
    return items.map((item) => ({ name: item.name?.S ?? '', at: Number(item.at?.N) }));
  }

  async #fireDue(now: number): Promise<number> {
    const upTo = Math.min(Math.floor(now), MAX_AT);
    if (!(upTo >= 0)) return 0;
    const due = await this.#schedules(upTo);
    for (let i = 0; i < due.length; i += FIRE_CHUNK) {
      const chunk = due.slice(i, i + FIRE_CHUNK);
      await this.#options.commands.send(
        chunk.map((item) => JSON.parse(item.input?.S ?? 'null') as TimerCommand),
      );
      await Promise.all(chunk.map((item) => this.#deleteFired(item)));
    }
    return due.length;
  }

  /**
   * Deletes a fired timer's two items. The by-name item goes only if it still names the due time
   * fired; if the timer was cancelled meanwhile, or cancelled and created again for another time,
   * only the index item fired is deleted.
   */
  async #deleteFired(item: Record<string, AttributeValue>): Promise<void> {
    const { client, tableName } = this.#options;
    const name = item.name?.S ?? '';
    const at = item.at?.N ?? '';
    const dueKey = { pk: { S: item.pk?.S ?? '' }, sk: { S: item.sk?.S ?? '' } };
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: dueKey } },
            {
              Delete: {
                TableName: tableName,
                Key: toKey(scheduleKeys.byName(name)),
                ConditionExpression: '#at = :at',
                ExpressionAttributeNames: { '#at': 'at' },
                ExpressionAttributeValues: { ':at': { N: at } },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!conditionFailed(error, 1)) throw error;
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: dueKey }));
    }
  }

  /** The due-time index items, in due order: all of them, or those due at or before `upTo` (ms). */
  async #schedules(upTo?: number): Promise<Record<string, AttributeValue>[]> {
    const { client, tableName } = this.#options;
    const items: Record<string, AttributeValue>[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          // `$` is the character after `#`: every `<upTo>#<name>` sorts before `<upTo>$`, and every
          // later due time after it, whatever the name holds.
          KeyConditionExpression: upTo === undefined ? 'pk = :pk' : 'pk = :pk AND sk < :bound',
          ExpressionAttributeValues: {
            ':pk': { S: SCHEDULES_PK },
            ...(upTo === undefined ? {} : { ':bound': { S: `${String(upTo).padStart(AT_DIGITS, '0')}$` } }),
          },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** A running timer loop. */
export interface TimerLoop {
  /** Stops the loop, once the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * Fires due timers on the real clock: calls `timers.fireDue()` every `intervalMs` while the clock
 * is not frozen (once `/local/clock` froze it, the route fires them). A run starts `intervalMs`
 * after the previous one ended, so runs never overlap. Logs nothing: a run's error goes to
 * `onError`, and the loop goes on.
 */
export function startTimerLoop(
  timers: Pick<LocalTimers, 'fireDue'>,
  clock: Pick<LocalClock, 'frozen'>,
  intervalMs = 1000,
  onError?: (error: unknown) => void,
): TimerLoop {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let next: NodeJS.Timeout | undefined;
  const schedule = () => {
    next = setTimeout(tick, intervalMs);
    // The loop alone does not keep the process alive.
    next.unref();
  };
  const tick = () => {
    next = undefined;
    if (stopped) return;
    running = (clock.frozen ? Promise.resolve() : timers.fireDue().then(() => undefined))
      .catch((error: unknown) => {
        try {
          onError?.(error);
        } catch {
          // A failing error handler does not stop the loop.
        }
      })
      .finally(() => {
        if (!stopped) schedule();
      });
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      if (next) clearTimeout(next);
      next = undefined;
      await running;
    },
  };
}

/** Whether a transaction was cancelled because the condition on its item at `index` failed. */
function conditionFailed(error: unknown, index: number): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}

function toKey(key: { pk: string; sk: string }): Record<string, AttributeValue> {
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
