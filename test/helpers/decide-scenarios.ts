import { expect } from 'vitest';
import type { Case } from '../../shared/domain/cases.js';
import type { Decision, Violation } from '../../shared/domain/decisions.js';
import type { Policy, PolicySet } from '../../shared/domain/policy.js';
import type { EngineInput } from '../../shared/domain/types.js';
import { TERMS } from './domain-classifier.js';
import { aContactAdded, aMessage, HOUR, MEMBER_ID, T0 } from './domain-inputs.js';
import {
  aPolicy,
  aPolicySet,
  DEFAULT_POLICY,
  defaultPolicyDocument,
  FAITHFUL_POLICY,
  faithfulPolicyDocument,
} from './domain-policy.js';
import {
  type DomainRun,
  decisionsOfType,
  defined,
  type RunOptions,
  run,
  violationsIn,
} from './domain-run.js';

/** The default policy, as the scenarios read it. */
export const policy = DEFAULT_POLICY;

/**
 * A way the published rules take effect, for suites that must hold under each: the policy, policies
 * patched from it, and runs deciding under it.
 */
export interface Enforcement {
  readonly name: string;
  /** Whether detections act at once (no case is opened): the path the decision sequences show. */
  readonly actsAtOnce: boolean;
  readonly policy: Policy;
  /** What a run needs to decide this way. */
  readonly options: RunOptions;
  readonly aPolicy: (patch: Readonly<Record<string, unknown>>) => Policy;
  readonly aPolicySet: (patch: Readonly<Record<string, unknown>>) => PolicySet;
  readonly run: (inputs?: readonly EngineInput[], options?: RunOptions) => DomainRun;
}

/** `policies/wecom-faithful.json`: every category acting at once, as WeCom publishes the rules. */
export const FAITHFUL: Enforcement = {
  name: 'faithful policy',
  actsAtOnce: true,
  policy: FAITHFUL_POLICY,
  options: { policy: FAITHFUL_POLICY },
  aPolicy: (patch) => aPolicy(patch, faithfulPolicyDocument()),
  aPolicySet: (patch) => aPolicySet(patch, faithfulPolicyDocument()),
  run: (inputs = [], options = {}) => run(inputs, { policy: FAITHFUL_POLICY, ...options }),
};

/** The default policy with a reviewer confirming each case as soon as it opens. */
export const CONFIRMED_AT_ONCE: Enforcement = {
  name: 'default policy, cases confirmed',
  actsAtOnce: false,
  policy: DEFAULT_POLICY,
  options: { review: 'confirm-at-once' },
  aPolicy: (patch) => aPolicy(patch, defaultPolicyDocument()),
  aPolicySet: (patch) => aPolicySet(patch, defaultPolicyDocument()),
  run: (inputs = [], options = {}) => run(inputs, { review: 'confirm-at-once', ...options }),
};

/**
 * The two ways the published rules must hold (issue 13): under `policies/wecom-faithful.json`, every
 * category acting at once; and under the default policy once a reviewer confirms each case.
 */
export const ENFORCEMENTS: readonly Enforcement[] = [FAITHFUL, CONFIRMED_AT_ONCE];

/** A message the test classifier finds inducing to share: an R1 violation each time. */
export function inducingSharing(
  options: { at?: number; userId?: string; recipients?: readonly string[] } = {},
) {
  return aMessage({ text: `Please ${TERMS['inducing-sharing']} and get a gift`, ...options });
}

/** A marketing message (not a violation by itself) to `recipients`. */
export function marketing(recipients: readonly string[], at: number, userId?: string) {
  return aMessage({
    text: `${TERMS.marketing}: everything half price`,
    recipients,
    at,
    ...(userId ? { userId } : {}),
  });
}

/** `count` contact adds by the member, `spacing` apart from `from`. */
export function addsFrom(
  from: number,
  count: number,
  spacing: number,
  options: { userId?: string; viaContactMe?: boolean } = {},
) {
  return Array.from({ length: count }, (_, i) => aContactAdded({ at: from + i * spacing, ...options }));
}

/** The one violation among `decisions`. */
export function theViolation(decisions: readonly Decision[]): Violation {
  const violations = violationsIn(decisions);
  expect(violations).toHaveLength(1);
  return defined(violations[0], 'violation');
}

/** The status codes of the commands `decisions` rejected, with their messages. */
export function rejections(decisions: readonly Decision[]) {
  return decisionsOfType(decisions, 'command.rejected').map(({ status, message }) => ({ status, message }));
}

/** The member the run found in violation `count` times over R1 (inducing sharing), an hour apart from `from`. */
export function r1Violations(r: DomainRun, count: number, from = T0, userId = MEMBER_ID): Violation[] {
  return Array.from({ length: count }, (_, i) =>
    theViolation(r.apply(inducingSharing({ at: from + i * HOUR, userId }))),
  );
}

/** The one case `decisions` opened. */
export function theCase(decisions: readonly Decision[]): Case {
  const opened = decisionsOfType(decisions, 'case.opened');
  expect(opened).toHaveLength(1);
  return defined(opened[0], 'opened case').case;
}
