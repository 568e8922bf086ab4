/** Base class of the evaluator's errors. */
export class EvaluatorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The state kept changing under the evaluator: the input is left for the queue to redeliver. */
export class ConcurrentUpdateError extends EvaluatorError {}
