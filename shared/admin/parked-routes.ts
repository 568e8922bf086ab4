import type { EngineInput, ParkedInput, ParkedInputs } from '../domain/index.js';
import { InvalidInputError, parseEngineInput } from '../domain/index.js';
import type { Evaluation } from '../evaluator/index.js';
import { failureReason, MAX_PARKED_LISTED } from '../evaluator/index.js';
import { parkedDecisionBody, parseBody } from './admin-bodies.js';
import { param, reviewerOf } from './admin-request.js';
import { jsonResponse } from './admin-responses.js';
import { parkedJson } from './admin-views.js';
import { PARKED_ID } from './constants.js';
import { AdminConflictError, AdminNotFoundError, InvalidAdminRequestError } from './errors.js';
import type { AdminResponse, RouteContext } from './types.js';

function parkedStore(context: RouteContext): ParkedInputs {
  const { parked } = context.deps;
  if (!parked) throw new AdminNotFoundError('parked inputs are not kept by this deployment');
  return parked;
}

/** The parked input a route names, still parked: 404 when unknown, 409 when already resolved. */
async function stillParked(context: RouteContext): Promise<ParkedInput> {
  const id = param(context, 'parkedId');
  if (!PARKED_ID.test(id)) throw new InvalidAdminRequestError('parkedId must be 32 hexadecimal digits');
  const parked = await parkedStore(context).get(id);
  if (!parked) throw new AdminNotFoundError(`no parked input ${id}`);
  if (parked.status !== 'parked')
    throw new AdminConflictError(`parked input ${id} is already ${parked.status}`);
  return parked;
}

/** GET the parked inputs. */
export async function listParked(context: RouteContext): Promise<AdminResponse> {
  const parked = await parkedStore(context).list(MAX_PARKED_LISTED);
  return jsonResponse(200, { parked: parked.map(parkedJson) });
}

/**
 * Evaluates a parked input again through the evaluator: once it succeeds it is marked retried (its
 * input marker makes a second evaluation a no-op); while it fails it stays parked with the new
 * error, answered 409.
 */
export async function retryParked(context: RouteContext): Promise<AdminResponse> {
  const parked = await stillParked(context);
  const body = parseBody(parkedDecisionBody, context.body, { optional: true });
  let input: EngineInput;
  try {
    input = parseEngineInput(parked.body);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new AdminConflictError(`parked input ${parked.id} is not an input: ${error.message}`);
  }
  let evaluation: Evaluation;
  try {
    evaluation = await context.deps.evaluate(input);
  } catch (error) {
    const reason = failureReason(error);
    await parkedStore(context).failedAgain(parked.id, reason, context.at);
    throw new AdminConflictError(`parked input ${parked.id} failed again and stays parked: ${reason}`);
  }
  await parkedStore(context).resolve(parked.id, 'retried', {
    at: context.at,
    by: reviewerOf(context, body.reviewer ?? 'admin-api'),
    note: body.reason ?? '',
    policyVersion: context.deps.policies.forCorp(parked.corpId).version,
  });
  return jsonResponse(200, { id: parked.id, status: 'retried', evaluation: evaluation.status });
}

/** Drops a parked input for good, with an audit entry on its member saying who and why. */
export async function discardParked(context: RouteContext): Promise<AdminResponse> {
  const parked = await stillParked(context);
  const body = parseBody(parkedDecisionBody, context.body, { optional: true });
  const done = await parkedStore(context).resolve(parked.id, 'discarded', {
    at: context.at,
    by: reviewerOf(context, body.reviewer ?? 'admin-api'),
    note: body.reason ?? '',
    policyVersion: context.deps.policies.forCorp(parked.corpId).version,
  });
  if (!done) throw new AdminConflictError(`parked input ${parked.id} was resolved meanwhile`);
  return jsonResponse(200, { id: parked.id, status: 'discarded' });
}
