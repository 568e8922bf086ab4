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

/** The message zod/mini gives an issue whose schema set none (no locale is loaded). */
const DEFAULT_MESSAGE = 'Invalid input';

/**
 * A message for the first issue of a JSON document that names the field (never its value): the
 * schema's own message when it set one, else one written from the issue's code. `root` names the
 * document itself; `value` is the document, to tell a missing field from a wrong one; `prefix` is
 * put before every field's path (where the document is part of a larger one, as `steps.3.`).
 */
export function describeIssue(issue: ParseIssue, value: unknown, root: string, prefix = ''): string {
  const field = (path: readonly PropertyKey[]) =>
    path.length === 0 ? root : `${prefix}${path.map(String).join('.')}`;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return `${field([...issue.path, key.length <= 64 ? key : `${key.slice(0, 64)}…`])}: is not a known field`;
  }
  if (issue.message !== DEFAULT_MESSAGE) return `${field(issue.path)}: ${issue.message}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.path.length > 0 && valueAt(value, issue.path) === undefined) {
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
