import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EngineInput, ParkedInputs } from '../domain/index.js';
import { InvalidInputError, isPenaltyChange, parseEngineInput } from '../domain/index.js';
import { addCaseMetrics } from './case-metrics.js';
import { type BatchResult, evaluateBatch } from './evaluate-batch.js';
import { type Evaluation, type EvaluatorDependencies, evaluateInput } from './evaluate-input.js';
import { failureReason, PARK_AFTER_RECEIVES, parkedIdOf } from './parked-inputs.js';

/** What the queue consumer needs besides the evaluator: where poison messages go. */
export interface QueueConsumerDependencies {
  readonly evaluator: EvaluatorDependencies;
  /** Moves a message that can never be evaluated to the dead-letter queue. */
  readonly quarantine: (record: SQSRecord, reason: string) => Promise<void>;
  /**
   * Where an input that failed its {@link PARK_AFTER_RECEIVES}th receive is parked, so its member's
   * later inputs go on; without it such an input is retried until the dead-letter queue takes it.
   */
  readonly parked?: ParkedInputs;
  /**
   * Whether a batch is first evaluated as one unit (`evaluateBatch`) before the records are taken
   * one by one; on unless false.
   */
  readonly evaluateBatches?: boolean;
}

/** What the batch path did with a record: its input and the result, by message id. */
export type BatchResults = ReadonlyMap<string, { readonly input: EngineInput; readonly result: BatchResult }>;

/** The Lambda handler of the event queue's consumer. */
export type QueueConsumerHandler = middy.MiddyfiedHandler<SQSEvent, SQSBatchResponse>;

/**
 * Evaluates one queued message. A message that is not an input is quarantined (and the record
 * succeeds, so it does not block its member's group); any other failure throws, so the batch
 * processor reports the record, and the records after it in the same member group, as failed,
 * and SQS delivers them again in order. A record the batch path already evaluated is only
 * reported; one it failed throws its error; one it skipped or did not take is evaluated here.
 */
export function createRecordHandler(
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
  batch: BatchResults = new Map(),
): (record: SQSRecord) => Promise<void> {
  const evaluateRecord = recordEvaluator(deps, logger, metrics, batch);
  return async (record) => {
    try {
      await evaluateRecord(record);
    } catch (error) {
      if (!(await parkIfDue(record, error, deps, logger, metrics))) throw error;
    }
  };
}

/**
 * Parks a record that failed again on its {@link PARK_AFTER_RECEIVES}th receive or later, and says
 * whether it did (then the record succeeds and its member's later inputs go on). A record that is
 * not an input, or that cannot be parked (the table unreachable), is left to fail: SQS delivers it
 * again, and the dead-letter queue takes it after the last receive.
 */
async function parkIfDue(
  record: SQSRecord,
  error: unknown,
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
): Promise<boolean> {
  const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
  if (!deps.parked || !(receives >= PARK_AFTER_RECEIVES)) return false;
  let input: EngineInput;
  try {
    input = parseEngineInput(record.body);
  } catch {
    return false;
  }
  const reason = failureReason(error);
  const userId = 'userId' in input && typeof input.userId === 'string' ? input.userId : null;
  try {
    await deps.parked.park({
      id: parkedIdOf(input.corpId, input.id),
      corpId: input.corpId,
      userId,
      inputId: input.id,
      inputType: input.type,
      body: record.body,
      reason,
      receives,
      at: Date.now(),
    });
  } catch (parkError) {
    logger.error('input could not be parked; left for redelivery', {
      inputId: input.id,
      error: parkError as Error,
    });
    return false;
  }
  metrics.addMetric('ParkedInputs', MetricUnit.Count, 1);
  // The reason names ids and fields, never message text.
  logger.error('input parked after failing repeatedly', {
    inputId: input.id,
    type: input.type,
    receives,
    reason,
  });
  return true;
}

