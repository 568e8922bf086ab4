import {
  ConditionalCheckFailedException,
  TransactionConflictException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { EngineInput, MemberState, Outcome, PendingEffects } from '../domain/index.js';
import { memberStanding, nextTimerAt } from '../domain/index.js';
import { encodeMemberState } from './member-state-codec.js';
import { STANDING_INDEX, SWEEP_INDEX, standingListOf, storeKeys, toKey } from './penalty-table.js';
import { SWEEP_KINDS, sweepPartition } from './sweep-partition.js';

/** How long an input's "applied" marker is kept: longer than any redelivery or replay window. */
const MARKER_TTL_SECONDS = 14 * 24 * 3600;

/**
 * Whether an input keeps an "applied" marker of its own. A member's input is remembered in its
 * member's state (`recentInputs`, the latest 16, under the version the commit must still find), so
 * a redelivery is recognised there: SQS FIFO hands a member's messages out in order, one message
 * group per member, so a redelivered input comes back before any later input of its member. The
 * marker is written where that is not enough: an input that decided anything (for 14 days its
 * marker stops it from deciding again, however late it comes back, and carries its side effects
 * until they are carried out), and a corp-wide input (no member item to remember it).
 */
export function needsMarker(member: MemberState | null, outcome: Outcome): boolean {
  return member === null || outcome.decisions.length > 0;
}

/** Whether a write is an input's marker. */
export function isMarker(item: TransactWriteItem): boolean {
  return item.Put?.Item?.sk?.S === 'INPUT';
}

/** A single write's condition failed (PutItem outside a transaction). */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

/** A single write met a transaction in flight on its item. */
export function isWriteConflict(error: unknown): boolean {
  return error instanceof TransactionConflictException;
}

/** The input's "applied" marker, which must not exist yet, with its pending side effects (the outbox). */
export function markerPut(
  tableName: string,
  input: EngineInput,
  effects: PendingEffects | null,
  now: number,
): TransactWriteItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...toKey(storeKeys.input(input.corpId, input.id)),
        expiresAt: { N: String(Math.floor(now / 1000) + MARKER_TTL_SECONDS) },
        ...(effects
          ? {
              at: { N: String(effects.at) },
              effects: { S: JSON.stringify(effects.decisions) },
              // Indexed until cleared, so the sweep finds effects a crash left pending.
              [SWEEP_INDEX.partitionKey]: {
                S: sweepPartition(SWEEP_KINDS.outbox, storeKeys.input(input.corpId, input.id).pk),
              },
              [SWEEP_INDEX.sortKey]: { N: String(now) },
            }
          : {}),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * A member's state, written only if it is still at the version it was loaded at; indexed while a
 * timer is pending, and while the member is not in good standing as of `at` (the last input's time).
 */
export function statePut(
  tableName: string,
  key: { pk: string; sk: string },
  state: MemberState,
  loadedVersion: number,
  at: number,
): TransactWriteItem {
  const timerAt = nextTimerAt(state);
  const standing = memberStanding(state, at);
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...toKey(key),
        version: { N: String(state.version) },
        state: encodeMemberState(state),
        ...(timerAt === null
          ? {}
          : {
              [SWEEP_INDEX.partitionKey]: { S: sweepPartition(SWEEP_KINDS.timers, key.pk) },
              [SWEEP_INDEX.sortKey]: { N: String(timerAt) },
            }),
        ...(standing === null
          ? {}
          : {
              [STANDING_INDEX.partitionKey]: { S: standingListOf(state.corpId, standing.standing) },
              [STANDING_INDEX.sortKey]: { N: String(Number.isFinite(standing.since) ? standing.since : at) },
            }),
      },
      // Optimistic concurrency: the state must still be the one decided on.
      ConditionExpression: loadedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :loaded',
      ...(loadedVersion === 0
        ? {}
        : { ExpressionAttributeValues: { ':loaded': { N: String(loadedVersion) } } }),
    },
  };
}

/** The update that marks an input's side effects done: no outbox, out of the sweep's index. */
export function clearedOutbox(tableName: string, corpId: string, inputId: string) {
  return {
    TableName: tableName,
    Key: toKey(storeKeys.input(corpId, inputId)),
    UpdateExpression: `REMOVE effects, ${SWEEP_INDEX.partitionKey}, ${SWEEP_INDEX.sortKey}`,
    ConditionExpression: 'attribute_exists(pk)',
  };
}
