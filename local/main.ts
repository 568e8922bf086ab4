import { ENV } from '../shared/config/constants.js';
import type { CallbackRoute } from '../shared/ingest/process-callback.js';
import { readLocalConfig } from './config.js';
import { LOCAL_AWS, startLocalQueue } from './local-queue.js';
import { type HttpLambda, startLocalServer } from './server.js';

/**
 * `npm start`: the callback handlers of the Lambdas, unchanged, behind a local HTTP server, with a
 * real SQS-protocol queue (fauxqs) in this process.
 */
async function main(): Promise<void> {
  const config = readLocalConfig();
  const queue = await startLocalQueue();

  // The handlers read their configuration at module scope, exactly as on Lambda: set it first.
  Object.assign(process.env, {
    [ENV.corpId]: config.corpId,
    [ENV.token]: config.token,
    [ENV.encodingAesKey]: config.encodingAesKey,
    [ENV.eventQueueUrl]: queue.queueUrl,
    AWS_ENDPOINT_URL_SQS: queue.endpoint,
    AWS_REGION: process.env.AWS_REGION ?? LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // CloudWatch embedded-metric lines are for Lambda; locally they would only fill the terminal.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_METRICS_NAMESPACE: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'WecomEnforcement',
  });
  delete process.env[ENV.secretArn];
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;

  const callbacks: Record<CallbackRoute, HttpLambda> = {
    contact: (await import('../functions/contact-callback/handler.js')).handler,
    message: (await import('../functions/message-callback/handler.js')).handler,
    'wechat-status': (await import('../functions/wechat-status-callback/handler.js')).handler,
  };
  const server = await startLocalServer({ port: config.port, callbacks, queue });

  // DATA_DIR and POLICY_FILE are read from the evaluator and policy issues on; not printed until then.
  for (const name of config.defaulted.filter((defaulted) => defaulted !== 'DATA_DIR')) {
    const value = name === ENV.corpId || name === 'PORT' ? 'default' : 'dev default';
    console.log(`${name}=${readLocalConfigValue(config, name)} (${value}; set ${name} to change it)`);
  }
  console.log(`queue: ${queue.queueUrl} (list it with: npm run queue)`);
  console.log(`listening on ${server.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await server.close();
    await queue.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

function readLocalConfigValue(config: ReturnType<typeof readLocalConfig>, name: string): string {
  switch (name) {
    case ENV.corpId:
      return config.corpId;
    case ENV.token:
      return config.token;
    case ENV.encodingAesKey:
      return config.encodingAesKey;
    case 'ADMIN_TOKEN':
      return config.adminToken;
    case 'PORT':
      return String(config.port);
    default:
      return config.dataDir;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
