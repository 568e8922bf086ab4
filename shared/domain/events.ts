import * as z from 'zod/mini';
import { EVENT_TIME_RANGE, MEMBER_USER_ID, PRINTABLE_ID } from '../contract/index.js';
import { DOMAIN_EVENT_VERSION } from './constants.js';

export { DOMAIN_EVENT_VERSION };

/** Corp, external user and record ids: printable ASCII (CONTRACT §3). */
const idString = z.string().check(z.regex(PRINTABLE_ID));
/** A member's userid, in WeCom's documented form (CONTRACT §3). */
const memberId = z.string().check(z.regex(MEMBER_USER_ID));

/**
 * A member's changed profile fields by element name. Checked by hand rather than with `z.record`,
 * which refuses an object holding a field named `constructor` (a plain-object check): that is a
 * valid element name, and an event ingest accepts must be one the evaluator reads.
 */
const profileChanges = z.custom<Readonly<Record<string, string>>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => typeof field === 'string'),
);

/** Fields every domain event carries. `at` is the event's own time in epoch milliseconds. */
const base = {
  v: z.literal(DOMAIN_EVENT_VERSION),
  /** Deterministic: derived from the event's own fields, so a redelivery has the same id. */
  id: z.string().check(z.regex(/^[0-9a-f]{40}$/)),
  corpId: idString,
  /** The member the event is about: the FIFO group and the state it is evaluated against. */
  userId: memberId,
  at: z.int().check(z.gte(EVENT_TIME_RANGE.min), z.lte(EVENT_TIME_RANGE.max)),
};

const contactFields = { ...base, externalUserId: idString };

/** The domain events ingest produces and the evaluator consumes: one schema for both sides. */
export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...contactFields,
    type: z.literal('contact.added'),
    /** True when the customer came through a "contact me" configuration (its `State`). */
    viaContactMe: z.boolean(),
    state: z.optional(z.string()),
  }),
  z.object({
    ...contactFields,
    type: z.literal('contact.half-added'),
    viaContactMe: z.boolean(),
    state: z.optional(z.string()),
  }),
  z.object({
    ...contactFields,
    type: z.literal('contact.deleted-by-member'),
    source: z.optional(z.string()),
  }),
  /** The customer deleted the member (`del_follow_user`): negative feedback. */
  z.object({ ...contactFields, type: z.literal('contact.deleted-by-customer') }),
  z.object({
    ...base,
    type: z.literal('member.profile-changed'),
    newUserId: z.optional(memberId),
    changes: profileChanges,
  }),
  z.object({
    ...base,
    type: z.literal('message.sent'),
    msgId: idString,
    /** Who sent it: the member (`userId`) or, for a customer's message, the external contact. */
    sender: idString,
    senderKind: z.enum(['member', 'external']),
    recipients: z.array(idString),
    roomId: z.nullable(idString),
    msgType: z.string(),
    text: z.nullable(z.string()),
  }),
  z.object({
    ...base,
    type: z.literal('message.recalled'),
    /** The recalled message. */
    msgId: idString,
    /** The recall record's own id. */
    recallMsgId: idString,
  }),
  z.object({
    ...base,
    type: z.literal('complaint.received'),
    complaintId: idString,
    externalUserId: idString,
    reason: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('wechat.status-changed'),
    statusId: idString,
    status: z.enum(['banned', 'unbanned']),
    reason: z.optional(z.string()),
  }),
]);

/** A domain event, as queued by ingest and read by the evaluator. */
export type DomainEvent = z.output<typeof domainEventSchema>;

/** The `type` of a domain event. */
export type DomainEventType = DomainEvent['type'];

/** A domain event before its id is derived. */
export type UnidentifiedEvent = DomainEvent extends infer E
  ? E extends DomainEvent
    ? Omit<E, 'id'>
    : never
  : never;
