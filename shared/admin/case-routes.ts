import { CASE_STATUSES, type Case, type CaseStatus, isCaseId } from '../domain/index.js';
import { caseDecisionBody, parseBody } from './admin-bodies.js';
import { commandId, pageCursor, pageLimit, param, reviewerOf } from './admin-request.js';
import { jsonResponse, notAcceptedBefore, throwIfRejected } from './admin-responses.js';
import { caseJson, memberJson } from './admin-views.js';
import { AdminConflictError, AdminNotFoundError, InvalidAdminRequestError } from './errors.js';
import type { AdminResponse, RouteContext } from './types.js';

/** GET a page of a corp's cases of one status (`open` unless the query names another), oldest first. */
export async function listCases(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const status = caseStatus(context.query);
  const page = await context.deps.reader.cases(corpId, status, {
    limit: pageLimit(context.query),
    cursor: pageCursor(context.query),
  });
  return jsonResponse(200, { cases: page.cases.map(caseJson), next: page.next });
}

/** GET one case of the corp. */
export async function getCase(context: RouteContext): Promise<AdminResponse> {
  const found = await caseOfCorp(context);
  return jsonResponse(200, caseJson(found));
}

/**
 * POST a reviewer's decision on a case: the engine applies it on the case's member (confirm stands
 * the violation's penalty as of its time, overturn voids it; the provisional measure is lifted
 * either way). 200 with the member's status after it; 409 when the case was already decided.
 */
export async function decideCase(context: RouteContext): Promise<AdminResponse> {
  const body = parseBody(caseDecisionBody, context.body);
  const found = await caseOfCorp(context);
  const id = commandId(context, ['case.reviewed', found.corpId, found.id]);
  // The case record says it was decided (by another command): 409 without troubling the engine,
  // which answers the same but may, long after, no longer remember the case at all.
  if (found.decision !== null && found.decision.inputId !== id) {
    throw new AdminConflictError(`case ${found.id} is already decided`);
  }
  const evaluation = await context.deps.evaluate({
    type: 'case.reviewed',
    id,
    corpId: found.corpId,
    userId: found.userId,
    at: context.at,
    caseId: found.id,
    decision: body.decision,
    reviewer: reviewerOf(context, body.reviewer),
    reason: body.reason,
  });
  throwIfRejected(evaluation);
  // A retry of an accepted decision finds the case decided by this very command; a retry of one
  // that was refused finds it decided by another (or not at all), and answers as the first did.
  if (evaluation.status === 'duplicate') {
    const decided = await context.deps.reader.case(found.id);
    if (decided?.decision?.inputId !== id) throw notAcceptedBefore();
  }
  const member = await context.deps.reader.member(found.corpId, found.userId);
  return jsonResponse(200, memberJson(member, context.at));
}

/** The case the path names, when it is the corp's: 404 for an unknown case and for another corp's alike. */
async function caseOfCorp(context: RouteContext): Promise<Case> {
  const corpId = param(context, 'corpId');
  const caseId = param(context, 'caseId');
  // Only a case id can name a case: anything else is unknown without a read.
  const found = isCaseId(caseId) ? await context.deps.reader.case(caseId) : null;
  // Another corp's case is answered as unknown: a caller learns nothing of other corps' cases.
  if (!found || found.corpId !== corpId) throw new AdminNotFoundError(`corp ${corpId} has no case ${caseId}`);
  return found;
}

/** `status`: one of CASE_STATUSES, `open` when absent. */
function caseStatus(query: URLSearchParams): CaseStatus {
  const status = query.get('status');
  if (status === null) return 'open';
  if (!(CASE_STATUSES as readonly string[]).includes(status)) {
    throw new InvalidAdminRequestError(`status: must be one of ${CASE_STATUSES.join(', ')}`);
  }
  return status as CaseStatus;
}
