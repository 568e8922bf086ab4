import type { DomainEvent } from '../domain/index.js';
import { DOMAIN_EVENT_VERSION } from '../domain/index.js';
import type { MessageRouteRecord, WechatStatusRecord, WecomXmlEvent } from '../wecom/index.js';
import { assignDefined } from '../wecom/index.js';
import { withEventId } from './event-id.js';

const v = DOMAIN_EVENT_VERSION;

/**
 * WeCom external user ids start with `wm` (WeCom users) or `wo` (WeChat users); member user ids
 * are chosen by the corp and, by WeCom's rules, never take that 32-character shape.
 */
const EXTERNAL_USER_ID = /^w[mo][A-Za-z0-9_-]{20,}$/;

/** Turns a decrypted XML callback into domain events (none for events the engine does not use). */
export function normalizeXmlEvent(event: WecomXmlEvent, corpId: string): DomainEvent[] {
  switch (event.kind) {
    case 'external-contact': {
      const change = event.changeType;
      switch (change) {
        case 'add_external_contact':
          return [withEventId(contactAdded('contact.added', event, corpId))];
        case 'add_half_external_contact':
          return [withEventId(contactAdded('contact.half-added', event, corpId))];
        case 'del_external_contact':
          return [
            withEventId(
              assignDefined(
                {
                  v,
                  corpId,
                  userId: event.userId,
                  at: event.createTime * 1000,
                  externalUserId: event.externalUserId,
                  type: 'contact.deleted-by-member' as const,
                },
                { source: event.source },
              ),
            ),
          ];
        case 'del_follow_user':
          return [
            withEventId({
              v,
              corpId,
              userId: event.userId,
              at: event.createTime * 1000,
              externalUserId: event.externalUserId,
              type: 'contact.deleted-by-customer',
            }),
          ];
        case 'edit_external_contact':
        case 'transfer_fail':
          return [];
        default:
          return assertNever(change);
      }
    }
    case 'update-user':
      return [
        withEventId(
          assignDefined(
            {
              v,
              type: 'member.profile-changed' as const,
              corpId,
              userId: event.userId,
              at: event.createTime * 1000,
              changes: { ...event.fields },
            },
            { newUserId: event.newUserId },
          ),
        ),
      ];
    // Archive notifications carry no message (they come through /callbacks/message); app messages
    // are members writing to the app, not to customers.
    case 'msgaudit-notify':
    case 'app-message':
    case 'other':
      return [];
    default:
      return assertNever(event);
  }
}

/**
 * contact.added or contact.half-added, `state` only when the customer came through "contact me".
 * Events are written out field by field in this order, optional fields assigned after: the order
 * is part of the event id (a hash of the event's JSON, pinned by a test), and a literal of one
 * fixed shape is several times cheaper to build and hash than one spread from parts.
 */
function contactAdded(
  type: 'contact.added' | 'contact.half-added',
  event: Extract<WecomXmlEvent, { kind: 'external-contact' }>,
  corpId: string,
) {
  return assignDefined(
    {
      v,
      corpId,
      userId: event.userId,
      at: event.createTime * 1000,
      externalUserId: event.externalUserId,
      type,
      viaContactMe: event.state !== undefined,
    },
    { state: event.state },
  );
}

/**
 * The member a customer's message belongs to: the first member among its recipients (a customer
 * writes to one member, or into a room whose first listed member is the one it is filed under).
 */
function memberOf(recipients: readonly string[], sender: string): string {
  return recipients.find((recipient) => !EXTERNAL_USER_ID.test(recipient)) ?? sender;
}

/** Turns the records of the message route into domain events. */
export function normalizeMessageRecords(
  records: readonly MessageRouteRecord[],
  corpId: string,
): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (const record of records) {
    switch (record.kind) {
      case 'archive-message': {
        const external = EXTERNAL_USER_ID.test(record.from);
        events.push(
          withEventId({
            v,
            type: 'message.sent',
            corpId,
            userId: external ? memberOf(record.tolist, record.from) : record.from,
            at: record.msgtime,
            msgId: record.msgid,
            sender: record.from,
            senderKind: external ? 'external' : 'member',
            recipients: [...record.tolist],
            roomId: record.roomid === '' ? null : record.roomid,
            msgType: record.msgtype,
            text: record.text ?? null,
          }),
        );
        break;
      }
      case 'archive-recall':
        events.push(
          withEventId({
            v,
            type: 'message.recalled',
            corpId,
            userId: record.from,
            at: record.msgtime,
            msgId: record.recalledMsgId,
            recallMsgId: record.msgid,
          }),
        );
        break;
      case 'archive-switch':
        break;
      case 'complaint':
        events.push(
          withEventId({
            v,
            type: 'complaint.received',
            corpId,
            userId: record.userId,
            at: record.time,
            complaintId: record.id,
            externalUserId: record.from,
            reason: record.reason,
          }),
        );
        break;
      default:
        assertNever(record);
    }
  }
  return events;
}

/** Turns a WeChat-status record into its domain event. */
export function normalizeWechatStatus(record: WechatStatusRecord, corpId: string): DomainEvent[] {
  return [
    withEventId(
      assignDefined(
        {
          v,
          type: 'wechat.status-changed' as const,
          corpId,
          userId: record.userId,
          at: record.time,
          statusId: record.id,
          status: record.status,
        },
        { reason: record.reason },
      ),
    ),
  ];
}

function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
