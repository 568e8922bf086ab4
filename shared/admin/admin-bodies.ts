import * as z from 'zod/mini';
import { MEMBER_USER_ID, MEMBER_USER_ID_RULE, PRINTABLE_ID, PRINTABLE_ID_RULE } from '../domain/ids.js';
import { CATEGORY_RULES, type Category } from '../domain/types.js';
import { HttpFacingError } from '../errors.js';
import { parseWith } from '../parse-with.js';
import { truncate } from './admin-responses.js';
import { CONTROL, MAX_ID_LENGTH } from './constants.js';

const idString = z.string().check(
  z.minLength(1),
  z.maxLength(MAX_ID_LENGTH),
  z.refine((text) => !CONTROL.test(text), { abort: true }),
);
/** A corp id is also part of the store's keys (`MEMBER#<corpId>#<userId>`), so it may not hold `#`. */
const corpIdString = z.string().check(
  z.regex(PRINTABLE_ID, `must be ${PRINTABLE_ID_RULE}`),
  z.refine((text) => !text.includes('#'), { abort: true }),
);
const memberIdString = z.string().check(z.regex(MEMBER_USER_ID, `must be ${MEMBER_USER_ID_RULE}`));
const category = z.enum(Object.keys(CATEGORY_RULES) as [Category, ...Category[]]);

export const violationReportBody = z.strictObject({
  category,
  badInfluence: z.optional(z.boolean()),
  reviewer: idString,
  note: z.optional(z.string().check(z.maxLength(2000))),
});
export const unblockApplicationBody = z.strictObject({});
export const appealBody = z.strictObject({
  corpId: corpIdString,
  userId: z.optional(memberIdString),
  violationId: z.optional(idString),
  documents: z.optional(z.array(idString).check(z.maxLength(20))),
});
export const appealDecisionBody = z.strictObject({ approved: z.boolean(), reviewer: idString });
export const parkedDecisionBody = z.strictObject({
  reviewer: z.optional(idString),
  reason: z.optional(z.string().check(z.maxLength(2000))),
});

/** Parses and validates a JSON body; a failure names the field (never its value). */
export function parseBody<T extends z.ZodMiniType>(
  schema: T,
  body: string | null,
  options: { optional?: boolean } = {},
): z.output<T> {
  let json: unknown;
  if (body === null || body.trim() === '') {
    if (!options.optional) throw new HttpFacingError('body: a JSON object is required', 400);
    json = {};
  } else {
    try {
      json = JSON.parse(body);
    } catch {
      throw new HttpFacingError('body: is not valid JSON', 400);
    }
  }
  return parseWith(
    schema,
    json,
    (issue, cause) =>
      new HttpFacingError(issue ? describeIssue(issue, json) : 'body: is invalid', 400, { cause }),
  );
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const field = (path: readonly PropertyKey[]) => (path.length === 0 ? 'body' : path.map(String).join('.'));
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field([...issue.path, truncate(issue.keys[0] ?? '', 64)])}: is not a known field`;
    case 'invalid_type': {
      if (issue.path.length > 0 && valueAt(json, issue.path) === undefined) {
        return `${field(issue.path)}: is required`;
      }
      const expected = issue.expected === 'object' ? 'a JSON object' : `${article(issue.expected)}`;
      return `${field(issue.path)}: must be ${expected}`;
    }
    case 'invalid_value':
      return `${field(issue.path)}: must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `${field(issue.path)}: must have at least ${issue.minimum} ${unitOf(issue.origin)}`;
    case 'too_big':
      return `${field(issue.path)}: must have at most ${issue.maximum} ${unitOf(issue.origin)}`;
    case 'invalid_format':
      // Id rules carry their own message (CONTRACT §3).
      return `${field(issue.path)}: ${issue.message}`;
    case 'custom':
      // The refinements: ids without control characters (and a corp id without '#').
      return `${field(issue.path)}: may not contain ${issue.path.at(-1) === 'corpId' ? '#' : 'control characters'}`;
    default:
      return `${field(issue.path)}: is not valid`;
  }
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function unitOf(origin: string): string {
  return origin === 'array' || origin === 'set' ? 'items' : 'characters';
}
