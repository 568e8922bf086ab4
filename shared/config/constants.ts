/** Names of the environment variables, shared by the Lambdas, local mode and the CDK app. */
export const ENV = {
  corpId: 'WECOM_CORP_ID',
  token: 'WECOM_TOKEN',
  encodingAesKey: 'WECOM_ENCODING_AES_KEY',
  secretArn: 'WECOM_SECRET_ARN',
  eventQueueUrl: 'EVENT_QUEUE_URL',
  /** The event queue's dead-letter queue: where a message that can never be evaluated is moved at once. */
  eventDeadLetterQueueUrl: 'EVENT_DLQ_URL',
  /** ARN of the event queue: the target of the timers. */
  eventQueueArn: 'EVENT_QUEUE_ARN',
  /** The single DynamoDB table of member and corp state, violations, audit, appeals and markers. */
  tableName: 'TABLE_NAME',
  /** EventBridge Scheduler group of the one-time timers. */
  scheduleGroup: 'SCHEDULE_GROUP',
  /** Role EventBridge Scheduler assumes to send a fired timer to the event queue. */
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  /** Standard queue that keeps timers Scheduler could not deliver. */
  timerDeadLetterArn: 'TIMER_DLQ_ARN',
  /** EventBridge bus of the outbound events (`penalty.applied`, `penalty.lifted`, `quota.changed`). */
  eventBusName: 'EVENT_BUS_NAME',
  /** Optional policy JSON overriding the built-in default. */
  policyFile: 'POLICY_FILE',
} as const;

/** `source` of every outbound event on the EventBridge bus. */
export const OUTBOUND_EVENT_SOURCE = 'wecom-enforcement';

/** Keys of the JSON document kept in the WeCom Secrets Manager secret. */
export const SECRET_KEYS = {
  token: 'token',
  encodingAesKey: 'encodingAesKey',
} as const;

/** WeCom waits 5 s for an answer; ingest gives up on the queue before that so it can still answer 503. */
export const INGEST_QUEUE_BUDGET_MS = 3_500;

/** Largest accepted callback body (CONTRACT §3): larger bodies get 413. */
export const MAX_CALLBACK_BODY_BYTES = 256 * 1024;
