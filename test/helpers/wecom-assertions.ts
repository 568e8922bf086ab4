import { expect } from 'vitest';
import type { WecomError } from '../../shared/wecom/errors.js';

/**
 * Runs `act`, asserts it throws an instance of `type` carrying `statusCode` (the HTTP status the
 * callback answers with), and returns the error for further checks.
 */
export function expectWecomError<E extends WecomError>(
  act: () => unknown,
  type: new (...args: never[]) => E,
  statusCode: number,
): E {
  let caught: unknown;
  try {
    act();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(type);
  const error = caught as E;
  expect(error.statusCode).toBe(statusCode);
  return error;
}
