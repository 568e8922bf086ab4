import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { InvalidInputError, parseEngineInput } from '../domain/commands.js';
import { type EvaluatorDependencies, evaluateInput } from './evaluate-input.js';

/** What the queue consumer needs besides the evaluator: where poison messages go. */
export interface QueueConsumerDependencies {
  readonly evaluator: EvaluatorDependencies;
  /** Moves a message that can never be evaluated to the dead-letter queue. */
  readonly quarantine: (record: SQSRecord, reason: string) => Promise<void>;
}

/** The Lambda handler of the event queue's consumer. */
export type QueueConsumerHandler = middy.MiddyfiedHandler<SQSEvent, SQSBatchResponse>;

/**
 * Evaluates one queued message. A message that is not an input is quarantined (and the record
 * succeeds, so it does not block its member's group); any other failure throws, so the batch
 * processor reports the record, and the records after it in the same member group, as failed,
 * and SQS delivers them again in order.
 */
export function createRecordHandler(
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
): (record: SQSRecord) => Promise<void> {
  return async (record) => {
    let input: ReturnType<typeof parseEngineInput>;
    try {
      input = parseEngineInput(record.body);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // The reason names the field, never the content.
      logger.error('message quarantined', { messageId: record.messageId, reason: error.message });
      await deps.quarantine(record, error.message);
      metrics.addMetric('QuarantinedMessages', MetricUnit.Count, 1);
      return;
    }
    const evaluation = await evaluateInput(input, deps.evaluator);
    metrics.addMetric(
      evaluation.status === 'applied' ? 'InputsApplied' : 'DuplicateInputs',
      MetricUnit.Count,
      1,
    );
    const changes = evaluation.decisions.filter(
      (d) => d.type === 'penalty.applied' || d.type === 'penalty.lifted' || d.type === 'violation.recorded',
    );
    if (changes.length > 0) metrics.addMetric('PenaltyChanges', MetricUnit.Count, changes.length);
    const rejected = evaluation.decisions.find((d) => d.type === 'command.rejected');
    if (rejected) {
      logger.warn('command rejected', { inputId: input.id, type: input.type, status: rejected.status });
    }
    logger.debug('input evaluated', {
      inputId: input.id,
      type: input.type,
      status: evaluation.status,
      decisions: evaluation.decisions.map((d) => d.type),
    });
  };
}

/**
 * The SQS FIFO consumer: Powertools' FIFO batch processor with partial batch responses. A failed
 * record fails only the rest of its own member group (`skipGroupOnError`); other members' records
 * in the batch are still evaluated, and order within each member is kept.
 */
export function createQueueConsumerHandler(
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
): QueueConsumerHandler {
  const recordHandler = createRecordHandler(deps, logger, metrics);
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => {
      const response = await processPartialResponse(
        event,
        recordHandler,
        new SqsFifoPartialProcessorAsync(),
        {
          context,
          skipGroupOnError: true,
          // A batch that failed entirely answers with every record listed, like any partial failure,
          // rather than as an invocation error: SQS redelivers exactly those records either way.
          throwOnFullBatchFailure: false,
        },
      );
      const failed = response.batchItemFailures.length;
      if (failed > 0) {
        metrics.addMetric('FailedRecords', MetricUnit.Count, failed);
        logger.warn('records left for redelivery', { failed, of: event.Records.length });
      }
      return response;
    });
}
