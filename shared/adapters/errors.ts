/** Base class of the adapters' errors: a store, queue or bus did not do what was asked. */
export class AdapterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** DynamoDB could not be made to read or write a batch as asked; the caller falls back or retries. */
export class StoreBatchError extends AdapterError {}

/** SQS or EventBridge refused entries of a batch after the retries; the side effect is left pending. */
export class EntriesRefusedError extends AdapterError {}

/** A page cursor's text is not one this store encoded (caught and answered as InvalidCursorError). */
export class MalformedCursorError extends AdapterError {}
