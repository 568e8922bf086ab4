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

/**
 * How long a callback waits for the WeCom keys (the Secrets Manager read started at init) before it
 * answers 503. WeCom gives URL verification 1 s and a POST 5 s: a cold GET is init (about 55 ms
 * bundled) + this + a decrypt, inside 1 s; a POST is this + INGEST_QUEUE_BUDGET_MS, inside 5 s with
 * room for Lambda's own overhead. A read that misses the deadline goes on: once it arrives it is
 * kept for the next request, and one that fails is tried again by the next.
 */
export const KEY_LOAD_DEADLINE_MS = 800;

/**
 * The Secrets Manager client of the callbacks: a connection that does not open, or a response that
 * does not come, fails fast and is tried once more, so a stuck read ends within about 2 s and the
 * next request starts a fresh one (a read that never ends would hold every later request to the
 * deadline and a 503).
 */
export const SECRETS_CLIENT_OPTIONS = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 300, requestTimeout: 700 },
} as const;

/** Largest accepted callback body (CONTRACT §3): larger bodies get 413. */
export const MAX_CALLBACK_BODY_BYTES = 256 * 1024;
