import { hash } from 'node:crypto';
import type { DomainEvent, UnidentifiedEvent } from '../domain/index.js';

/**
 * Gives an event its deterministic id: a hash of its own normalized fields (type, corp, member,
 * counterpart, ids and event time), never of a nonce, timestamp or signature of the delivery, so
 * every delivery of the same callback gets the same id.
 */
export function withEventId(event: UnidentifiedEvent): DomainEvent {
  // The event is fresh from normalization and owned here: the id is added in place, not by a copy.
  const identified = event as DomainEvent;
  identified.id = hash('sha256', JSON.stringify(event), 'hex').slice(0, 40);
  return identified;
}
