import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createAdminDependencies, createAdminHandler } from '../../shared/admin/index.js';
import { memoizeAsync } from '../../shared/config/index.js';
import { consoleConfigFromEnv, loadConsoleAssets } from '../../shared/console/index.js';
import { createEngineDependencies } from '../../shared/evaluator/index.js';

const logger = new Logger({ serviceName: 'admin-api' });
const metrics = new Metrics({ serviceName: 'admin-api' });

// Read once, as the rest of the configuration: without CONSOLE_CLIENT_ID this function serves no
// console (/console is 404). The files are the `console/` directory CDK bundling writes beside this
// handler, read on the first request for them.
const consoleConfig = consoleConfigFromEnv(process.env);
const consoleSite = consoleConfig && {
  config: consoleConfig,
  assets: memoizeAsync(() => loadConsoleAssets(fileURLToPath(new URL('./console/', import.meta.url)))),
};

/** The admin API (/admin/...; IAM-authorized by API Gateway): views, reports, unblocking, appeals, policy; and the console. */
export const handler = createAdminHandler(
  createAdminDependencies(createEngineDependencies()),
  logger,
  metrics,
  consoleSite,
);
