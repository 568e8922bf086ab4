import * as z from 'zod/mini';
import { MEMBER_USER_ID, MEMBER_USER_ID_RULE, PRINTABLE_ID, PRINTABLE_ID_RULE } from '../contract/index.js';
import { issuePath, parseWith } from '../parse-with.js';
import { MalformedPayloadError } from './errors.js';

/** A member's userid (CONTRACT §3), surrounding whitespace trimmed. */
export const memberIdField = z
  .string()
  .check(z.trim(), z.regex(MEMBER_USER_ID, `must be ${MEMBER_USER_ID_RULE}`));

/** A corp id, external user id or record id (CONTRACT §3), surrounding whitespace trimmed. */
export const printableIdField = z
  .string()
  .check(z.trim(), z.regex(PRINTABLE_ID, `must be ${PRINTABLE_ID_RULE}`));

/** Validates `value` with `schema`, turning the first issue into a MalformedPayloadError naming the field. */
export function check<T extends z.ZodMiniType>(schema: T, value: unknown, what: string): z.output<T> {
  return parseWith(
    schema,
    value,
    (issue, cause) =>
      new MalformedPayloadError(`${what}: ${issuePath(issue) || 'value'} ${issue?.message ?? 'is invalid'}`, {
        cause,
      }),
  );
}

/** Drops undefined values, so optional properties are absent rather than undefined. */
export function definedOnly<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key in values) if (values[key] !== undefined) out[key] = values[key];
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
