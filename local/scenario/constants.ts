/** The member a scenario watches when it names none. */
export const DEFAULT_SCENARIO_USER = 'zhangsan';

/** The admin actions a step can take (CONTRACT §5 and the admin API's reviewer routes). */
export const ADMIN_ACTIONS = [
  'unblock-application',
  'report',
  'appeal',
  'enterprise-appeal',
  'appeal-decision',
  'decide-case',
] as const;

/** The decisions a reviewer makes on a case (CONTRACT §5 "Human review"). */
export const CASE_DECISIONS = ['confirm', 'overturn'] as const;

/** `case` of a `decide-case` step naming the corp's undecided enterprise-block case. */
export const ENTERPRISE_CASE = 'enterprise';

/** `case` of a `decide-case` step naming the case the scenario's latest `decide-case` step decided. */
export const DECIDED_CASE = 'decided';
