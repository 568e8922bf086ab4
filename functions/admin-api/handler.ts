import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAdminDependencies, createAdminHandler } from '../../shared/admin/index.js';
import { createEngineDependencies } from '../../shared/evaluator/index.js';

const logger = new Logger({ serviceName: 'admin-api' });
const metrics = new Metrics({ serviceName: 'admin-api' });

/** The admin API (/admin/...; IAM-authorized by API Gateway): views, reports, unblocking, appeals, policy. */
export const handler = createAdminHandler(
  createAdminDependencies(createEngineDependencies()),
  logger,
  metrics,
);
