import type { Decision } from '../domain/index.js';
import type { Evaluation } from '../evaluator/index.js';
import { JSON_HEADERS } from '../http/index.js';
import { AdminConflictError, AdminError } from './errors.js';
import type { AdminResponse } from './types.js';

/** A JSON answer. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): AdminResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** An error answer: `{"error": message}`. */
export function errorResponse(
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): AdminResponse {
  return jsonResponse(statusCode, { error: message }, headers);
}

/** The text cut to `length` characters, with an ellipsis when cut. */
export function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

/** Throws the rejection a command's decisions carry (400, 404, 409), if any. */
export function throwIfRejected(evaluation: Evaluation): void {
  const rejected = evaluation.decisions.find(
    (d): d is Extract<Decision, { type: 'command.rejected' }> => d.type === 'command.rejected',
  );
  if (rejected) throw new AdminError(rejected.message, rejected.status);
}

/** What a retried request answers when its first attempt was refused: that refusal is not kept. */
export function notAcceptedBefore(): AdminConflictError {
  return new AdminConflictError(
    'a request with this Idempotency-Key was already processed and not accepted; use a new key',
  );
}
