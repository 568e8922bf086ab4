import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import { createEngineDependencies, type SweepReport, sweep } from '../../shared/evaluator/index.js';

const logger = new Logger({ serviceName: 'sweep' });
const metrics = new Metrics({ serviceName: 'sweep' });
const engine = createEngineDependencies();

/**
 * Run by a rate schedule: queues the timers a lost schedule left undone and finishes side effects
 * a crash left pending. The payload Scheduler sends is not used.
 */
export const handler = middy<unknown, SweepReport>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async () => {
    const report = await sweep({
      index: engine.store,
      store: engine.store,
      effects: engine.effects,
      commands: engine.commands,
      now: Date.now,
    });
    metrics.addMetric('LateTimersQueued', MetricUnit.Count, report.timersQueued);
    metrics.addMetric('PendingEffectsFinished', MetricUnit.Count, report.effectsFinished);
    metrics.addMetric('PendingEffectsFailed', MetricUnit.Count, report.effectsFailed);
    logger.info('sweep done', { ...report });
    return report;
  });
