import type { AppealOwner, AppealStatus, LoadedState, StateReader } from '../domain/index.js';
import { APPEAL_STATUSES } from '../domain/index.js';
import { appealBody, appealDecisionBody, parseBody } from './admin-bodies.js';
import { commandId, pageCursor, pageLimit, param, reviewerOf } from './admin-request.js';
import { jsonResponse, notAcceptedBefore, throwIfRejected } from './admin-responses.js';
import { corpAppealJson, memberAppealJson } from './admin-views.js';
import { AdminNotFoundError, InvalidAdminRequestError } from './errors.js';
import type { AdminResponse, RouteContext } from './types.js';

/** POST an appeal (a member's, or the corp's): 201 with the appeal. */
export async function fileAppeal(context: RouteContext): Promise<AdminResponse> {
  const body = parseBody(appealBody, context.body);
  const id = commandId(context, ['appeal.filed', body.corpId, body.userId ?? '']);
  const evaluation = await context.deps.evaluate({
    type: 'appeal.filed',
    id,
    corpId: body.corpId,
    at: context.at,
    ...(body.userId === undefined ? {} : { userId: body.userId }),
    ...(body.violationId === undefined ? {} : { violationId: body.violationId }),
    ...(body.documents === undefined ? {} : { documents: body.documents }),
  });
  throwIfRejected(evaluation);
  // An appeal's id is the id of the command that filed it.
  const appeal = await findAppeal(context.deps.reader, id, {
    corpId: body.corpId,
    userId: body.userId ?? null,
    appeal: null,
  });
  if (!appeal) throw notAcceptedBefore();
  return jsonResponse(201, appeal, { location: `/admin/appeals/${encodeURIComponent(id)}` });
}

/** GET a page of the corp's appeals of one status (required), oldest filed first, each as GET /admin/appeals/{id} shows it. */
export async function listAppeals(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const status = context.query.get('status');
  if (status === null || !(APPEAL_STATUSES as readonly string[]).includes(status)) {
    throw new InvalidAdminRequestError(`status: must be one of ${APPEAL_STATUSES.join(', ')}`);
  }
  const page = await context.deps.reader.appeals(corpId, status as AppealStatus, {
    limit: pageLimit(context.query),
    cursor: pageCursor(context.query),
  });
  const appeals = page.appeals.map(({ userId, appeal }) =>
    // A member appeal shows its member's ids, which are its owner's: no state to load for them.
    userId !== null && 'kind' in appeal
      ? memberAppealJson({ corpId, userId }, appeal)
      : corpAppealJson(corpId, appeal),
  );
  return jsonResponse(200, { appeals, next: page.next });
}

/** GET an appeal. */
export async function getAppeal(context: RouteContext): Promise<AdminResponse> {
  const appealId = param(context, 'appealId');
  const owner = await ownerOf(context.deps.reader, appealId);
  const appeal = await findAppeal(context.deps.reader, appealId, owner);
  if (!appeal) throw new AdminNotFoundError(`appeal ${appealId} is no longer kept`);
  return jsonResponse(200, appeal);
}

/** POST a reviewer's decision on an appeal. */
export async function decideAppeal(context: RouteContext): Promise<AdminResponse> {
  const appealId = param(context, 'appealId');
  const body = parseBody(appealDecisionBody, context.body);
  const owner = await ownerOf(context.deps.reader, appealId);
  const id = commandId(context, ['appeal.decided', appealId]);
  const evaluation = await context.deps.evaluate({
    type: 'appeal.decided',
    id,
    corpId: owner.corpId,
    ...(owner.userId === null ? {} : { userId: owner.userId }),
    at: context.at,
    appealId,
    approved: body.approved,
    reviewer: reviewerOf(context, body.reviewer),
  });
  throwIfRejected(evaluation);
  const appeal = await findAppeal(context.deps.reader, appealId, owner);
  if (!appeal) throw new AdminNotFoundError(`appeal ${appealId} is no longer kept`);
  return jsonResponse(200, appeal);
}

async function ownerOf(reader: StateReader, appealId: string): Promise<AppealOwner> {
  const owner = await reader.appealOwner(appealId);
  if (!owner) throw new AdminNotFoundError(`no appeal ${appealId}`);
  return owner;
}

/** The appeal as its owner's state keeps it (a member's, or the corp's for an enterprise appeal). */
async function findAppeal(reader: StateReader, appealId: string, owner: AppealOwner) {
  const state: LoadedState = await reader.load(owner.corpId, owner.userId);
  // The state is the truth while it keeps the appeal; after it let a decided appeal go, the
  // appeal's own record answers.
  if (owner.userId === null) {
    const appeal = state.corp.appeals.find((a) => a.id === appealId) ?? owner.appeal;
    return appeal ? corpAppealJson(owner.corpId, appeal) : null;
  }
  const { member } = state;
  const kept = member?.appeals.find((a) => a.id === appealId);
  const recorded = owner.appeal && 'kind' in owner.appeal ? owner.appeal : undefined;
  const appeal = kept ?? recorded;
  return member && appeal ? memberAppealJson(member, appeal) : null;
}
