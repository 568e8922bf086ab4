import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DomainEvent, domainEventSchema } from '../../../../shared/domain/events.js';
import {
  normalizeMessageRecords,
  normalizeWechatStatus,
  normalizeXmlEvent,
} from '../../../../shared/ingest/normalize.js';
import { decrypt, deriveAesKey, encrypt } from '../../../../shared/wecom/crypto.js';
import { parseXmlEvent } from '../../../../shared/wecom/events.js';
import type {
  ArchiveMessageRecord,
  ExternalContactChange,
  MessageRouteRecord,
  WecomXmlEvent,
} from '../../../../shared/wecom/types.js';
import {
  EVENT_CORP_ID,
  EVENT_CREATE_TIME,
  EXTERNAL_USER_ID,
  externalContactXml,
  MEMBER_USER_ID,
  updateUserXml,
} from '../../../helpers/wecom-event-xml.js';
import {
  aComplaintRecord,
  anArchiveMessageRecord,
  anArchiveRecallRecord,
  anExternalContactEvent,
  anUpdateUserEvent,
  aWechatStatusRecord,
} from '../../../helpers/wecom-typed-events.js';
import { GO_SAMPLE } from '../../../helpers/wecom-vectors.js';

const CORP = EVENT_CORP_ID;

/** Asserts that `event` is exactly what the shared domain schema accepts (no missing, no extra field). */
function expectValidDomainEvent(event: DomainEvent | undefined): void {
  expect(event).toBeDefined();
  expect(domainEventSchema.parse(event)).toEqual(event);
}

function single(events: DomainEvent[]): DomainEvent {
  expect(events).toHaveLength(1);
  const [event] = events;
  expectValidDomainEvent(event);
  return event as DomainEvent;
}

function idOfContactEvent(overrides: Parameters<typeof anExternalContactEvent>[0]): string | undefined {
  return normalizeXmlEvent(anExternalContactEvent(overrides), CORP)[0]?.id;
}

