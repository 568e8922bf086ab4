import { sealCallback } from '../local/seal-callback.js';
import { type AesKey, deriveAesKey } from '../shared/wecom/crypto.js';

/** The corp and keys every bench callback is signed with (none of them is a real secret). */
export const BENCH_KEYS = {
  corpId: 'ww5823bf96d3bd56c7',
  token: 'benchCallbackToken2024',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
} as const;

/** The AES key of {@link BENCH_KEYS}. */
export const BENCH_AES: AesKey = deriveAesKey(BENCH_KEYS.encodingAesKey);

/** A signed callback as WeCom POSTs it: the raw query string, the body and the parts that were signed. */
export interface SignedCallback {
  readonly rawQueryString: string;
  readonly body: string;
  readonly encrypted: string;
  readonly signature: string;
  readonly timestamp: string;
  readonly nonce: string;
}

/** The decrypted add_external_contact event, with every field WeCom sends for a QR-code add. */
export function addExternalContactXml(externalUserId: string, createTime = 1718000000): string {
  return (
    `<xml><ToUserName><![CDATA[${BENCH_KEYS.corpId}]]></ToUserName>` +
    '<FromUserName><![CDATA[sys]]></FromUserName>' +
    `<CreateTime>${createTime}</CreateTime>` +
    '<MsgType><![CDATA[event]]></MsgType>' +
    '<Event><![CDATA[change_external_contact]]></Event>' +
    '<ChangeType><![CDATA[add_external_contact]]></ChangeType>' +
    '<UserID><![CDATA[zhangsan]]></UserID>' +
    `<ExternalUserID><![CDATA[${externalUserId}]]></ExternalUserID>` +
    '<State><![CDATA[qr-campaign-2024-spring]]></State>' +
    '<WelcomeCode><![CDATA[CALLBACKCODE2yQ0LW4Rm6vPqH1sT8nB3kZ]]></WelcomeCode>' +
    '</xml>'
  );
}

/** A WeCom-shaped external user id (`wm` + 30 characters), distinct for each `n`. */
export function externalUserId(n: number): string {
  return `wmEkJ2CgAA${n.toString(36).padStart(22, '0')}`;
}

/** A conversation-archive text message whose text is `content`, other fields overridden by `extra`. */
export function archiveMessageJson(
  content = '您好，这是我们的活动链接，欢迎了解。',
  extra: Readonly<Record<string, unknown>> = {},
): string {
  return JSON.stringify({
    msgid: 'CAQQluDa4QUY0On2rYSAgAMgzPrShAE=',
    action: 'send',
    from: 'zhangsan',
    tolist: [externalUserId(1)],
    roomid: '',
    msgtime: 1718000000123,
    msgtype: 'text',
    text: { content },
    ...extra,
  });
}

/** Encrypts `plaintext` with our `encrypt`, signs it with `sign` and wraps it in WeCom's envelope. */
export function signedCallback(
  plaintext: string,
  envelope: 'xml' | 'json' = 'xml',
  timestamp = '1718000000',
  nonce = '1507322513',
): SignedCallback {
  const sealed = sealCallback(plaintext, BENCH_KEYS, { envelope, timestamp, nonce, agentId: '1000002' });
  return { ...sealed, rawQueryString: sealed.query };
}
