import type { Penalty } from '../types.js';
import type { PenaltyContext, PenaltyStep, RuleModule } from './rule-module.js';

/** Rule 1's categories (POLICY.md, violation categories). */
export const CONTACT_HARASSMENT_CATEGORIES = [
  'harassing-marketing',
  'inducing-sharing',
  'malicious-contact-adds',
] as const;

/**
 * Rule 1: harassing customers (marketing that draws complaints, inducing sharing, abusive adds).
 * Its ladder counts strikes: a day's suspension with an unblock right, then a week's, then a ban.
 */
export const contactHarassment = {
  penalty: ({ penalties, strikes, policy, category, violationId, at }: PenaltyContext): PenaltyStep => {
    const step = strikes + 1;
    // Unblocking is for the first violation only: a second one ends that chance.
    const kept =
      step > 1 && penalties.some((q) => q.canApplyForUnblock)
        ? penalties.map((q) => (q.canApplyForUnblock ? { ...q, canApplyForUnblock: false } : q))
        : penalties;
    const duration = step === 1 ? policy.r1.firstSuspension : step === 2 ? policy.r1.secondSuspension : null;
    const penalty: Penalty = {
      id: violationId,
      scope: 'interop',
      kind: duration === null ? 'ban' : 'suspension',
      rule: 'R1',
      category,
      violationId,
      since: at,
      until: duration === null ? null : at + duration,
      canApplyForUnblock: step === 1,
    };
    return { penalty, penalties: kept };
  },
  strikes: true,
  causeKind: 'violation',
  badInfluenceBlocksCorp: false,
  notReportable: null,
  notAppealable: null,
  actsAlways: null,
  contentCategories: ['inducing-sharing'],
  // After rule 3's prohibited content: a message both inducing sharing and prohibited is the latter.
  contentPrecedence: 2,
} as const satisfies RuleModule;
