import * as z from 'zod/mini';
import { describeIssue, parseWith } from '../parse-with.js';
import { CONTENT_CATEGORIES } from './classification.js';
import defaultPolicyJson from './default-policy.json' with { type: 'json' };
import { PolicyError } from './errors.js';
import { canonicalTimeZone, resolveZoneRule } from './resolve-zone-rule.js';
import { RULES } from './rules/rule-registry.js';
import { CATEGORY_RULES, type Category } from './types.js';

/** Days, hours, minutes, seconds; at least one number after P, and after T when there is one. */
const DURATION = /^P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds (`P1D`, `PT24H`, `P7DT12H`). */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T'))
    throw new PolicyError(`"${text}" is not a duration like P1D or PT24H`);
  const [, days, hours, minutes, seconds] = match;
  return (
    ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 +
    Number(seconds ?? 0) * 1000
  );
}

const duration = z.pipe(
  z.string().check(z.regex(DURATION, 'must be an ISO-8601 duration such as P1D or PT24H')),
  z.transform((text) => durationMs(text)),
);
const count = z.int().check(z.positive());
const days = z.int().check(z.positive(), z.lte(365));
const share = z.number().check(z.gt(0), z.lte(1));
const weight = z.number().check(z.gte(0), z.lte(1));

/** The zone whose days every per-day quantity counts in, when a policy names none: WeCom's own. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** An IANA time zone name, resolved into its offset table once, as the policy is read. */
const timeZone = z.pipe(
  z
    .string()
    .check(
      z.refine(
        (name) => canonicalTimeZone(name) !== null,
        'must be an IANA time zone name such as Asia/Shanghai or UTC',
      ),
    ),
  z.transform((name) => resolveZoneRule(name)),
);

/**
 * How a detection takes effect (POLICY.md, enforcement modes): at once, through a reviewer's case,
 * or recorded as what would have applied.
 */
export const ENFORCEMENT_MODES = ['act', 'review', 'shadow'] as const;
export type EnforcementMode = (typeof ENFORCEMENT_MODES)[number];
const mode = z.enum(ENFORCEMENT_MODES, 'must be act, review or shadow');

/** The categories whose mode the policy sets: those of every rule whose module does not always act. */
export type ModalCategory = {
  [C in Category]: (typeof RULES)[(typeof CATEGORY_RULES)[C]]['actsAlways'] extends null ? C : never;
}[Category];
export const MODAL_CATEGORIES = (Object.keys(CATEGORY_RULES) as Category[]).filter(
  (category) => RULES[CATEGORY_RULES[category]].actsAlways === null,
) as ModalCategory[];

/** What applies while a case is open: the member's interop suspended (no strike), or nothing. */
export const PROVISIONAL_MEASURES = ['suspend-interop', 'none'] as const;

const enforcement = z.strictObject({
  ...(Object.fromEntries(MODAL_CATEGORIES.map((category) => [category, mode])) as Record<
    ModalCategory,
    typeof mode
  >),
  /** Bad influence that would block the enterprise and admin accounts. */
  enterpriseBlock: z.enum(['act', 'review'], 'must be act or review'),
  provisional: z.enum(PROVISIONAL_MEASURES, `must be ${PROVISIONAL_MEASURES.join(' or ')}`),
  /** Per content category, a classifier score at which a detection acts at once whatever its mode. */
  actAtScore: z.partialRecord(z.enum(CONTENT_CATEGORIES), z.number().check(z.gt(0))),
  reviewWithin: duration,
});

const sections = {
  r1: z.strictObject({
    firstSuspension: duration,
    secondSuspension: duration,
    autoApproveUnblock: z.boolean(),
  }),
  r2: z.strictObject({ restoreDelay: duration }),
  harassment: z.strictObject({ windowDays: days, minNegativeFeedback: count }),
  contactAdds: z.strictObject({
    basePerMemberPerDay: count,
    basePerCorpPerDay: count,
    minTrust: z.number().check(z.gt(0)),
    maxTrust: z.number().check(z.gt(0)),
    minComplaints: count,
    complaintWindowDays: days,
    concentrationShare: share,
    /** A day's adds below this give no concentration advice (too few to say). */
    concentrationMinAdds: count,
    trustWeights: z.strictObject({
      completeness: weight,
      usage: weight,
      feedback: weight,
      compliance: weight,
    }),
    usageWindowDays: days,
    feedbackWindowDays: days,
    feedbackTolerance: share,
    complianceWindowDays: days,
    complianceTolerance: count,
  }),
  plugin: z.strictObject({ addsPerMinute: count, massRecipientsPerMinute: count }),
  badInfluence: z.strictObject({
    minComplaints: count,
    minRecipients: count,
    corpMembers: count,
    corpWindowDays: days,
  }),
  /** Names a member's profile may not take (the corp's brands, executives): impersonation. */
  accountInfo: z.strictObject({
    protectedNames: z.array(z.string().check(z.minLength(2), z.maxLength(64))).check(z.maxLength(500)),
  }),
  enforcement,
};