/** Evaluates one record: the batch path's result where it has one, else the input itself. */
function recordEvaluator(
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
  batch: BatchResults,
): (record: SQSRecord) => Promise<void> {
  return async (record) => {
    const prior = batch.get(record.messageId);
    if (prior?.result.status === 'failed') throw prior.result.error;
    if (prior && prior.result.status !== 'skipped') {
      report(prior.input, prior.result, deps, logger, metrics);
      return;
    }
    let input: ReturnType<typeof parseEngineInput>;
    try {
      input = prior?.input ?? parseEngineInput(record.body);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // The reason names the field, never the content.
      logger.error('message quarantined', { messageId: record.messageId, reason: error.message });
      await deps.quarantine(record, error.message);
      metrics.addMetric('QuarantinedMessages', MetricUnit.Count, 1);
      return;
    }
    report(input, await evaluateInput(input, deps.evaluator), deps, logger, metrics);
  };
}

/** Metrics and logs of one evaluated input. */
function report(
  input: EngineInput,
  evaluation: Evaluation,
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
): void {
  metrics.addMetric(
    evaluation.status === 'applied' ? 'InputsApplied' : 'DuplicateInputs',
    MetricUnit.Count,
    1,
  );
  const changes = evaluation.decisions.filter(isPenaltyChange);
  if (changes.length > 0) metrics.addMetric('PenaltyChanges', MetricUnit.Count, changes.length);
  addCaseMetrics(metrics, input, evaluation, deps.evaluator.policies);
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
}

/**
 * The batch path: every record that parses, evaluated as one unit (`evaluateBatch`). Records that
 * do not parse are left to the record handler (the dead-letter queue). If the batch path fails as
 * a whole, nothing is taken from it and every record is evaluated one by one.
 */
export async function evaluateRecords(
  records: readonly SQSRecord[],
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
): Promise<BatchResults> {
  const parsed: { messageId: string; input: EngineInput }[] = [];
  for (const record of records) {
    try {
      parsed.push({ messageId: record.messageId, input: parseEngineInput(record.body) });
    } catch {
      // Not an input: quarantined by the record handler.
    }
  }
  if (parsed.length === 0) return new Map();
  try {
    const evaluation = await evaluateBatch(
      parsed.map(({ input }) => input),
      deps.evaluator,
    );
    if (evaluation.transactions > 0)
      metrics.addMetric('BatchTransactions', MetricUnit.Count, evaluation.transactions);
    if (evaluation.oneByOne > 0) {
      metrics.addMetric('InputsEvaluatedOneByOne', MetricUnit.Count, evaluation.oneByOne);
      logger.info('inputs evaluated one by one', {
        of: parsed.length,
        oneByOne: evaluation.oneByOne,
        reasons: evaluation.fallbacks,
      });
    }
    return new Map(
      parsed.map(({ messageId, input }, index) => [
        messageId,
        { input, result: evaluation.results[index] ?? { status: 'skipped' } },
      ]),
    );
  } catch (error) {
    logger.warn('batch path failed; records evaluated one by one', { error: error as Error });
    return new Map();
  }
}

/**
 * The SQS FIFO consumer. The batch is first evaluated as one unit (`evaluateRecords`); then
 * Powertools' FIFO batch processor goes through the records with partial batch responses, taking
 * each record's result from the batch path, or evaluating it itself where the batch path left it.
 * A failed record fails only the rest of its own member group (`skipGroupOnError`); other members'
 * records in the batch are still evaluated, and order within each member is kept.
 */
export function createQueueConsumerHandler(
  deps: QueueConsumerDependencies,
  logger: Logger,
  metrics: Metrics,
): QueueConsumerHandler {
  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(async (event, context) => {
      const batch =
        deps.evaluateBatches === false
          ? new Map()
          : await evaluateRecords(event.Records, deps, logger, metrics);
      const response = await processPartialResponse(
        event,
        createRecordHandler(deps, logger, metrics, batch),
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
