/** ChangeTypes of `change_external_contact` events. */
export const EXTERNAL_CONTACT_CHANGES = [
  'add_external_contact',
  'add_half_external_contact',
  'edit_external_contact',
  'del_external_contact',
  'del_follow_user',
  'transfer_fail',
] as const;
export type ExternalContactChange = (typeof EXTERNAL_CONTACT_CHANGES)[number];

/** A `change_external_contact` event, as WeCom sends it (CreateTime in seconds). */
export interface ExternalContactEvent {
  readonly kind: 'external-contact';
  readonly changeType: ExternalContactChange;
  readonly corpId: string;
  readonly createTime: number;
  readonly userId: string;
  readonly externalUserId: string;
  readonly state?: string;
  readonly welcomeCode?: string;
  readonly source?: string;
  readonly failReason?: string;
}

/** A `change_contact` / `update_user` event: a member's profile changed. */
export interface UpdateUserEvent {
  readonly kind: 'update-user';
  readonly corpId: string;
  readonly createTime: number;
  readonly userId: string;
  readonly newUserId?: string;
  /** The profile fields the event carries (Name, Alias, Position, Avatar, …), by WeCom's names. */
  readonly fields: Readonly<Record<string, string>>;
}

/** A `msgaudit_notify` event: new archived messages are ready to be pulled; it carries none. */
export interface MsgAuditNotifyEvent {
  readonly kind: 'msgaudit-notify';
  readonly corpId: string;
  readonly createTime: number;
}

/** A message a member sent to the app (text, image, voice, …); MsgId can exceed 2^53, so it stays a string. */
export interface AppMessageEvent {
  readonly kind: 'app-message';
  readonly corpId: string;
  readonly msgType: string;
  readonly fromUserName: string;
  readonly createTime: number;
  readonly msgId: string;
  readonly agentId?: string;
  /** The text of a text message. */
  readonly content?: string;
}

/** Anything else WeCom may send to the app callback (app messages, other events): accepted, ignored. */
export interface OtherXmlEvent {
  readonly kind: 'other';
  readonly corpId: string;
  readonly msgType: string;
  readonly event?: string;
  readonly changeType?: string;
}

/** A decrypted XML callback, typed. */
export type WecomXmlEvent =
  | ExternalContactEvent
  | UpdateUserEvent
  | MsgAuditNotifyEvent
  | AppMessageEvent
  | OtherXmlEvent;

/** A conversation-archive message record (CONTRACT §3), `msgtime` in ms. */
export interface ArchiveMessageRecord {
  readonly kind: 'archive-message';
  readonly msgid: string;
  readonly action: 'send';
  readonly from: string;
  readonly tolist: readonly string[];
  readonly roomid: string;
  readonly msgtime: number;
  readonly msgtype: string;
  readonly text?: string;
}

/** A customer complaint about a member (CONTRACT §3), `time` in ms. */
export interface ComplaintRecord {
  readonly kind: 'complaint';
  readonly id: string;
  readonly from: string;
  readonly userId: string;
  readonly reason: string;
  readonly time: number;
}

/** The linked WeChat account of a member was banned or unbanned (CONTRACT §3), `time` in ms. */
export interface WechatStatusRecord {
  readonly kind: 'wechat-status';
  readonly id: string;
  readonly userId: string;
  readonly status: 'banned' | 'unbanned';
  readonly reason?: string;
  readonly time: number;
}

/** An archive recall record: `from` recalled the message `recalledMsgId` (its `revoke.pre_msgid`). */
export interface ArchiveRecallRecord {
  readonly kind: 'archive-recall';
  readonly msgid: string;
  readonly from: string;
  readonly msgtime: number;
  readonly recalledMsgId: string;
}

/** An archive `switch` record: an account switch on the enterprise side, no message in it. */
export interface ArchiveSwitchRecord {
  readonly kind: 'archive-switch';
  readonly msgid: string;
}

/** A record of the message route. */
export type MessageRouteRecord =
  | ArchiveMessageRecord
  | ArchiveRecallRecord
  | ArchiveSwitchRecord
  | ComplaintRecord;
