import { compare } from './compare.js';
import { DECIDED_CASE, ENTERPRISE_CASE } from './constants.js';
import { ScenarioRunError } from './errors.js';
import type { LocalModeClient } from './local-mode-client.js';
import type { AdminAction, CaseExpectation, CorpStatus, MemberStatus, Scenario } from './types.js';

/** The built-in policy's file, which `npm start` runs without POLICY_FILE. */
export const BUILT_IN_POLICY = 'shared/domain/default-policy.json';

/** Human review in a scenario: the policy it needs, the case a step decides, the case a step checks. */

/**
 * Why the scenario cannot run against this server, or undefined: a scenario that names a policy
 * needs the server to run it (GET /admin/policy's version), as its expectations assume its modes.
 */
export async function policyRefusal(
  scenario: Scenario,
  client: LocalModeClient,
): Promise<string | undefined> {
  if (!scenario.policy) return undefined;
  const answer = await client.request('GET', '/admin/policy');
  const running = (answer.body as { version?: unknown } | null)?.version;
  if (answer.status !== 200 || typeof running !== 'string') {
    throw new ScenarioRunError(`GET /admin/policy answered ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  if (running === scenario.policy.version) return undefined;
  const start =
    scenario.policy.file === BUILT_IN_POLICY
      ? 'start it without POLICY_FILE (the built-in policy)'
      : `start it with POLICY_FILE=${scenario.policy.file}`;
  return (
    `the scenario is written for ${scenario.policy.file} (version ${scenario.policy.version}), but the server ` +
    `runs policy ${running}: ${start} on a fresh DATA_DIR`
  );
}

/**
 * The case a `decide-case` step decides: the one it names, the corp's enterprise-block case
 * (`enterprise`), the one the scenario's latest `decide-case` step decided (`decided`: deciding it
 * again is refused, 409), or by default the member's first open case (oldest first); undefined for none.
 */
export function caseToDecide(
  request: Extract<AdminAction, { action: 'decide-case' }>,
  views: { member: MemberStatus; corp: CorpStatus },
  lastDecided: string | undefined,
): string | undefined {
  if (request.caseId === DECIDED_CASE) {
    if (lastDecided === undefined) throw new ScenarioRunError('decide-case: no case decided before it');
    return lastDecided;
  }
  if (request.caseId === ENTERPRISE_CASE) {
    const id = views.corp.enterpriseCase?.id;
    if (id === undefined) throw new ScenarioRunError('decide-case: the corp has no enterprise case open');
    return id;
  }
  return request.caseId ?? views.member.openCases?.[0]?.id;
}

/**
 * Reads the case a step looks at (the one it decided, else the member's first open case) and
 * checks `expected` against it; answers the case read and how many values were checked.
 */
export async function checkCase(
  expected: CaseExpectation,
  caseId: string | undefined,
  context: { client: LocalModeClient; corpId: string },
  failures: string[],
): Promise<{ found?: Record<string, unknown>; checked: number }> {
  if (caseId === undefined) {
    failures.push(`case: expected ${JSON.stringify(expected)}, got no case (none decided, none open)`);
    return { checked: 1 };
  }
  const path = `/admin/corps/${encodeURIComponent(context.corpId)}/cases/${encodeURIComponent(caseId)}`;
  const answer = await context.client.request('GET', path);
  if (answer.status !== 200) {
    failures.push(`case: GET ${path} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    return { checked: 1 };
  }
  const found = answer.body as Record<string, unknown>;
  return { found, checked: compare(expected, found, 'case', failures) };
}
