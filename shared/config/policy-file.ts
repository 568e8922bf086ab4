import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY_SET, type PolicySet, parsePolicySet } from '../domain/index.js';
import { ConfigError } from './errors.js';

/** Name of the variable that points at a policy file (CONTRACT §2). */
export const POLICY_FILE_ENV = 'POLICY_FILE';

/**
 * The policy set in force: the file named by POLICY_FILE when set, else the built-in default.
 * Read once at start-up; a missing, unreadable or invalid file throws naming the file and the field.
 */
export function loadPolicySet(
  env: NodeJS.ProcessEnv = process.env,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): PolicySet {
  const path = env[POLICY_FILE_ENV]?.trim();
  if (!path) return DEFAULT_POLICY_SET;
  let text: string;
  try {
    text = read(path);
  } catch (cause) {
    throw new ConfigError(`${POLICY_FILE_ENV}=${path} cannot be read`, { cause });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${POLICY_FILE_ENV}=${path} is not JSON`, { cause });
  }
  try {
    return parsePolicySet(document);
  } catch (cause) {
    throw new ConfigError(`${POLICY_FILE_ENV}=${path}: ${(cause as Error).message}`, { cause });
  }
}
