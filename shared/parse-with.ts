import * as z from 'zod/mini';

/** A validation issue, as every schema of the project reports it. */
export type ParseIssue = z.core.$ZodIssue;

/**
 * Builds the typed error of a failed parse from the first issue (undefined only if the schema gave
 * none); `cause` is the schema's own error, to be kept as the error's cause.
 */
export type ParseFailure = (issue: ParseIssue | undefined, cause: z.core.$ZodError) => Error;

/**
 * Validates `value` with `schema` and returns its output, or throws the typed error `fail` makes of
 * the first issue: the one way a zod issue becomes an error here. Each area keeps its own wording
 * (tests and CONTRACT §5 quote it), built with `issuePath`.
 */
export function parseWith<T extends z.core.$ZodType>(
  schema: T,
  value: unknown,
  fail: ParseFailure,
): z.output<T> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  throw fail(result.error.issues[0], result.error);
}

/**
 * The dotted path of the field an issue is about, '' for the value itself. With `namingUnknownKey`,
 * an unknown field (reported on its object) is named itself.
 */
export function issuePath(
  issue: ParseIssue | undefined,
  options: { readonly namingUnknownKey?: boolean } = {},
): string {
  if (!issue) return '';
  const keys = options.namingUnknownKey && issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [];
  return [...issue.path, ...keys].map(String).join('.');
}
