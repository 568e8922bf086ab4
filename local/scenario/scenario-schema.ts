import * as z from 'zod/mini';
import { CATEGORY_RULES, type Category, durationMs } from '../../shared/domain/index.js';
import { CALLBACK_ROUTES } from '../../shared/ingest/index.js';
import { RECORDING_ENVELOPES } from '../recording.js';
import { CASE_DECISIONS } from './constants.js';

/** The zod schemas of a scenario file: its top level, each kind of step, and the expectations. */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DURATION_HINT = 'must be an ISO-8601 duration of days, hours, minutes, seconds, such as PT2H or P1DT1H';
const TIME_HINT = 'must be an ISO time with its zone (2026-03-03T01:00:00Z) or a duration from start (P1D)';

/** Whether `text` is an ISO-8601 duration the policy reads (days, hours, minutes, seconds). */
export function isDuration(text: string): boolean {
  try {
    durationMs(text);
    return true;
  } catch {
    return false;
  }
}

/** Whether `text` is an ISO time with its zone. */
export const isIsoTime = (text: string) => ISO_TIME.test(text) && !Number.isNaN(Date.parse(text));

const text = z.string().check(z.minLength(1, 'must be a non-empty string'));
const duration = z.string().check(z.refine(isDuration, DURATION_HINT));
const timeOrOffset = z.string().check(z.refine((t) => isIsoTime(t) || isDuration(t), TIME_HINT));
const count = z.int().check(z.nonnegative('must be 0 or more'));
const category = z.enum(Object.keys(CATEGORY_RULES) as [Category, ...Category[]]);
const reason = z.nullable(
  z.strictObject({
    rule: z.optional(z.enum(['R1', 'R2', 'R3'])),
    category: z.optional(category),
    violationId: z.optional(text),
    // A provisional measure's reason says so (CONTRACT §5 "Human review").
    provisional: z.optional(z.boolean()),
  }),
);
const rule = z.enum(['R1', 'R2', 'R3']);
const caseStatus = z.enum(['open', 'expired', 'confirmed', 'overturned']);
const caseKind = z.enum(['violation', 'enterprise-block']);
/** An entry of the member's `openCases`, as an expectation names it: any of its fields. */
const openCaseExpectation = z.strictObject({
  kind: z.optional(caseKind),
  rule: z.optional(rule),
  category: z.optional(category),
  status: z.optional(z.enum(['open', 'expired'])),
});
/** The case a step looks at (GET …/cases/{caseId}): any of these fields. */
const caseExpectation = z.strictObject({
  kind: z.optional(caseKind),
  rule: z.optional(rule),
  category: z.optional(category),
  status: z.optional(caseStatus),
  badInfluence: z.optional(z.boolean()),
  provisional: z.optional(
    z.nullable(
      z.strictObject({
        scope: z.optional(z.enum(['interop', 'account'])),
        kind: z.optional(z.enum(['suspension', 'ban', 'block'])),
      }),
    ),
  ),
  decision: z.optional(
    z.nullable(
      z.strictObject({
        decision: z.optional(z.enum(CASE_DECISIONS)),
        reviewer: z.optional(text),
        reason: z.optional(text),
      }),
    ),
  ),
});
const accountExpectation = z.strictObject({
  status: z.optional(z.enum(['active', 'blocked'])),
  reason: z.optional(reason),
});
export const expectationSchema = z.strictObject({
  member: z.optional(
    z.strictObject({
      interop: z.optional(
        z.strictObject({
          status: z.optional(z.enum(['active', 'suspended', 'banned'])),
          until: z.optional(z.nullable(timeOrOffset)),
          canApplyForUnblock: z.optional(z.boolean()),
          reason: z.optional(reason),
        }),
      ),
      account: z.optional(accountExpectation),
      strikes: z.optional(count),
      linkedWeChat: z.optional(
        z.strictObject({
          status: z.optional(z.enum(['normal', 'banned'])),
          restoreAt: z.optional(z.nullable(timeOrOffset)),
        }),
      ),
      // How many undecided cases the member has, or the list itself, oldest first.
      openCases: z.optional(
        z.union([count, z.array(openCaseExpectation)], {
          error: 'must be a count of open cases, or a list of them ({"kind", "rule", "category", "status"})',
        }),
      ),
    }),
  ),
  corp: z.optional(
    z.strictObject({
      account: z.optional(accountExpectation),
      adminAccount: z.optional(accountExpectation),
      limits: z.optional(
        z.strictObject({
          contactAddsPerMemberPerDay: z.optional(count),
          contactAddsPerCorpPerDay: z.optional(count),
        }),
      ),
      advice: z.optional(z.array(text)),
      // The undecided enterprise-block case: null for none.
      enterpriseCase: z.optional(z.nullable(z.strictObject({ userId: z.optional(text) }))),
    }),
  ),
  case: z.optional(caseExpectation),
  status: z.optional(
    z.int().check(z.gte(100, 'must be an HTTP status'), z.lte(599, 'must be an HTTP status')),
  ),
});

