import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { callbackDependenciesFromEnv, createCallbackHandler } from '../../shared/ingest/index.js';

const logger = new Logger({ serviceName: 'contact-callback' });
const metrics = new Metrics({ serviceName: 'contact-callback' });

/** WeCom callback route /callbacks/contact: URL verification (GET) and events (POST). */
export const handler = createCallbackHandler('contact', callbackDependenciesFromEnv(logger), logger, metrics);
