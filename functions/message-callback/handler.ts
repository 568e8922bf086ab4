import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createCallbackHandler } from '../../shared/http/callback-handler.js';
import { callbackDependenciesFromEnv } from '../../shared/ingest/callback-dependencies.js';

const logger = new Logger({ serviceName: 'message-callback' });
const metrics = new Metrics({ serviceName: 'message-callback' });

/** WeCom callback route /callbacks/message: URL verification (GET) and events (POST). */
export const handler = createCallbackHandler('message', callbackDependenciesFromEnv(logger), logger, metrics);
