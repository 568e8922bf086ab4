import { createHash } from 'node:crypto';
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  type SchedulerClient,
} from '@aws-sdk/client-scheduler';
import type { TimerCommand, Timers } from '../domain/index.js';
import { queueBody } from './queue-body.js';
import { messageGroupIdFor } from './sqs-event-queue.js';

/** EventBridge Scheduler schedule names: 1–64 characters of letters, digits, `-`, `_` and `.`. */
const SCHEDULE_NAME = /^[0-9a-zA-Z_.-]{1,64}$/;
/** Prefix of a hashed schedule name: no domain name starts with it, so the two kinds stay apart. */
const HASHED_PREFIX = 'h.';
/** Scheduler's largest retry policy: 185 attempts over 24 hours, then the dead-letter queue. */
const RETRY_POLICY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 } as const;

/** What a due timer is sent through instead of a schedule (the event queue). */
export interface TimerCommandSender {
  send(commands: readonly TimerCommand[]): Promise<void>;
}

/** Options of the EventBridge Scheduler timers adapter. */
export interface SchedulerTimersOptions {
  readonly client: SchedulerClient;
  /** The schedule group every timer is created in. */
  readonly groupName: string;
  /** ARN of the FIFO event queue the timers fire onto. */
  readonly queueArn: string;
  /** Role Scheduler assumes to send to the queue. */
  readonly roleArn: string;
  /** Queue that keeps the timers Scheduler could not deliver. */
  readonly deadLetterArn: string;
  /** Where a timer already due goes at once. */
  readonly commands: TimerCommandSender;
  readonly now?: () => number;
  /** A timer due within this many ms is sent at once rather than scheduled (default one minute). */
  readonly dueMarginMs?: number;
}

/**
 * The Scheduler name of a timer: the timer's own name when Scheduler accepts it, otherwise `h.`
 * and the first 62 hex digits of its SHA-256, so any name maps to the same valid name every time
 * and different names to different ones.
 */
export function scheduleNameFor(name: string): string {
  if (SCHEDULE_NAME.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex');
  return `${HASHED_PREFIX}${hash.slice(0, 64 - HASHED_PREFIX.length)}`;
}

/**
 * The CreateSchedule idempotency token of a timer: the same for every attempt at the same timer, so
 * a retried request creates one schedule. The group is part of it because Scheduler keeps client
 * tokens for the account and region, not per group: two stages in one account evaluating the same
 * recorded input (a replay into `dev` of what `prod` received) create the same timer name at the
 * same time, and without the group the second stage's request would be taken for a retry of the
 * first's and create nothing in its own group.
 */
function clientTokenFor(groupName: string, name: string, at: number): string {
  return createHash('sha256').update(`${groupName}\n${name}\n${at}`).digest('hex');
}

/** Scheduler's one-time expression for `at` (ms) in UTC, rounded up to the second so it never fires early. */
export function atExpressionFor(at: number): string {
  const seconds = new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19);
  return `at(${seconds})`;
}

/**
 * Timers on EventBridge Scheduler: one one-time schedule per timer, in one group, that sends the
 * timer command to the FIFO event queue in its member's group and deletes itself once it fired.
 * A timer already due, or due within the margin, is sent to the queue at once: Scheduler does not
 * fire a one-time schedule whose time has passed.
 */
export class SchedulerTimers implements Timers {
  readonly #options: Required<SchedulerTimersOptions>;

  constructor(options: SchedulerTimersOptions) {
    this.#options = {
      ...options,
      now: options.now ?? Date.now,
      dueMarginMs: options.dueMarginMs ?? 60_000,
    };
  }

  /** Creates the schedule; one that exists already (a redelivery created it) counts as created. */
  async create(name: string, at: number, input: TimerCommand): Promise<void> {
    const options = this.#options;
    if (at <= options.now() + options.dueMarginMs) {
      await options.commands.send([input]);
      return;
    }
    try {
      await options.client.send(
        new CreateScheduleCommand({
          Name: scheduleNameFor(name),
          GroupName: options.groupName,
          ScheduleExpression: atExpressionFor(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          State: 'ENABLED',
          Target: {
            Arn: options.queueArn,
            RoleArn: options.roleArn,
            Input: queueBody(input),
            SqsParameters: { MessageGroupId: messageGroupIdFor(input) },
            RetryPolicy: RETRY_POLICY,
            DeadLetterConfig: { Arn: options.deadLetterArn },
          },
          ClientToken: clientTokenFor(options.groupName, name, at),
        }),
      );
    } catch (error) {
      if (!isNamed(error, 'ConflictException')) throw error;
    }
  }

  /** Deletes the schedule; one that is gone (fired and deleted itself, or never made) counts as deleted. */
  async cancel(name: string): Promise<void> {
    try {
      await this.#options.client.send(
        new DeleteScheduleCommand({ Name: scheduleNameFor(name), GroupName: this.#options.groupName }),
      );
    } catch (error) {
      if (!isNamed(error, 'ResourceNotFoundException')) throw error;
    }
  }
}

/** Whether an error is the AWS service exception of that name. */
function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
