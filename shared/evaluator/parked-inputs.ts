import { hash } from 'node:crypto';

/**
 * Receives after which an input that still fails is parked rather than retried: below the event
 * queue's `maxReceiveCount` (5), so the member's later inputs go on long before the dead-letter
 * queue would take them along with it.
 */
export const PARK_AFTER_RECEIVES = 3;

/** How many parked inputs one listing returns at most. */
export const MAX_PARKED_LISTED = 200;

/** Where a parked input stands: waiting for a person, evaluated again, or dropped by a person. */
export type ParkedStatus = 'parked' | 'retried' | 'discarded';

/** An input that failed evaluation again and again, kept for a person to retry or discard. */
export interface ParkedInput {
  /** Stable for the input (its corp and id), so parking it twice keeps one item. */
  readonly id: string;
  readonly corpId: string;
  readonly userId: string | null;
  readonly inputId: string;
  readonly inputType: string;
  /** The queued message body, exactly as received. */
  readonly body: string;
  /** The last error's message (never payload text: errors name fields and ids). */
  readonly reason: string;
  readonly receives: number;
  /** When it was parked (ms). */
  readonly at: number;
  readonly status: ParkedStatus;
  /** Who resolved it and why, when it is no longer parked. */
  readonly resolution?: Omit<ParkedResolution, 'policyVersion'>;
}

/** Who resolved a parked input, when and why. */
export interface ParkedResolution {
  readonly at: number;
  readonly by: string;
  readonly note: string;
  /** The policy version in force, for the member's audit entry. */
  readonly policyVersion?: string;
}

/** The store of parked inputs (port): the evaluator parks, the admin API lists, retries, discards. */
export interface ParkedInputs {
  /** Stores the input as parked; parking one already parked (or resolved) changes nothing. */
  park(input: Omit<ParkedInput, 'status' | 'resolution'>): Promise<void>;
  /** Inputs still parked, oldest first, at most `limit`. */
  list(limit: number): Promise<ParkedInput[]>;
  get(id: string): Promise<ParkedInput | null>;
  /** Records a new failure of a retry; the input stays parked. */
  failedAgain(id: string, reason: string, at: number): Promise<void>;
  /**
   * Marks a parked input retried or discarded, with an audit entry on its member; false when it was
   * no longer parked (someone resolved it first).
   */
  resolve(
    id: string,
    status: Exclude<ParkedStatus, 'parked'>,
    resolution: ParkedResolution,
  ): Promise<boolean>;
}

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
