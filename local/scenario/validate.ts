import type * as z from 'zod/mini';
import { ScenarioError } from './errors.js';

/** Validates `value` against `schema`, or throws a ScenarioError naming the file and the first wrong field. */
export function validate<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  file: string,
  prefix: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ScenarioError(
    file,
    issue ? describeIssue(issue, value, prefix) : `${prefix || 'scenario'}: is invalid`,
    {
      cause: result.error,
    },
  );
}

/** `<field path>: <what is wrong>`, naming an unknown field itself, never echoing a value. */
function describeIssue(issue: z.core.$ZodIssue, value: unknown, prefix: string): string {
  const name = (path: readonly PropertyKey[]) =>
    `${prefix}${path.map(String).join('.')}`.replace(/\.$/, '') || 'scenario';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${name([...issue.path, issue.keys[0] ?? ''])}: is not a known field`;
    case 'invalid_type':
      if (issue.path.length > 0 && valueAt(value, issue.path) === undefined)
        return `${name(issue.path)}: is required`;
      return `${name(issue.path)}: must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${name(issue.path)}: must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `${name(issue.path)}: ${issue.message}`;
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