/** The sections of the policy a corp may override (besides `timeZone`, a single value). */
const SECTION_NAMES = [
  'r1',
  'r2',
  'harassment',
  'contactAdds',
  'plugin',
  'badInfluence',
  'accountInfo',
  'enforcement',
] as const;
type SectionName = (typeof SECTION_NAMES)[number];

const policyFileSchema = z.strictObject({
  version: z.string().check(z.minLength(1), z.maxLength(64)),
  /** The zone of every per-day quantity (daily limits and counters, active days, per-day windows). */
  timeZone: z.prefault(timeZone, DEFAULT_TIME_ZONE),
  ...sections,
  /**
   * A policy written before enforcement modes (an older `POLICY_FILE`) gets the built-in modes:
   * POLICY.md's defaults, text detections waiting for a reviewer.
   */
  enforcement: z.prefault(enforcement, defaultPolicyJson.enforcement as z.input<typeof enforcement>),
  /** Per-corp overrides, by corp id: `timeZone`, or any section with any subset of its fields. */
  corps: z._default(z.record(z.string(), z.record(z.string(), z.unknown())), {}),
});

/** The policy the engine decides with: every threshold and duration (durations in milliseconds). */
export type Policy = Omit<z.output<typeof policyFileSchema>, 'corps'>;

/** A validated policy file: the deployment's policy and the corps' overrides. */
export interface PolicySet {
  readonly base: Policy;
  /** The policy in force for a corp: the base with the corp's overrides, under its own version. */
  forCorp(corpId: string): Policy;
}

/** Validates a policy document; an invalid one throws PolicyError naming the field at fault. */
export function parsePolicySet(document: unknown): PolicySet {
  const parsed = validate(policyFileSchema, document, '');
  const { corps, ...base } = parsed;
  checkTrustRange(base, '');
  const perCorp = new Map<string, Policy>();
  for (const [corpId, override] of Object.entries(corps)) {
    perCorp.set(corpId, applyOverride(base, corpId, override));
  }
  return { base, forCorp: (corpId) => perCorp.get(corpId) ?? base };
}

/** The built-in default policy. */
export const DEFAULT_POLICY_SET: PolicySet = parsePolicySet(defaultPolicyJson);

function applyOverride(base: Policy, corpId: string, override: Record<string, unknown>): Policy {
  const merged: Record<string, unknown> = { ...base, version: `${base.version}+${corpId}` };
  for (const [section, fields] of Object.entries(override)) {
    if (section === 'timeZone') {
      merged.timeZone = validate(
        z.strictObject({ timeZone }),
        { timeZone: fields },
        `corps.${corpId}.`,
      ).timeZone;
      continue;
    }
    if (!(SECTION_NAMES as readonly string[]).includes(section)) {
      throw new PolicyError(`corps.${corpId}.${section}: not a section a corp can override`);
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new PolicyError(`corps.${corpId}.${section}: must be an object of the section's fields`);
    }
    const name = section as SectionName;
    // The override is validated as the whole section, so a field keeps its base value unless given.
    const raw = { ...rawSection(name, base), ...fields };
    merged[name] = validate(sections[name], raw, `corps.${corpId}.${name}.`);
  }
  checkTrustRange(merged as Policy, `corps.${corpId}.`);
  return merged as Policy;
}

/** The section in file form (durations back as text), so an override can be merged field by field. */
function rawSection(name: SectionName, policy: Policy): Record<string, unknown> {
  const section = policy[name] as Record<string, unknown>;
  if (name === 'r1') {
    return {
      ...section,
      firstSuspension: `PT${policy.r1.firstSuspension / 1000}S`,
      secondSuspension: `PT${policy.r1.secondSuspension / 1000}S`,
    };
  }
  if (name === 'r2') return { restoreDelay: `PT${policy.r2.restoreDelay / 1000}S` };
  if (name === 'enforcement')
    return { ...section, reviewWithin: `PT${policy.enforcement.reviewWithin / 1000}S` };
  return section;
}

function checkTrustRange(policy: Policy, prefix: string): void {
  if (policy.contactAdds.minTrust > 1 || policy.contactAdds.maxTrust < 1) {
    throw new PolicyError(`${prefix}contactAdds: minTrust must be at most 1 and maxTrust at least 1`);
  }
}

function validate<T extends z.ZodMiniType>(schema: T, value: unknown, prefix: string): z.output<T> {
  return parseWith(schema, value, (issue, cause) => {
    // The field at fault and what it must be, never the value given.
    const message = issue
      ? describeIssue(issue, value, `${prefix}policy`, prefix)
      : `${prefix}policy: is invalid`;
    return new PolicyError(message, { cause });
  });
}