function idOfMessage(overrides: Parameters<typeof anArchiveMessageRecord>[0]): string | undefined {
  return normalizeMessageRecords([anArchiveMessageRecord(overrides)], CORP)[0]?.id;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('normalizeXmlEvent', () => {
  it('turns add_external_contact with State into contact.added through a "contact me" configuration', () => {
    // Prepare
    const input = anExternalContactEvent({ changeType: 'add_external_contact', state: 'qr-spring-fair' });

    // Act
    const event = single(normalizeXmlEvent(input, CORP));

    // Assess
    expect(event).toMatchObject({
      v: 1,
      type: 'contact.added',
      corpId: CORP,
      userId: MEMBER_USER_ID,
      externalUserId: EXTERNAL_USER_ID,
      at: EVENT_CREATE_TIME * 1000,
      viaContactMe: true,
      state: 'qr-spring-fair',
    });
  });

  it('turns add_external_contact without State into contact.added not through "contact me"', () => {
    // Prepare
    const input = anExternalContactEvent({ changeType: 'add_external_contact' });

    // Act
    const event = single(normalizeXmlEvent(input, CORP));

    // Assess
    expect(event).toMatchObject({ type: 'contact.added', viaContactMe: false });
    expect(event).not.toHaveProperty('state');
  });

  it.each([
    ['with', 'qr-1', true],
    ['without', undefined, false],
  ])('turns add_half_external_contact %s State into contact.half-added', (_case, state, viaContactMe) => {
    // Prepare
    const input = anExternalContactEvent({
      changeType: 'add_half_external_contact',
      ...(state ? { state } : {}),
    });

    // Act
    const event = single(normalizeXmlEvent(input, CORP));

    // Assess
    expect(event).toMatchObject({
      type: 'contact.half-added',
      userId: MEMBER_USER_ID,
      externalUserId: EXTERNAL_USER_ID,
      viaContactMe,
    });
  });

  it('turns del_external_contact into contact.deleted-by-member, keeping its Source', () => {
    // Prepare
    const input = anExternalContactEvent({
      changeType: 'del_external_contact',
      source: 'DELETE_BY_TRANSFER',
    });

    // Act
    const event = single(normalizeXmlEvent(input, CORP));

    // Assess
    expect(event).toMatchObject({
      type: 'contact.deleted-by-member',
      userId: MEMBER_USER_ID,
      externalUserId: EXTERNAL_USER_ID,
      at: EVENT_CREATE_TIME * 1000,
      source: 'DELETE_BY_TRANSFER',
    });
  });

  it('turns del_follow_user into contact.deleted-by-customer (the customer deleted the member)', () => {
    // Prepare
    const input = anExternalContactEvent({ changeType: 'del_follow_user' });

    // Act
    const event = single(normalizeXmlEvent(input, CORP));

    // Assess
    expect(event).toEqual({
      v: 1,
      id: event.id,
      type: 'contact.deleted-by-customer',
      corpId: CORP,
      userId: MEMBER_USER_ID,
      externalUserId: EXTERNAL_USER_ID,
      at: EVENT_CREATE_TIME * 1000,
    });
  });

  it.each<[string, WecomXmlEvent]>([
    ['edit_external_contact', anExternalContactEvent({ changeType: 'edit_external_contact' })],
    [
      'transfer_fail',
      anExternalContactEvent({ changeType: 'transfer_fail', failReason: 'customer_refused' }),
    ],
    ['msgaudit_notify', { kind: 'msgaudit-notify', corpId: CORP, createTime: EVENT_CREATE_TIME }],
    ['an app text message', { kind: 'other', corpId: CORP, msgType: 'text' }],
    ['an unused event', { kind: 'other', corpId: CORP, msgType: 'event', event: 'change_external_chat' }],
  ])('produces no event for %s', (_case, input) => {
    // Act
    const events = normalizeXmlEvent(input, CORP);

    // Assess
    expect(events).toEqual([]);
  });

  it('turns update_user into member.profile-changed with the changed fields and the new user id', () => {
    // Prepare
    const input = anUpdateUserEvent({
      fields: { Name: '张三', Position: '产品经理' },
      newUserId: 'zhangsan001',
    });

    // Act
    const event = single(normalizeXmlEvent(input, CORP));

    // Assess
    expect(event).toEqual({
      v: 1,
      id: event.id,
      type: 'member.profile-changed',
      corpId: CORP,
      userId: MEMBER_USER_ID,
      at: EVENT_CREATE_TIME * 1000,
      changes: { Name: '张三', Position: '产品经理' },
      newUserId: 'zhangsan001',
    });
  });

  it('uses CreateTime × 1000 of the decrypted XML as the event time', () => {
    // Prepare
    const xml = externalContactXml('add_external_contact', { CreateTime: 1700000123 });

    // Act
    const event = single(normalizeXmlEvent(parseXmlEvent(xml), CORP));

    // Assess
    expect(event.at).toBe(1_700_000_123_000);
  });
});

describe('normalizeMessageRecords', () => {
  it("turns a member's send record into message.sent from a member", () => {
    // Prepare
    const record = anArchiveMessageRecord({ from: 'XuJinSheng', tolist: ['icefog'], roomid: '' });

    // Act
    const event = single(normalizeMessageRecords([record], CORP));

    // Assess
    expect(event).toEqual({
      v: 1,
      id: event.id,
      type: 'message.sent',
      corpId: CORP,
      userId: 'XuJinSheng',
      at: record.msgtime,
      msgId: record.msgid,
      sender: 'XuJinSheng',
      senderKind: 'member',
      recipients: ['icefog'],
      roomId: null,
      msgType: 'text',
      text: 'test',
    });
  });

  it.each([
    ['a WeCom user (wm…)', 'wmUu0zBgAALV7hobVYg7lsCrzqqyEi-A'],
    ['a WeChat user (wo…)', 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA'],
    ['a 32-character wm id', `wm${'X'.repeat(30)}`],
  ])('marks a message from %s as sent by an external contact', (_case, from) => {
    // Prepare
    const record = anArchiveMessageRecord({ from, tolist: [MEMBER_USER_ID] });

    // Act
    const event = single(normalizeMessageRecords([record], CORP));

    // Assess: filed under the member it was written to, so it is ordered with that member's events
    expect(event).toMatchObject({
      type: 'message.sent',
      userId: MEMBER_USER_ID,
      sender: from,
      senderKind: 'external',
    });
  });

  it("files a customer's room message under the first member among its recipients", () => {
    // Prepare
    const customer = 'wmUu0zBgAALV7hobVYg7lsCrzqqyEi-A';
    const record = anArchiveMessageRecord({
      from: customer,
      tolist: ['woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA', 'lisi', 'wangwu'],
      roomid: 'wrjc7bDwYAySAAAAAAAAAA',
    });

    // Act
    const event = single(normalizeMessageRecords([record], CORP));

    // Assess
    expect(event).toMatchObject({ userId: 'lisi', sender: customer, senderKind: 'external' });
  });

  it.each([
    'wmzhang',
    'wo',
    'w',
  ])('marks a member whose id merely starts like one (%s) as a member', (from) => {
    // Prepare
    const record = anArchiveMessageRecord({ from });

    // Act
    const event = single(normalizeMessageRecords([record], CORP));

    // Assess
    expect(event).toMatchObject({ senderKind: 'member' });
  });

  it('keeps the room id of a group message and null text for a message without text', () => {
    // Prepare
    const { text: _text, ...withoutText } = anArchiveMessageRecord({
      roomid: 'wrjc7bDwYAySAAAAAAAAAA',
      msgtype: 'image',
    });

    // Act
    const event = single(normalizeMessageRecords([withoutText], CORP));

    // Assess
    expect(event).toMatchObject({ roomId: 'wrjc7bDwYAySAAAAAAAAAA', msgType: 'image', text: null });
  });

  it('turns a recall record into message.recalled naming the recalled message', () => {
    // Prepare
    const record = anArchiveRecallRecord({
      msgid: 'recall-1',
      recalledMsgId: 'sent-9',
      msgtime: 1603875624476,
    });

    // Act
    const event = single(normalizeMessageRecords([record], CORP));

    // Assess
    expect(event).toEqual({
      v: 1,
      id: event.id,
      type: 'message.recalled',
      corpId: CORP,
      userId: record.from,
      at: 1603875624476,
      msgId: 'sent-9',
      recallMsgId: 'recall-1',
    });
  });

  it('turns a complaint into complaint.received against the member', () => {
    // Prepare
    const record = aComplaintRecord();

    // Act
    const event = single(normalizeMessageRecords([record], CORP));

    // Assess
    expect(event).toEqual({
      v: 1,
      id: event.id,
      type: 'complaint.received',
      corpId: CORP,
      userId: record.userId,
      at: record.time,
      complaintId: record.id,
      externalUserId: record.from,
      reason: record.reason,
    });
  });

  it('produces no event for a switch record and keeps the order of the others', () => {
    // Prepare
    const records: MessageRouteRecord[] = [
      anArchiveMessageRecord({ msgid: 'm1' }),
      { kind: 'archive-switch', msgid: 'switch-1' },
      aComplaintRecord(),
      anArchiveRecallRecord({ msgid: 'm2' }),
    ];

    // Act
    const events = normalizeMessageRecords(records, CORP);

    // Assess
    expect(events.map((event) => event.type)).toEqual([
      'message.sent',
      'complaint.received',
      'message.recalled',
    ]);
    for (const event of events) expectValidDomainEvent(event);
  });

  it('produces nothing for no records', () => {
    // Act
    const events = normalizeMessageRecords([], CORP);

    // Assess
    expect(events).toEqual([]);
  });
});

describe('normalizeWechatStatus', () => {
  it('turns a ban into wechat.status-changed with its reason', () => {
    // Prepare
    const record = aWechatStatusRecord({ status: 'banned', reason: 'spam' });

    // Act
    const event = single(normalizeWechatStatus(record, CORP));

    // Assess
    expect(event).toEqual({
      v: 1,
      id: event.id,
      type: 'wechat.status-changed',
      corpId: CORP,
      userId: record.userId,
      at: record.time,
      statusId: record.id,
      status: 'banned',
      reason: 'spam',
    });
  });

  it('turns an unban without reason into wechat.status-changed without reason', () => {
    // Prepare
    const { reason: _reason, ...record } = aWechatStatusRecord({ status: 'unbanned' });

    // Act
    const event = single(normalizeWechatStatus(record, CORP));

    // Assess
    expect(event).toMatchObject({ type: 'wechat.status-changed', status: 'unbanned', at: record.time });
    expect(event).not.toHaveProperty('reason');
  });
});

describe('event ids', () => {
  const changeTypes: readonly ExternalContactChange[] = [
    'add_external_contact',
    'add_half_external_contact',
    'del_external_contact',
    'del_follow_user',
  ];

  it('keeps the id every earlier release gave the same callback, so a redelivery across a deploy is still known', () => {
    // Prepare: one callback of every kind; the ids are what the released engine gave them.
    const contact = (change: ExternalContactChange, extra = {}) =>
      normalizeXmlEvent(parseXmlEvent(externalContactXml(change, extra)), CORP)[0]?.id;
    const withOptional = { State: 'qr-1', Source: 'DELETE_BY_TRANSFER', NewUserID: 'lisi' };

    // Act
    const ids = {
      added: contact('add_external_contact'),
      addedViaContactMe: contact('add_external_contact', withOptional),
      halfAdded: contact('add_half_external_contact'),
      halfAddedViaContactMe: contact('add_half_external_contact', withOptional),
      deletedByMember: contact('del_external_contact'),
      deletedByMemberWithSource: contact('del_external_contact', withOptional),
      deletedByCustomer: contact('del_follow_user', withOptional),
      profileChanged: normalizeXmlEvent(parseXmlEvent(updateUserXml({ Name: '张三' })), CORP)[0]?.id,
      message: normalizeMessageRecords([anArchiveMessageRecord()], CORP)[0]?.id,
      recall: normalizeMessageRecords([anArchiveRecallRecord()], CORP)[0]?.id,
      complaint: normalizeMessageRecords([aComplaintRecord()], CORP)[0]?.id,
      status: normalizeWechatStatus(aWechatStatusRecord(), CORP)[0]?.id,
    };

    // Assess
    expect(ids).toEqual({
      added: '34fcca44bba729ee245d8eee7ae37d24afaff727',
      addedViaContactMe: '19dd53ab5681dbeaeaba9d3c6fdb6ea20aefb851',
      halfAdded: '2926347380dacdc4dc79d37836911a3f3777373e',
      halfAddedViaContactMe: '798893677387254e1b73293f9219a96e5b934058',
      deletedByMember: '131bf0da2d29c8d71014285abc4cb285db705fd8',
      deletedByMemberWithSource: '22db98bc0e48d706138c61dd5aecbf10652cace2',
      deletedByCustomer: '2c5db2d8c28893c663d88713bf852e55eb10b161',
      profileChanged: '5ef89334dac2972f277ff1b5bfa793ea67cf34bc',
      message: 'fb3091dda0a10388908bd4da3f404439fba963f5',
      recall: '11b237ae43594a08c0b40a04e5394722bb541e94',
      complaint: 'ce4233e1336bde6bfb31f8432b9ddc97671c9fe9',
      status: 'c6ec943865932eb288ac428d55f85f8fad5e4865',
    });
  });

  it('gives the same input the same id every time', () => {
    // Act
    const first = normalizeXmlEvent(anExternalContactEvent({ state: 'qr-1' }), CORP);
    const second = normalizeXmlEvent(anExternalContactEvent({ state: 'qr-1' }), CORP);

    // Assess
    expect(first[0]?.id).toMatch(/^[0-9a-f]{40}$/);
    expect(second[0]?.id).toBe(first[0]?.id);
  });

  it('does not depend on the time of processing', () => {
    // Prepare
    const input = anArchiveMessageRecord();
    vi.useFakeTimers();

    // Act
    vi.setSystemTime(new Date('2024-01-01T00:00:00Z'));
    const early = normalizeMessageRecords([input], CORP)[0]?.id;
    vi.setSystemTime(new Date('2031-06-30T12:00:00Z'));
    const late = normalizeMessageRecords([input], CORP)[0]?.id;

    // Assess
    expect(early).toBeDefined();
    expect(late).toBe(early);
  });

  it('gives two deliveries of the same callback (new random bytes, so new ciphertext) the same id', () => {
    // Prepare
    const aes = deriveAesKey(GO_SAMPLE.config.encodingAesKey);
    const xml = externalContactXml('del_follow_user');
    const deliveries = [encrypt(aes, xml, CORP), encrypt(aes, xml, CORP)];

    // Act
    const ids = deliveries.map(
      (ciphertext) => normalizeXmlEvent(parseXmlEvent(decrypt(aes, ciphertext, CORP).message), CORP)[0]?.id,
    );

    // Assess
    expect(deliveries[0]).not.toBe(deliveries[1]);
    expect(ids[0]).toBeDefined();
    expect(ids[1]).toBe(ids[0]);
  });

  it('does not depend on how the XML is laid out or on fields outside the event', () => {
    // Prepare
    const compact = externalContactXml('add_external_contact', { State: 'qr-1' }).replaceAll('\n', '');
    const spaced = externalContactXml('add_external_contact', {
      State: 'qr-1',
      AgentID: '1000002',
    }).replaceAll('\n', '\n  ');

    // Act
    const [compactEvent] = normalizeXmlEvent(parseXmlEvent(compact), CORP);
    const [spacedEvent] = normalizeXmlEvent(parseXmlEvent(spaced), CORP);

    // Assess
    expect(compactEvent?.id).toBeDefined();
    expect(spacedEvent?.id).toBe(compactEvent?.id);
  });

  it.each([
    ['the member', { userId: 'lisi' }],
    ['the external user', { externalUserId: 'wmOTHERgAALV7hobVYg7lsCrzqqyEi-A' }],
    ['CreateTime (by one second)', { createTime: EVENT_CREATE_TIME + 1 }],
    ['the State', { state: 'qr-2' }],
  ])('differs when %s differs', (_case, change) => {
    // Act
    const base = idOfContactEvent({ state: 'qr-1' });
    const changed = idOfContactEvent({ state: 'qr-1', ...change });

    // Assess
    expect(base).toBeDefined();
    expect(changed).toBeDefined();
    expect(changed).not.toBe(base);
  });

  it('differs between every ChangeType for the same member, customer and time', () => {
    // Act
    const ids = changeTypes.map((changeType) => idOfContactEvent({ changeType }));

    // Assess
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(changeTypes.length);
  });

  it('differs between two members deleted by the same customer in the same second', () => {
    // Prepare: FromUserName is always "sys" and CreateTime has 1 s resolution; the ids must not collide.
    const first = parseXmlEvent(externalContactXml('del_follow_user', { UserID: 'zhangsan' }));
    const second = parseXmlEvent(externalContactXml('del_follow_user', { UserID: 'lisi' }));

    // Act
    const ids = [normalizeXmlEvent(first, CORP)[0]?.id, normalizeXmlEvent(second, CORP)[0]?.id];

    // Assess
    expect(ids[0]).toBeDefined();
    expect(ids[1]).not.toBe(ids[0]);
  });

  it.each([
    ['the msgid', { msgid: 'CAQQluDa4QUY0On2rYSAgAMgzPrShAF=' }],
    ['the msgtime', { msgtime: 1547087894784 }],
    ['the sender', { from: 'icefog' }],
  ])('differs for a message when %s differs', (_case, change) => {
    // Act
    const base = idOfMessage({});
    const changed = idOfMessage(change);

    // Assess
    expect(base).toBeDefined();
    expect(changed).toBeDefined();
    expect(changed).not.toBe(base);
  });

  it('differs for a complaint or a status change when its own id or status differs', () => {
    // Act
    const complaints = [aComplaintRecord(), aComplaintRecord({ id: 'complaint-0002' })].map(
      (record) => normalizeMessageRecords([record], CORP)[0]?.id,
    );
    const statuses = [aWechatStatusRecord(), aWechatStatusRecord({ status: 'unbanned' })].map(
      (record) => normalizeWechatStatus(record, CORP)[0]?.id,
    );

    // Assess
    expect(complaints[0]).toBeDefined();
    expect(complaints[1]).not.toBe(complaints[0]);
    expect(statuses[0]).toBeDefined();
    expect(statuses[1]).not.toBe(statuses[0]);
  });

  it('is the same for equal contact events and differs for different ones, and every event is valid', () => {
    const userIds = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_@.-]{0,63}$/);
    const contact = fc.record({
      changeType: fc.constantFrom(...changeTypes),
      userId: userIds,
      externalUserId: fc.stringMatching(/^w[mo][A-Za-z0-9_-]{30}$/),
      createTime: fc.integer({ min: 946_684_800, max: 4_102_444_799 }),
      state: fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(contact, contact, (a, b) => {
        // Prepare
        const toInput = (fields: typeof a) =>
          anExternalContactEvent({
            changeType: fields.changeType,
            userId: fields.userId,
            externalUserId: fields.externalUserId,
            createTime: fields.createTime,
            ...(fields.state === undefined ? {} : { state: fields.state }),
          });

        // Act
        const [first] = normalizeXmlEvent(toInput(a), CORP);
        const [again] = normalizeXmlEvent(toInput(a), CORP);
        const [other] = normalizeXmlEvent(toInput(b), CORP);

        // Assess
        expectValidDomainEvent(first);
        expectValidDomainEvent(other);
        expect(again?.id).toBe(first?.id);
        expect(first?.at).toBe(a.createTime * 1000);
        if (JSON.stringify(a) !== JSON.stringify(b)) expect(other?.id).not.toBe(first?.id);
      }),
    );
  });

  it('is the same for equal message records and differs for different msgids, and every event is valid', () => {
    // Ids as CONTRACT §3 has them: member ids in WeCom's form, the others printable ASCII.
    const printableId = fc.stringMatching(/^[\x20-\x7e]{1,64}$/);
    const message = fc.record({
      msgid: printableId,
      action: fc.constant('send' as const),
      from: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_@.-]{0,63}$/),
      tolist: fc.array(printableId, { maxLength: 5 }),
      roomid: fc.oneof(fc.constant(''), printableId),
      msgtime: fc.integer({ min: 946_684_800_000, max: 4_102_444_799_999 }),
      msgtype: fc.constantFrom('text', 'image', 'revoke'),
      text: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(message, printableId, (fields, otherMsgid) => {
        // Prepare
        fc.pre(otherMsgid !== fields.msgid);
        const { text, ...rest } = fields;
        const record: ArchiveMessageRecord = {
          kind: 'archive-message',
          ...rest,
          ...(text === undefined ? {} : { text }),
        };

        // Act
        const [first] = normalizeMessageRecords([record], CORP);
        const [again] = normalizeMessageRecords([{ ...record }], CORP);
        const [other] = normalizeMessageRecords([{ ...record, msgid: otherMsgid }], CORP);

        // Assess
        expectValidDomainEvent(first);
        expect(first?.at).toBe(fields.msgtime);
        expect(again?.id).toBe(first?.id);
        expect(other?.id).not.toBe(first?.id);
      }),
    );
  });

  it('gives the member profile event of an update_user XML an id that follows its own fields', () => {
    // Prepare
    const base = updateUserXml({ Name: '张三' });
    const renamed = updateUserXml({ Name: '张三丰' });

    // Act
    const [first] = normalizeXmlEvent(parseXmlEvent(base), CORP);
    const [again] = normalizeXmlEvent(parseXmlEvent(base), CORP);
    const [other] = normalizeXmlEvent(parseXmlEvent(renamed), CORP);

    // Assess
    expectValidDomainEvent(first);
    expect(again?.id).toBe(first?.id);
    expect(other?.id).not.toBe(first?.id);
  });
});
