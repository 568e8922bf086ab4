import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsEventQueue } from '../adapters/index.js';
import {
  ENV,
  INGEST_QUEUE_BUDGET_MS,
  loadCallbackKeys,
  memoizeAsync,
  requireEnv,
  SECRETS_CLIENT_OPTIONS,
} from '../config/index.js';
import type { CallbackDependencies, CallbackLog } from './process-callback.js';

/**
 * Wires a callback route from the environment: required variables are checked now (a missing one
 * throws naming it), and the WeCom keys start loading at once, so on Lambda the Secrets Manager
 * read happens during init and is cached for the life of the container. A request waits for them
 * at most KEY_LOAD_DEADLINE_MS (processCallback); the client's own timeouts end a stuck read.
 */
export function callbackDependenciesFromEnv(
  log?: CallbackLog,
  env: NodeJS.ProcessEnv = process.env,
): CallbackDependencies {
  requireEnv(ENV.corpId, env);
  const queueUrl = requireEnv(ENV.eventQueueUrl, env);
  const endpoint = env.AWS_ENDPOINT_URL_SQS;
  const client = new SQSClient({
    // Local mode points SQS at its embedded server; set explicitly so the SDK does not prefer the
    // host inside the queue URL.
    ...(endpoint ? { endpoint } : {}),
    // Retries are ours (SqsEventQueue), bounded by WeCom's 5-second wait.
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1_500 },
  });
  const keys = memoizeAsync(() =>
    loadCallbackKeys(env, async () => {
      const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      return new SecretsManagerClient({ ...SECRETS_CLIENT_OPTIONS });
    }),
  );
  keys().catch(() => undefined);
  return {
    keys,
    queue: new SqsEventQueue({ client, queueUrl, budgetMs: INGEST_QUEUE_BUDGET_MS }),
    ...(log ? { log } : {}),
  };
}
