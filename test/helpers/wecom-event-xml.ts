/** Builders of decrypted WeCom event XML, shaped like the examples of WeCom's 客户联系 docs. */

/** Fields of an event document, in document order; `undefined` leaves the element out. */
export type WecomXmlFields = Readonly<Record<string, string | number | undefined>>;

/** The corp the builders address their events to. */
export const EVENT_CORP_ID = 'ww1436e0e65a779aee';

/** A member user id as a corp would choose it. */
export const MEMBER_USER_ID = 'zhangsan';

/** An external user id of WeCom's shape (WeChat user). */
export const EXTERNAL_USER_ID = 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA';

/** CreateTime of the builders' events, in seconds. */
export const EVENT_CREATE_TIME = 1403610513;

/** Renders `<xml>` with one child per field: strings as CDATA, numbers as bare text, one per line. */
export function renderWecomXml(fields: WecomXmlFields): string {
  const children = Object.entries(fields)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) =>
      typeof value === 'number' ? `<${name}>${value}</${name}>` : `<${name}><![CDATA[${value}]]></${name}>`,
    );
  return `<xml>${children.join('\n')}\n</xml>`;
}

/** A `change_external_contact` event of `changeType`; `overrides` replace or (with undefined) drop fields. */
export function externalContactXml(changeType: string, overrides: WecomXmlFields = {}): string {
  return renderWecomXml({
    ToUserName: EVENT_CORP_ID,
    FromUserName: 'sys',
    CreateTime: EVENT_CREATE_TIME,
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: changeType,
    UserID: MEMBER_USER_ID,
    ExternalUserID: EXTERNAL_USER_ID,
    ...overrides,
  });
}

/** A `change_contact` / `update_user` event; `overrides` replace, add or (with undefined) drop fields. */
export function updateUserXml(overrides: WecomXmlFields = {}): string {
  return renderWecomXml({
    ToUserName: EVENT_CORP_ID,
    FromUserName: 'sys',
    CreateTime: EVENT_CREATE_TIME,
    MsgType: 'event',
    Event: 'change_contact',
    ChangeType: 'update_user',
    UserID: MEMBER_USER_ID,
    ...overrides,
  });
}

/** A `msgaudit_notify` event (new archived messages are ready; the event carries none). */
export function msgauditNotifyXml(overrides: WecomXmlFields = {}): string {
  return renderWecomXml({
    ToUserName: EVENT_CORP_ID,
    FromUserName: 'sys',
    CreateTime: EVENT_CREATE_TIME,
    MsgType: 'event',
    Event: 'msgaudit_notify',
    AgentID: '2000003',
    ...overrides,
  });
}
