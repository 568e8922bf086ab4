import faithfulPolicyJson from '../../policies/wecom-faithful.json' with { type: 'json' };
import defaultPolicyJson from '../../shared/domain/default-policy.json' with { type: 'json' };
import {
  DEFAULT_POLICY_SET,
  type Policy,
  type PolicySet,
  parsePolicySet,
} from '../../shared/domain/policy.js';

/** The deployment's default policy, as the engine reads it. */
export const DEFAULT_POLICY: Policy = DEFAULT_POLICY_SET.base;

/** `policies/wecom-faithful.json`: the rules as WeCom publishes them, every category acting at once. */
export const FAITHFUL_POLICY_SET: PolicySet = parsePolicySet(faithfulPolicyJson);

/** The faithful policy's base. */
export const FAITHFUL_POLICY: Policy = FAITHFUL_POLICY_SET.base;

/** A policy document section by section, as a `POLICY_FILE` holds it. */
export type PolicyDocument = Record<string, unknown>;

/** The default policy document (a fresh copy), for tests that change one field of it. */
export function defaultPolicyDocument(): PolicyDocument {
  return structuredClone(defaultPolicyJson) as PolicyDocument;
}

/** The faithful policy document (a fresh copy). */
export function faithfulPolicyDocument(): PolicyDocument {
  return structuredClone(faithfulPolicyJson) as PolicyDocument;
}

/**
 * The default document (or `base`) with `patch` merged in section by section (a patched section
 * keeps the fields it does not name); nested objects such as `trustWeights` are replaced whole.
 */
export function aPolicyDocument(
  patch: Readonly<Record<string, unknown>>,
  base: PolicyDocument = defaultPolicyDocument(),
): PolicyDocument {
  const document = base;
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
export function aPolicySet(
  patch: Readonly<Record<string, unknown>>,
  base: PolicyDocument = defaultPolicyDocument(),
): PolicySet {
  return parsePolicySet(aPolicyDocument(patch, base));
}

/** The base policy of `aPolicySet(patch, base)`. */
export function aPolicy(
  patch: Readonly<Record<string, unknown>>,
  base: PolicyDocument = defaultPolicyDocument(),
): Policy {
  return aPolicySet(patch, base).base;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
