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

/**
 * Sets each defined value of `optional` on `target`, in `optional`'s order, and returns `target`:
 * optional properties end up absent rather than undefined. Used on objects just built as
 * literals, where it is several times cheaper than spreading `definedOnly(optional)` into them
 * (a spread builds the object by a slow generic path; the ingest bench measures the difference).
 */
export function assignDefined<T extends object, O extends Record<string, unknown>>(
  target: T,
  optional: O,
): T & { [K in keyof O]?: Exclude<O[K], undefined> } {
  const out = target as Record<string, unknown>;
  for (const key in optional) if (optional[key] !== undefined) out[key] = optional[key];
  return target as T & { [K in keyof O]?: Exclude<O[K], undefined> };
}

/** Drops undefined values, so optional properties are absent rather than undefined. */
export function definedOnly<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const key in values) if (values[key] !== undefined) out[key] = values[key];
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
