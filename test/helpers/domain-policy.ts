import defaultPolicyJson from '../../shared/domain/default-policy.json' with { type: 'json' };
import {
  DEFAULT_POLICY_SET,
  type Policy,
  type PolicySet,
  parsePolicySet,
} from '../../shared/domain/policy.js';

/** The deployment's default policy, as the engine reads it. */
export const DEFAULT_POLICY: Policy = DEFAULT_POLICY_SET.base;

/** A policy document section by section, as a `POLICY_FILE` holds it. */
export type PolicyDocument = Record<string, unknown>;

/** The default policy document (a fresh copy), for tests that change one field of it. */
export function defaultPolicyDocument(): PolicyDocument {
  return structuredClone(defaultPolicyJson) as PolicyDocument;
}

/**
 * The default document with `patch` merged in section by section (a patched section keeps the
 * fields it does not name); nested objects such as `trustWeights` are replaced whole.
 */
export function aPolicyDocument(patch: Readonly<Record<string, unknown>>): PolicyDocument {
  const document = defaultPolicyDocument();
  for (const [key, value] of Object.entries(patch)) {
    const current = document[key];
    document[key] =
      isRecord(current) && isRecord(value) && key !== 'corps'
        ? { ...current, ...value }
        : structuredClone(value);
  }
  return document;
}

/** A validated policy set from the default document with `patch` merged in. */
export function aPolicySet(patch: Readonly<Record<string, unknown>>): PolicySet {
  return parsePolicySet(aPolicyDocument(patch));
}

/** The base policy of `aPolicySet(patch)`. */
export function aPolicy(patch: Readonly<Record<string, unknown>>): Policy {
  return aPolicySet(patch).base;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
