import { DOMAIN_EVENT_VERSION, type DomainEvent, domainEventSchema } from '../../shared/domain/events.js';
import type { Category, EngineCommand } from '../../shared/domain/types.js';

/** The corp every domain test runs in, unless it names another. */
export const CORP_ID = 'wwa1b2c3d4e5f60001';
/** The member a factory's input is about, unless it names another. */
export const MEMBER_ID = 'zhangsan';
/**
 * A Monday, 08:00 in Shanghai (00:00 UTC): well inside a day of the default policy's zone, so
 * that a few hours never cross a day boundary.
 */
export const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The documents an enterprise appeal must carry (POLICY.md, unblocking and appeals). */
export const ENTERPRISE_DOCUMENTS = [
  'business-license',
  'legal-person-id',
  'legal-person-handheld-id',
  'seal-authorization-letter',
] as const;

let counter = 0;

/** A fresh input id: 40 lowercase hex characters from a counter, so runs are deterministic. */
export function nextId(): string {
  counter += 1;
  return counter.toString(16).padStart(40, '0');
}

/** A fresh external contact id, in WeCom's `wm…` form. */
export function anExternalUserId(): string {
  counter += 1;
  return `wmEXT${counter.toString(16).padStart(12, '0')}`;
}

/** `count` fresh external contact ids. */
export function externalUserIds(count: number): string[] {
  return Array.from({ length: count }, () => anExternalUserId());
}

type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;
type CommandOf<T extends EngineCommand['type']> = Extract<EngineCommand, { type: T }>;

interface Who {
  readonly corpId?: string;
  readonly userId?: string;
  readonly at?: number;
}

/** Checks the event against the domain schema, so no test feeds the engine what ingest cannot produce. */
function valid<E extends DomainEvent>(event: E): E {
  const result = domainEventSchema.safeParse(event);
  if (!result.success)
    throw new Error(`invalid domain event ${JSON.stringify(event)}: ${result.error.message}`);
  return event;
}

function base(who: Who) {
  return {
    v: DOMAIN_EVENT_VERSION,
    id: nextId(),
    corpId: who.corpId ?? CORP_ID,
    userId: who.userId ?? MEMBER_ID,
    at: who.at ?? T0,
  };
}

/** The member added an external contact (`add_external_contact`). */
export function aContactAdded(
  options: Who & { readonly externalUserId?: string; readonly viaContactMe?: boolean } = {},
): EventOf<'contact.added'> {
  return valid({
    ...base(options),
    type: 'contact.added',
    externalUserId: options.externalUserId ?? anExternalUserId(),
    viaContactMe: options.viaContactMe ?? false,
    ...(options.viaContactMe ? { state: 'qr-campaign' } : {}),
  });
}

/** A text message from the member (or, with `senderKind: 'external'`, from a customer). */
export function aMessage(
  options: Who & {
    readonly text: string;
    readonly recipients?: readonly string[];
    readonly senderKind?: 'member' | 'external';
    readonly roomId?: string;
  },
): EventOf<'message.sent'> {
  const b = base(options);
  const recipients = options.recipients ?? [anExternalUserId()];
  return valid({
    ...b,
    type: 'message.sent',
    msgId: `msg-${b.id.slice(-12)}`,
    sender: options.senderKind === 'external' ? (recipients[0] ?? 'wmSENDER') : b.userId,
    senderKind: options.senderKind ?? 'member',
    recipients: [...recipients],
    roomId: options.roomId ?? null,
    msgType: 'text',
    text: options.text,
  });
}

/** A customer's complaint about the member. */
export function aComplaint(
  options: Who & { readonly externalUserId: string; readonly reason?: string },
): EventOf<'complaint.received'> {
  const b = base(options);
  return valid({
    ...b,
    type: 'complaint.received',
    complaintId: `complaint-${b.id.slice(-12)}`,
    externalUserId: options.externalUserId,
    reason: options.reason ?? 'harassment',
  });
}

/** The customer deleted the member (`del_follow_user`). */
export function aCustomerDeletion(
  options: Who & { readonly externalUserId: string },
): EventOf<'contact.deleted-by-customer'> {
  return valid({
    ...base(options),
    type: 'contact.deleted-by-customer',
    externalUserId: options.externalUserId,
  });
}

