import { createHash } from 'node:crypto';
import type { DomainEvent, UnidentifiedEvent } from '../domain/events.js';

/**
 * Gives an event its deterministic id: a hash of its own normalized fields (type, corp, member,
 * counterpart, ids and event time), never of a nonce, timestamp or signature of the delivery, so
 * every delivery of the same callback gets the same id.
 */
export function withEventId(event: UnidentifiedEvent): DomainEvent {
  const id = createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 40);
  return { ...event, id } as DomainEvent;
}
