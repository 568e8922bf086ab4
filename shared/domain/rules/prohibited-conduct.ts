import type { PenaltyContext, PenaltyStep, RuleModule } from './rule-module.js';

/**
 * Rule 3: prohibited conduct and content (plug-ins, illegal or harmful content, impersonation).
 * The member account is blocked at once, and bad influence blocks the enterprise with it.
 */
export const prohibitedConduct = {
  penalty: ({ penalties, category, violationId, at }: PenaltyContext): PenaltyStep => ({
    penalty: {
      id: violationId,
      scope: 'account',
      kind: 'block',
      rule: 'R3',
      category,
      violationId,
      since: at,
      until: null,
      canApplyForUnblock: false,
    },
    penalties,
  }),
  strikes: false,
  causeKind: 'violation',
  badInfluenceBlocksCorp: true,
  notReportable: null,
  notAppealable: null,
} as const satisfies RuleModule;
