import type {
  ArchiveMessageRecord,
  ArchiveRecallRecord,
  ComplaintRecord,
  ExternalContactEvent,
  UpdateUserEvent,
  WechatStatusRecord,
} from '../../shared/wecom/types.js';
import { EVENT_CORP_ID, EVENT_CREATE_TIME, EXTERNAL_USER_ID, MEMBER_USER_ID } from './wecom-event-xml.js';

/** A parsed `change_external_contact` event (member added a customer unless overridden). */
export function anExternalContactEvent(overrides: Partial<ExternalContactEvent> = {}): ExternalContactEvent {
  return {
    kind: 'external-contact',
    changeType: 'add_external_contact',
    corpId: EVENT_CORP_ID,
    createTime: EVENT_CREATE_TIME,
    userId: MEMBER_USER_ID,
    externalUserId: EXTERNAL_USER_ID,
    ...overrides,
  };
}

/** A parsed `update_user` event. */
export function anUpdateUserEvent(overrides: Partial<UpdateUserEvent> = {}): UpdateUserEvent {
  return {
    kind: 'update-user',
    corpId: EVENT_CORP_ID,
    createTime: EVENT_CREATE_TIME,
    userId: MEMBER_USER_ID,
    fields: { Name: '张三', Position: 'sales' },
    ...overrides,
  };
}

/** A parsed archive message record (a member's text to a customer unless overridden), msgtime in ms. */
export function anArchiveMessageRecord(overrides: Partial<ArchiveMessageRecord> = {}): ArchiveMessageRecord {
  return {
    kind: 'archive-message',
    msgid: 'CAQQluDa4QUY0On2rYSAgAMgzPrShAE=',
    action: 'send',
    from: MEMBER_USER_ID,
    tolist: [EXTERNAL_USER_ID],
    roomid: '',
    msgtime: 1547087894783,
    msgtype: 'text',
    text: 'test',
    ...overrides,
  };
}

/** A parsed archive recall record: the member recalls `recalledMsgId`. */
export function anArchiveRecallRecord(overrides: Partial<ArchiveRecallRecord> = {}): ArchiveRecallRecord {
  return {
    kind: 'archive-recall',
    msgid: '15775510700152506326_1603875624',
    from: MEMBER_USER_ID,
    msgtime: 1603875624476,
    recalledMsgId: '14822339130656386894_1603875600',
    ...overrides,
  };
}

/** A parsed customer complaint record, time in ms. */
export function aComplaintRecord(overrides: Partial<ComplaintRecord> = {}): ComplaintRecord {
  return {
    kind: 'complaint',
    id: 'complaint-0001',
    from: EXTERNAL_USER_ID,
    userId: MEMBER_USER_ID,
    reason: 'harassment',
    time: 1700000000000,
    ...overrides,
  };
}

/** A parsed WeChat-status record (banned unless overridden), time in ms. */
export function aWechatStatusRecord(overrides: Partial<WechatStatusRecord> = {}): WechatStatusRecord {
  return {
    kind: 'wechat-status',
    id: 'status-0001',
    userId: MEMBER_USER_ID,
    status: 'banned',
    reason: 'spam',
    time: 1700000000000,
    ...overrides,
  };
}
