import { describe, expect, it } from 'vitest';
import { decrypt, deriveAesKey } from '../../../../shared/wecom/crypto.js';
import { MalformedPayloadError } from '../../../../shared/wecom/errors.js';
import { parseXmlEvent } from '../../../../shared/wecom/events.js';
import { EXTERNAL_CONTACT_CHANGES } from '../../../../shared/wecom/types.js';
import { expectWecomError } from '../../../helpers/wecom-assertions.js';
import {
  EVENT_CORP_ID,
  EVENT_CREATE_TIME,
  EXTERNAL_USER_ID,
  externalContactXml,
  MEMBER_USER_ID,
  msgauditNotifyXml,
  renderWecomXml,
  updateUserXml,
} from '../../../helpers/wecom-event-xml.js';
import { GO_SAMPLE } from '../../../helpers/wecom-vectors.js';

describe('parseXmlEvent', () => {
  describe('change_external_contact', () => {
    it.each(EXTERNAL_CONTACT_CHANGES)('parses %s with its member, customer, corp and time', (changeType) => {
      // Prepare
      const xml = externalContactXml(changeType);

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toEqual({
        kind: 'external-contact',
        changeType,
        corpId: EVENT_CORP_ID,
        createTime: EVENT_CREATE_TIME,
        userId: MEMBER_USER_ID,
        externalUserId: EXTERNAL_USER_ID,
      });
    });

    it.each([
      'add_external_contact',
      'add_half_external_contact',
    ])('reads State and WelcomeCode of %s', (changeType) => {
      // Prepare
      const xml = externalContactXml(changeType, { State: 'teststate', WelcomeCode: 'WELCOMECODE' });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({
        kind: 'external-contact',
        state: 'teststate',
        welcomeCode: 'WELCOMECODE',
      });
    });

    it('leaves State out when it is absent or empty, so a plain add is told apart from a QR-code add', () => {
      // Prepare
      const absent = externalContactXml('add_external_contact', { WelcomeCode: 'WELCOMECODE' });
      const empty = externalContactXml('add_external_contact', { State: '', WelcomeCode: 'WELCOMECODE' });

      // Act
      const events = [parseXmlEvent(absent), parseXmlEvent(empty)];

      // Assess
      for (const event of events) {
        expect(event).not.toHaveProperty('state');
        expect(event).toMatchObject({ welcomeCode: 'WELCOMECODE' });
      }
    });

    it('reads Source of del_external_contact', () => {
      // Prepare
      const xml = externalContactXml('del_external_contact', { Source: 'DELETE_BY_TRANSFER' });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({ changeType: 'del_external_contact', source: 'DELETE_BY_TRANSFER' });
    });

    it('reads FailReason of transfer_fail, which comes before UserID', () => {
      // Prepare
      const xml = renderWecomXml({
        ToUserName: EVENT_CORP_ID,
        FromUserName: 'sys',
        CreateTime: EVENT_CREATE_TIME,
        MsgType: 'event',
        Event: 'change_external_contact',
        ChangeType: 'transfer_fail',
        FailReason: 'customer_refused',
        UserID: MEMBER_USER_ID,
        ExternalUserID: EXTERNAL_USER_ID,
      });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({
        changeType: 'transfer_fail',
        failReason: 'customer_refused',
        userId: MEMBER_USER_ID,
        externalUserId: EXTERNAL_USER_ID,
      });
    });

    it('reads CreateTime given as CDATA text', () => {
      // Prepare
      const xml = externalContactXml('del_follow_user', { CreateTime: String(EVENT_CREATE_TIME) });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({ changeType: 'del_follow_user', createTime: EVENT_CREATE_TIME });
    });

    it.each([
      ['UserID', { UserID: undefined }],
      ['ExternalUserID', { ExternalUserID: undefined }],
      ['ToUserName', { ToUserName: undefined }],
      ['CreateTime', { CreateTime: undefined }],
    ])('rejects an event without %s with a 400 error naming the field', (field, overrides) => {
      // Prepare
      const xml = externalContactXml('add_external_contact', overrides);

      // Act
      const error = expectWecomError(() => parseXmlEvent(xml), MalformedPayloadError, 400);

      // Assess
      expect(error.message).toContain(field);
    });

    it.each([
      ['a blank UserID', 'UserID', { UserID: '  ' }],
      ['a CreateTime that is not whole seconds', 'CreateTime', { CreateTime: '1403610513.5' }],
      ['a CreateTime that is not a number', 'CreateTime', { CreateTime: 'yesterday' }],
      ['a UserID longer than 256 characters', 'UserID', { UserID: 'u'.repeat(257) }],
    ])('rejects %s, naming the field', (_case, field, overrides) => {
      // Prepare
      const xml = externalContactXml('del_follow_user', overrides);

      // Act
      const error = expectWecomError(() => parseXmlEvent(xml), MalformedPayloadError, 400);

      // Assess
      expect(error.message).toContain(field);
    });

    it('tolerates control characters such as \\x10 inside CDATA, dropping them', () => {
      // Prepare
      const xml = externalContactXml('add_external_contact', {
        UserID: `${MEMBER_USER_ID}\u0010`,
        State: 'qr\u0010\u0001code',
      });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({ userId: MEMBER_USER_ID, state: 'qrcode' });
    });

    it('reads an unknown ChangeType as an other event', () => {
      // Prepare
      const xml = externalContactXml('add_external_contact_v2');

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toEqual({
        kind: 'other',
        corpId: EVENT_CORP_ID,
        msgType: 'event',
        event: 'change_external_contact',
        changeType: 'add_external_contact_v2',
      });
    });
  });

  describe('change_contact / update_user', () => {
    it('carries NewUserID on its own, not among the profile changes, and keeps the first of a repeated field', () => {
      // Prepare
      const xml = updateUserXml({ NewUserID: 'zhangsan001', Name: '张三' }).replace(
        '</xml>',
        '<Name><![CDATA[李四]]></Name></xml>',
      );

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({ kind: 'update-user', newUserId: 'zhangsan001' });
      expect(event.kind === 'update-user' ? { ...event.fields } : {}).toEqual({ Name: '张三' });
    });

    it('reads the member, the new user id and the profile fields', () => {
      // Prepare
      const xml = updateUserXml({
        NewUserID: 'zhangsan001',
        Name: '张三',
        Department: '1,2,3',
        Position: '产品经理',
        Mobile: '13800000000',
        Gender: '1',
        Email: 'zhangsan@gzdev.com',
        Alias: 'zhangsan',
        Avatar:
          'http://wx.qlogo.cn/mmopen/ajNVdqHZLLA3WJ6DSZUfiakYe37PKnQhBIeOQBO4czqrnZDS79FH5Wm5m4X69TBicnHFlhiafvDwklOpZeXYQQ2icg/0',
      });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toMatchObject({
        kind: 'update-user',
        corpId: EVENT_CORP_ID,
        createTime: EVENT_CREATE_TIME,
        userId: MEMBER_USER_ID,
        newUserId: 'zhangsan001',
        fields: {
          Name: '张三',
          Department: '1,2,3',
          Position: '产品经理',
          Mobile: '13800000000',
          Gender: '1',
          Email: 'zhangsan@gzdev.com',
          Alias: 'zhangsan',
        },
      });
    });

    it('keeps the header fields, the user id and nested elements out of the profile', () => {
      // Prepare
      const xml = updateUserXml({ Name: '张三' }).replace(
        '</xml>',
        '<ExtAttr><Item><Name><![CDATA[爱好]]></Name><Type>0</Type><Text><Value><![CDATA[旅游]]></Value></Text></Item></ExtAttr></xml>',
      );

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toEqual({
        kind: 'update-user',
        corpId: EVENT_CORP_ID,
        createTime: EVENT_CREATE_TIME,
        userId: MEMBER_USER_ID,
        fields: { Name: '张三' },
      });
    });

    it('rejects an update_user without UserID, naming the field', () => {
      // Prepare
      const xml = updateUserXml({ UserID: undefined, Name: '张三' });

      // Act
      const error = expectWecomError(() => parseXmlEvent(xml), MalformedPayloadError, 400);

      // Assess
      expect(error.message).toContain('UserID');
    });

    it('reads other change_contact changes as other events', () => {
      // Prepare
      const xml = updateUserXml({ ChangeType: 'create_user' });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toEqual({
        kind: 'other',
        corpId: EVENT_CORP_ID,
        msgType: 'event',
        event: 'change_contact',
        changeType: 'create_user',
      });
    });
  });

  describe('msgaudit_notify', () => {
    it('reads the corp and the time of the notification', () => {
      // Act
      const event = parseXmlEvent(msgauditNotifyXml());

      // Assess
      expect(event).toEqual({
        kind: 'msgaudit-notify',
        corpId: EVENT_CORP_ID,
        createTime: EVENT_CREATE_TIME,
      });
    });

    it('rejects a notification without CreateTime', () => {
      // Prepare
      const xml = msgauditNotifyXml({ CreateTime: undefined });

      // Act
      const error = expectWecomError(() => parseXmlEvent(xml), MalformedPayloadError, 400);

      // Assess
      expect(error.message).toContain('CreateTime');
    });
  });

  describe('other content', () => {
    it('reads the decrypted official GO text message as a typed app message, MsgId exact', () => {
      // Prepare
      const { message } = decrypt(
        deriveAesKey(GO_SAMPLE.config.encodingAesKey),
        GO_SAMPLE.post.encrypted,
        GO_SAMPLE.config.receiveId,
      );

      // Act
      const event = parseXmlEvent(message);

      // Assess
      expect(event).toEqual({
        kind: 'app-message',
        corpId: GO_SAMPLE.config.receiveId,
        msgType: 'text',
        fromUserName: 'mycreate',
        createTime: 1409659813,
        msgId: '4561255354251345929',
        agentId: '218',
        content: 'hello',
      });
    });

    it('refuses an app message whose MsgId is not a decimal id, naming the field', () => {
      // Prepare
      const xml =
        '<xml><ToUserName>ww1</ToUserName><FromUserName>u</FromUserName><CreateTime>1700000000</CreateTime>' +
        '<MsgType>text</MsgType><Content>hi</Content><MsgId>12ab</MsgId></xml>';

      // Act
      const parsing = () => parseXmlEvent(xml);

      // Assess
      expect(parsing).toThrow(MalformedPayloadError);
      expect(parsing).toThrow(/MsgId/);
    });

    it('reads an event the engine does not use as an other event', () => {
      // Prepare
      const xml = renderWecomXml({
        ToUserName: EVENT_CORP_ID,
        FromUserName: 'sys',
        CreateTime: EVENT_CREATE_TIME,
        MsgType: 'event',
        Event: 'change_external_chat',
        ChatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
        ChangeType: 'create',
      });

      // Act
      const event = parseXmlEvent(xml);

      // Assess
      expect(event).toEqual({
        kind: 'other',
        corpId: EVENT_CORP_ID,
        msgType: 'event',
        event: 'change_external_chat',
        changeType: 'create',
      });
    });

    it.each([
      ['is not XML', '{"msgid":"1"}'],
      ['is cut short', externalContactXml('add_external_contact').slice(0, -3)],
      ['has a root other than <xml>', '<event><MsgType>event</MsgType></event>'],
      [
        'declares an entity',
        '<!DOCTYPE xml [<!ENTITY u "zhangsan">]><xml><MsgType>event</MsgType><UserID>&u;</UserID></xml>',
      ],
    ])('rejects a plaintext that %s with a 400 MalformedPayloadError', (_case, xml) => {
      // Act & Assess
      expectWecomError(() => parseXmlEvent(xml), MalformedPayloadError, 400);
    });
  });
});
