import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { callbackDependenciesFromEnv, createCallbackHandler } from '../../shared/ingest/index.js';

const logger = new Logger({ serviceName: 'wechat-status-callback' });
const metrics = new Metrics({ serviceName: 'wechat-status-callback' });

/** WeCom callback route /callbacks/wechat-status: URL verification (GET) and events (POST). */
export const handler = createCallbackHandler(
  'wechat-status',
  callbackDependenciesFromEnv(logger),
  logger,
  metrics,
);
