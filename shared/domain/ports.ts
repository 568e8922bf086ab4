import type { DomainEvent } from './events.js';

/** Durable hand-off of domain events to the evaluator (SQS FIFO on AWS, fauxqs locally). */
export interface EventQueue {
  /**
   * Queues every event, each in its member's ordered group and deduplicated by its id; resolves
   * only once all are stored, and rejects when that cannot be done in time.
   */
  send(events: readonly DomainEvent[]): Promise<void>;
}
