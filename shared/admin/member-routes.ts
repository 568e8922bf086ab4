import { corpView } from '../domain/index.js';
import { parseBody, unblockApplicationBody, violationReportBody } from './admin-bodies.js';
import { commandId, pageCursor, pageLimit, param, reviewerOf } from './admin-request.js';
import { jsonResponse, notAcceptedBefore, throwIfRejected } from './admin-responses.js';
import { auditJson, corpAppealJson, iso, memberJson, violationJson } from './admin-views.js';
import type { AdminResponse, RouteContext } from './types.js';

/** GET a member's view. */
export async function getMember(context: RouteContext): Promise<AdminResponse> {
  const member = await context.deps.reader.member(param(context, 'corpId'), param(context, 'userId'));
  return jsonResponse(200, memberJson(member, context.at));
}

/** GET a corp's view. */
export async function getCorp(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const { corp } = await context.deps.reader.load(corpId, null);
  const view = corpView(corp, context.deps.policies.forCorp(corpId), context.at);
  return jsonResponse(200, {
    corpId: view.corpId,
    account: view.account,
    adminAccount: view.adminAccount,
    limits: view.limits,
    day: { ...view.day, endsAt: iso(view.day.endsAt) },
    trust: { score: view.trust.value, factors: view.trust.factors },
    advice: view.advice,
    addsToday: {
      total: view.addsToday.total,
      members: view.addsToday.members.map((m) => ({ userId: m.userId, count: m.count })),
    },
    subjectVerified: corp.subjectVerified,
    appeals: corp.appeals.map((a) => corpAppealJson(corpId, a)),
    // Per category, the share of reviewers' decisions that confirmed the detection (last 90 days).
    precision: view.precision,
    enterpriseCase: view.enterpriseCase,
    policyVersion: view.policyVersion,
    asOf: iso(context.at),
  });
}

/** GET a page of a member's violations. */
export async function getViolations(context: RouteContext): Promise<AdminResponse> {
  const page = await context.deps.reader.violations(param(context, 'corpId'), param(context, 'userId'), {
    limit: pageLimit(context.query),
    cursor: pageCursor(context.query),
  });
  return jsonResponse(200, { violations: page.violations.map(violationJson), next: page.next });
}

/** GET a page of a member's audit entries, newest first. */
export async function getAudit(context: RouteContext): Promise<AdminResponse> {
  const page = await context.deps.reader.audit(param(context, 'corpId'), param(context, 'userId'), {
    limit: pageLimit(context.query),
    cursor: pageCursor(context.query),
  });
  return jsonResponse(200, { audit: page.entries.map(auditJson), next: page.next });
}

/** POST a violation a reviewer found: 201 with the member's view. */
export async function reportViolation(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const userId = param(context, 'userId');
  const body = parseBody(violationReportBody, context.body);
  const id = commandId(context, ['violation.reported', corpId, userId]);
  const evaluation = await context.deps.evaluate({
    type: 'violation.reported',
    id,
    corpId,
    userId,
    at: context.at,
    category: body.category,
    badInfluence: body.badInfluence ?? false,
    reviewer: reviewerOf(context, body.reviewer),
    ...(body.note === undefined ? {} : { note: body.note }),
  });
  throwIfRejected(evaluation);
  // A violation's id is the id of the input that found it.
  if (evaluation.status === 'duplicate') {
    if ((await context.deps.reader.violation(corpId, userId, id)) === null) throw notAcceptedBefore();
  }
  const member = await context.deps.reader.member(corpId, userId);
  return jsonResponse(201, { violationId: id, member: memberJson(member, context.at) });
}

/** POST a member's application to be unblocked. */
export async function applyForUnblock(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const userId = param(context, 'userId');
  parseBody(unblockApplicationBody, context.body, { optional: true });
  const id = commandId(context, ['unblock.requested', corpId, userId]);
  const evaluation = await context.deps.evaluate({
    type: 'unblock.requested',
    id,
    corpId,
    userId,
    at: context.at,
  });
  throwIfRejected(evaluation);
  const member = await context.deps.reader.member(corpId, userId);
  return jsonResponse(200, memberJson(member, context.at));
}