/** WeChat banned or unbanned the WeChat account linked to the member. */
export function aWechatStatus(
  status: 'banned' | 'unbanned',
  options: Who & { readonly statusId?: string; readonly reason?: string } = {},
): EventOf<'wechat.status-changed'> {
  const b = base(options);
  return valid({
    ...b,
    type: 'wechat.status-changed',
    statusId: options.statusId ?? `status-${b.id.slice(-12)}`,
    status,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  });
}

/** A member's profile changed (`update_user`), with WeCom's field names (`Name`, `Alias`, …). */
export function aProfileChange(
  options: Who & { readonly changes: Readonly<Record<string, string>> },
): EventOf<'member.profile-changed'> {
  return valid({ ...base(options), type: 'member.profile-changed', changes: { ...options.changes } });
}

/** A reviewer reports a violation of `category` by the member. */
export function aReport(
  category: Category,
  options: Who & { readonly badInfluence?: boolean; readonly reviewer?: string; readonly note?: string } = {},
): CommandOf<'violation.reported'> {
  const { v: _v, ...rest } = base(options);
  return {
    ...rest,
    type: 'violation.reported',
    category,
    badInfluence: options.badInfluence ?? false,
    reviewer: options.reviewer ?? 'reviewer-li',
    ...(options.note === undefined ? {} : { note: options.note }),
  };
}

/** The admin applies for the member's unblocking (rule 1, first suspension). */
export function anUnblockRequest(options: Who = {}): CommandOf<'unblock.requested'> {
  const { v: _v, ...rest } = base(options);
  return { ...rest, type: 'unblock.requested' };
}

/** The admin appeals a member's penalty (the latest in force unless `violationId` names one). */
export function anAppeal(options: Who & { readonly violationId?: string } = {}): CommandOf<'appeal.filed'> {
  const { v: _v, ...rest } = base(options);
  return {
    ...rest,
    type: 'appeal.filed',
    ...(options.violationId === undefined ? {} : { violationId: options.violationId }),
  };
}

/** The admin appeals the enterprise block with `documents` (all four unless given). */
export function anEnterpriseAppeal(
  options: Omit<Who, 'userId'> & { readonly documents?: readonly string[] } = {},
): CommandOf<'appeal.filed'> {
  return {
    type: 'appeal.filed',
    id: nextId(),
    corpId: options.corpId ?? CORP_ID,
    at: options.at ?? T0,
    documents: [...(options.documents ?? ENTERPRISE_DOCUMENTS)],
  };
}

/** A reviewer decides a member appeal, or, with `userId: undefined` via `enterprise: true`, the corp's. */
export function anAppealDecision(
  options: Who & {
    readonly appealId: string;
    readonly approved: boolean;
    readonly enterprise?: boolean;
    readonly reviewer?: string;
  },
): CommandOf<'appeal.decided'> {
  const { v: _v, userId, ...rest } = base(options);
  return {
    ...rest,
    ...(options.enterprise ? {} : { userId }),
    type: 'appeal.decided',
    appealId: options.appealId,
    approved: options.approved,
    reviewer: options.reviewer ?? 'reviewer-li',
  };
}

/** The corp's subject information was verified (or the verification withdrawn). */
export function aCorpProfile(
  options: Omit<Who, 'userId'> & { readonly subjectVerified: boolean },
): CommandOf<'corp.profile-updated'> {
  return {
    type: 'corp.profile-updated',
    id: nextId(),
    corpId: options.corpId ?? CORP_ID,
    at: options.at ?? T0,
    subjectVerified: options.subjectVerified,
  };
}

/** A timer input as the scheduler would deliver it (for tests that fire one by hand, early or stale). */
export function aTimer(
  timer: CommandOf<'timer.fired'>['timer'],
  options: Who = {},
): CommandOf<'timer.fired'> {
  const { v: _v, ...rest } = base(options);
  return { ...rest, type: 'timer.fired', timer };
}

/** A reviewer decides one of the member's cases (`confirm` unless told). */
export function aCaseDecision(
  caseId: string,
  options: Who & {
    readonly decision?: 'confirm' | 'overturn';
    readonly reviewer?: string;
    readonly reason?: string;
    readonly id?: string;
  } = {},
): CommandOf<'case.reviewed'> {
  const { v: _v, ...rest } = base(options);
  return {
    ...rest,
    ...(options.id === undefined ? {} : { id: options.id }),
    type: 'case.reviewed',
    caseId,
    decision: options.decision ?? 'confirm',
    reviewer: options.reviewer ?? 'reviewer-li',
    reason: options.reason ?? 'checked against the message',
  };
}
