import { afterEach, describe, expect, it, vi } from 'vitest';
import { domainEventSchema, type UnidentifiedEvent } from '../../../../shared/domain/events.js';
import { withEventId } from '../../../../shared/ingest/event-id.js';

type DeletedByCustomer = Extract<UnidentifiedEvent, { type: 'contact.deleted-by-customer' }>;

/** A customer deleted a member: the smallest contact event. */
function deletedByCustomer(overrides: Partial<DeletedByCustomer> = {}): DeletedByCustomer {
  return {
    v: 1,
    type: 'contact.deleted-by-customer',
    corpId: 'ww1436e0e65a779aee',
    userId: 'zhangsan',
    externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
    at: 1403610513000,
    ...overrides,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('withEventId', () => {
  it('adds a 40-hex id and keeps every field, giving a valid domain event', () => {
    // Prepare
    const event = deletedByCustomer();

    // Act
    const identified = withEventId(event);

    // Assess
    expect(identified).toEqual({ ...event, id: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(domainEventSchema.parse(identified)).toEqual(identified);
  });

  it('gives equal events the same id, whenever it runs', () => {
    // Prepare
    vi.useFakeTimers();

    // Act
    vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
    const first = withEventId(deletedByCustomer());
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const second = withEventId(deletedByCustomer());

    // Assess
    expect(second.id).toBe(first.id);
  });

  it.each([
    ['corp', { corpId: 'ww0000000000000000' }],
    ['member', { userId: 'lisi' }],
    ['external user', { externalUserId: 'wmAJ2GCAAAXtWyujaWJHDDGi0mACAAAA' }],
    ['time', { at: 1403610514000 }],
  ])('gives events of a different %s a different id', (_case, change) => {
    // Act
    const base = withEventId(deletedByCustomer());
    const changed = withEventId(deletedByCustomer(change));

    // Assess
    expect(changed.id).not.toBe(base.id);
  });

  it('gives events of different types with the same fields different ids', () => {
    // Prepare
    const event = deletedByCustomer();

    // Act
    const byCustomer = withEventId(event);
    const byMember = withEventId({ ...event, type: 'contact.deleted-by-member' as const });

    // Assess
    expect(byMember.id).not.toBe(byCustomer.id);
  });
});
