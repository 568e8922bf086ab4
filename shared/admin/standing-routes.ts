import { type MemberState, memberStanding, memberView, STANDINGS, type Standing } from '../domain/index.js';
import { pageCursor, pageLimit, param } from './admin-request.js';
import { jsonResponse } from './admin-responses.js';
import { iso } from './admin-views.js';
import { InvalidAdminRequestError } from './errors.js';
import type { AdminResponse, RouteContext } from './types.js';

/**
 * GET a page of the corp's members of one standing (required), longest in it first. Each listed
 * member's standing is derived again now: one whose standing moved on since its last write (a
 * suspension run out) is left out, so a page may hold fewer than `limit` while `next` goes on.
 */
export async function listMembers(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const standing = standingOf(context.query);
  const page = await context.deps.reader.membersByStanding(corpId, standing, {
    limit: pageLimit(context.query),
    cursor: pageCursor(context.query),
  });
  const members = page.members.flatMap((member) => {
    const now = memberStanding(member, context.at);
    // A member is the corp's only under its own corp id (the index list is the corp's already).
    if (now?.standing !== standing || member.corpId !== corpId) return [];
    const view = memberViewFields(member, context.at);
    return [{ userId: member.userId, standing, ...view, since: iso(now.since) }];
  });
  return jsonResponse(200, { members, next: page.next });
}

/** The member's interop, account, strikes and undecided cases, as the list shows them. */
function memberViewFields(member: MemberState, at: number) {
  const view = memberView(member, at);
  return {
    interop: { status: view.interop.status, until: iso(view.interop.until) },
    account: { status: view.account.status },
    strikes: view.strikes,
    openCases: view.openCases.length,
  };
}

/** `standing`: required, one of STANDINGS. */
function standingOf(query: URLSearchParams): Standing {
  const standing = query.get('standing');
  if (standing === null || !(STANDINGS as readonly string[]).includes(standing)) {
    throw new InvalidAdminRequestError(`standing: must be one of ${STANDINGS.join(', ')}`);
  }
  return standing as Standing;
}
