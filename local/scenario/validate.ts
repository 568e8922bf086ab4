import type * as z from 'zod/mini';
import { describeIssue, parseWith } from '../../shared/parse-with.js';
import { ScenarioError } from './errors.js';

/** Validates `value` against `schema`, or throws a ScenarioError naming the file and the first wrong field. */
export function validate<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  file: string,
  prefix: string,
): z.output<T> {
  const root = prefix.replace(/\.$/, '') || 'scenario';
  return parseWith(
    schema,
    value,
    (issue, cause) =>
      new ScenarioError(file, issue ? describeIssue(issue, value, root, prefix) : `${root}: is invalid`, {
        cause,
      }),
  );
}
