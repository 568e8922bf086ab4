import { TEST_KEYS } from './callback-harness.js';

let counter = 0;

/** A fresh suffix, so payloads of different tests never collide in the FIFO deduplication window. */
export function unique(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}`;
}

/** Fields of a change_external_contact event. */
export interface ContactEventFields {
  readonly changeType?: string;
  readonly userId?: string;
  readonly externalUserId?: string;
  readonly createTime?: number;
  readonly state?: string;
  readonly extra?: string;
}

/** A decrypted change_external_contact XML event as WeCom sends it. */
export function contactEventXml(fields: ContactEventFields = {}): string {
  const state = fields.state === undefined ? '' : `<State><![CDATA[${fields.state}]]></State>`;
  return (
    `<xml><ToUserName><![CDATA[${TEST_KEYS.corpId}]]></ToUserName>` +
    '<FromUserName><![CDATA[sys]]></FromUserName>' +
    `<CreateTime>${fields.createTime ?? 1795000000}</CreateTime>` +
    '<MsgType><![CDATA[event]]></MsgType>' +
    '<Event><![CDATA[change_external_contact]]></Event>' +
    `<ChangeType><![CDATA[${fields.changeType ?? 'add_external_contact'}]]></ChangeType>` +
    `<UserID><![CDATA[${fields.userId ?? 'zhangsan'}]]></UserID>` +
    `<ExternalUserID><![CDATA[${fields.externalUserId ?? `wmEXT${unique()}`}]]></ExternalUserID>` +
    `${state}<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>${fields.extra ?? ''}</xml>`
  );
}

/** A conversation-archive text message record. */
export function archiveTextRecord(
  from: string,
  text: string,
  msgtime = 1795000000123,
): Record<string, unknown> {
  return {
    msgid: `msg-${unique()}`,
    action: 'send',
    from,
    tolist: ['wmCustomer000000000000000000001'],
    roomid: '',
    msgtime,
    msgtype: 'text',
    text: { content: text },
  };
}
