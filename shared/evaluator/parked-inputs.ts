import { hash } from 'node:crypto';

/**
 * Receives after which an input that still fails is parked rather than retried: below the event
 * queue's `maxReceiveCount` (5), so the member's later inputs go on long before the dead-letter
 * queue would take them along with it.
 */
export const PARK_AFTER_RECEIVES = 3;

/** How many parked inputs one listing returns at most. */
export const MAX_PARKED_LISTED = 200;

/** The id of a parked input: the same for every delivery of one input. */
export function parkedIdOf(corpId: string, inputId: string): string {
  return hash('sha256', `${corpId}\n${inputId}`, 'hex').slice(0, 32);
}

/** The longest failure reason kept with a parked input: an error's message may be long. */
const MAX_REASON_LENGTH = 1_000;

/** Why an input failed, as a parked input keeps it: the error's name and message, bounded. */
export function failureReason(error: unknown): string {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return reason.length <= MAX_REASON_LENGTH ? reason : `${reason.slice(0, MAX_REASON_LENGTH - 1)}…`;
}
