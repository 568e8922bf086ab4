import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { callbackDependenciesFromEnv, createCallbackHandler } from '../../shared/ingest/index.js';

const logger = new Logger({ serviceName: 'message-callback' });
const metrics = new Metrics({ serviceName: 'message-callback' });

/** WeCom callback route /callbacks/message: URL verification (GET) and events (POST). */
export const handler = createCallbackHandler('message', callbackDependenciesFromEnv(logger), logger, metrics);
