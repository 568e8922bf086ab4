import * as z from 'zod/mini';
import { MEMBER_USER_ID, MEMBER_USER_ID_RULE, PRINTABLE_ID, PRINTABLE_ID_RULE } from '../contract/index.js';
import { CATEGORY_RULES, type Category } from '../domain/index.js';
import { describeIssue, parseWith } from '../parse-with.js';
import { CONTROL, MAX_ID_LENGTH } from './constants.js';
import { InvalidAdminRequestError } from './errors.js';

const idString = z.string().check(
  z.minLength(1),
  z.maxLength(MAX_ID_LENGTH),
  z.refine((text) => !CONTROL.test(text), { abort: true, message: 'may not contain control characters' }),
);
/** A corp id is also part of the store's keys (`MEMBER#<corpId>#<userId>`), so it may not hold `#`. */
const corpIdString = z.string().check(
  z.regex(PRINTABLE_ID, `must be ${PRINTABLE_ID_RULE}`),
  z.refine((text) => !text.includes('#'), { abort: true, message: 'may not contain #' }),
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
/** A reviewer's decision on a case: the reviewer as a report names one, and why (required). */
export const caseDecisionBody = z.strictObject({
  decision: z.enum(['confirm', 'overturn']),
  reviewer: idString,
  reason: z.string().check(z.minLength(1), z.maxLength(2000)),
});
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
    if (!options.optional) throw new InvalidAdminRequestError('body: a JSON object is required');
    json = {};
  } else {
    try {
      json = JSON.parse(body);
    } catch {
      throw new InvalidAdminRequestError('body: is not valid JSON');
    }
  }
  return parseWith(
    schema,
    json,
    (issue, cause) =>
      new InvalidAdminRequestError(issue ? describeIssue(issue, json, 'body') : 'body: is invalid', {
        cause,
      }),
  );
}
