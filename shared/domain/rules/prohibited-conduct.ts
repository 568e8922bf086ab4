import type { ContentCategory } from '../classification.js';
import type { PenaltyContext, PenaltyStep, RuleModule } from './rule-module.js';

/** Rule 3's categories (POLICY.md, violation categories). */
export const PROHIBITED_CONDUCT_CATEGORIES = [
  'plugin-use',
  'malicious-registration',
  'account-info-violation',
  'fake-order-content',
  'security-threat',
  'infringement',
  'pornography',
  'violence',
  'gambling',
  'gang-terror',
  'illegal-trade',
  'fraud',
  'false-information',
  'other-illegal',
] as const;

/** Rule 3's categories that message text is classified into, most severe first. */
export const PROHIBITED_CONTENT = [
  'security-threat',
  'gang-terror',
  'violence',
  'pornography',
  'gambling',
  'illegal-trade',
  'fraud',
  'fake-order-content',
  'infringement',
  'false-information',
] as const satisfies readonly (ContentCategory & (typeof PROHIBITED_CONDUCT_CATEGORIES)[number])[];

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
  actsAlways: null,
  contentCategories: PROHIBITED_CONTENT,
  contentPrecedence: 1,
} as const satisfies RuleModule;
