/** The member a scenario watches when it names none. */
export const DEFAULT_SCENARIO_USER = 'zhangsan';

/** The admin actions a step can take (CONTRACT §5 and the admin API's reviewer routes). */
export const ADMIN_ACTIONS = [
  'unblock-application',
  'report',
  'appeal',
  'enterprise-appeal',
  'appeal-decision',
] as const;
