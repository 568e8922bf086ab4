/** Names of the environment variables, shared by the Lambdas, local mode and the CDK app. */
export const ENV = {
  corpId: 'WECOM_CORP_ID',
  token: 'WECOM_TOKEN',
  encodingAesKey: 'WECOM_ENCODING_AES_KEY',
  secretArn: 'WECOM_SECRET_ARN',
  eventQueueUrl: 'EVENT_QUEUE_URL',
} as const;

/** Keys of the JSON document kept in the WeCom Secrets Manager secret. */
export const SECRET_KEYS = {
  token: 'token',
  encodingAesKey: 'encodingAesKey',
} as const;

/** WeCom waits 5 s for an answer; ingest gives up on the queue before that so it can still answer 503. */
export const INGEST_QUEUE_BUDGET_MS = 3_500;

/** Largest accepted callback body (CONTRACT §3): larger bodies get 413. */
export const MAX_CALLBACK_BODY_BYTES = 256 * 1024;