export const scenarioSchema = z.strictObject({
  name: text,
  description: text,
  start: z
    .string()
    .check(z.refine(isIsoTime, 'must be an ISO time with its zone, such as 2026-03-02T01:00:00Z')),
  corpId: z.optional(text),
  userId: z.optional(text),
  policy: z.optional(
    z
      .string()
      .check(z.regex(/^[\w./-]+\.json$/, 'must be a policy file, such as policies/wecom-faithful.json')),
  ),
  steps: z.array(z.unknown()).check(z.minLength(1, 'must list at least one step')),
});

const stepCommon = { label: z.optional(text), expect: z.optional(expectationSchema) };
const timedCommon = { ...stepCommon, at: z.optional(duration) };

export const callbackSchema = z.strictObject({
  ...timedCommon,
  route: z.enum(CALLBACK_ROUTES),
  envelope: z.optional(z.enum(RECORDING_ENVELOPES)),
  agentId: z.optional(z.string().check(z.regex(/^\d*$/, 'must be digits'))),
  plaintext: z.union([text, z.record(z.string(), z.unknown())], {
    error: 'must be the decrypted content as a string, or as an object (XML fields, or the JSON record)',
  }),
  repeat: z.optional(z.int().check(z.gte(1, 'must be 1 or more'), z.lte(1000, 'must be at most 1000'))),
  every: z.optional(duration),
  eventAt: z.optional(duration),
});

const memberAction = { ...timedCommon, userId: z.optional(text) };
export const adminSchemas = {
  'unblock-application': z.strictObject({ ...memberAction, admin: z.literal('unblock-application') }),
  report: z.strictObject({
    ...memberAction,
    admin: z.literal('report'),
    category,
    badInfluence: z.optional(z.boolean()),
    reviewer: text,
    note: z.optional(z.string().check(z.maxLength(2000))),
  }),
  appeal: z.strictObject({ ...memberAction, admin: z.literal('appeal'), violationId: z.optional(text) }),
  'enterprise-appeal': z.strictObject({
    ...timedCommon,
    admin: z.literal('enterprise-appeal'),
    documents: z.array(text),
  }),
  'appeal-decision': z.strictObject({
    ...timedCommon,
    admin: z.literal('appeal-decision'),
    appealId: z.optional(text),
    approved: z.boolean(),
    reviewer: text,
  }),
  'decide-case': z.strictObject({
    ...memberAction,
    admin: z.literal('decide-case'),
    // "enterprise" (the corp's enterprise-block case), or a case id; default the member's first open case.
    case: z.optional(text),
    decision: z.enum(CASE_DECISIONS),
    reviewer: text,
    reason: text,
  }),
} as const;

export const clockSchema = z.strictObject({ ...stepCommon, clock: z.unknown() });
export const clockToSchema = z.strictObject({ to: duration });
export const CLOCK_HINT =
  'must be a duration to move the clock forward by ("P1D"), or {"to": <a duration from start>}';

/** The key that tells each kind of step: a callback, an admin action, a clock move. */
export const STEP_KINDS = ['route', 'admin', 'clock'] as const;
