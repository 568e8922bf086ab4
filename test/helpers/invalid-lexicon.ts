import { expect } from 'vitest';
import { InvalidLexiconError } from '../../shared/classifier/errors.js';

/** The message of what `act` throws, failing the test when it does not throw an InvalidLexiconError. */
export function invalidLexiconMessage(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidLexiconError);
    return (error as InvalidLexiconError).message;
  }
  throw new Error('expected an InvalidLexiconError');
}
