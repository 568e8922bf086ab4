import { checkId } from './admin-request.js';
import { jsonResponse } from './admin-responses.js';
import { policyJson } from './admin-views.js';
import type { AdminResponse, RouteContext } from './types.js';

/** GET the policy in force, for a corp when the query names one. */
export async function getPolicy(context: RouteContext): Promise<AdminResponse> {
  const corpId = context.query.get('corpId');
  if (corpId === null) return jsonResponse(200, policyJson(context.deps.policies.base, null));
  checkId('corpId', corpId, 'query parameter corpId');
  return jsonResponse(200, policyJson(context.deps.policies.forCorp(corpId), corpId));
}
