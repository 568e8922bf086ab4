import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { describeIssue, issuePath, parseWith } from '../../../shared/parse-with.js';

class ExampleError extends Error {}

const schema = z.strictObject({
  name: z.string().check(z.minLength(2)),
  kind: z.optional(z.enum(['a', 'b'])),
  code: z.optional(z.string().check(z.regex(/^[0-9]+$/, 'must be digits'))),
  tags: z.optional(z.array(z.string()).check(z.maxLength(1))),
});

function failure(value: unknown): Error {
  try {
    parseWith(
      schema,
      value,
      (issue, cause) => new ExampleError(issue ? describeIssue(issue, value, 'doc') : 'doc', { cause }),
    );
  } catch (error) {
    return error as Error;
  }
  throw new Error('parsed');
}

describe('parseWith', () => {
  it('returns the output of a valid value', () => {
    // Act
    const parsed = parseWith(schema, { name: 'ab' }, () => new ExampleError('never'));

    // Assess
    expect(parsed).toEqual({ name: 'ab' });
  });

  it('throws the typed error the caller makes, the schema error kept as its cause', () => {
    // Act
    const error = failure({ name: 'a' });

    // Assess
    expect(error).toBeInstanceOf(ExampleError);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each([
    [{}, 'name: is required'],
    [[], 'doc: must be a JSON object'],
    [{ name: 1 }, 'name: must be a string'],
    [{ name: 'a' }, 'name: must have at least 2 characters'],
    [{ name: 'ab', kind: 'c' }, 'kind: must be one of a, b'],
    [{ name: 'ab', code: 'x' }, 'code: must be digits'],
    [{ name: 'ab', tags: ['x', 'y'] }, 'tags: must have at most 1 items'],
    [{ name: 'ab', secret: 'value-42' }, 'secret: is not a known field'],
  ])('describes %j as %s, naming the field and never its value', (value, message) => {
    // Act
    const error = failure(value);

    // Assess
    expect(error.message).toBe(message);
  });
});

describe('issuePath', () => {
  it('names an unknown field itself only when asked', () => {
    // Prepare
    const result = z.safeParse(z.strictObject({ inner: z.strictObject({}) }), { inner: { extra: 1 } });
    const issue = result.error?.issues[0];

    // Act
    const paths = [issuePath(issue), issuePath(issue, { namingUnknownKey: true }), issuePath(undefined)];

    // Assess
    expect(paths).toEqual(['inner', 'inner.extra', '']);
  });
});
