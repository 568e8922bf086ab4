/**
 * The official WeCom sample vectors (weworkapi_golang `sample.go`, weworkapi_python
 * `callback/Sample.py`), as listed in WECOM-PROTOCOL.md.
 */

/** The callback configuration a sample was produced with. */
export interface WecomSampleConfig {
  readonly token: string;
  readonly encodingAesKey: string;
  readonly receiveId: string;
}

/** The signed parts of a sample request. */
export interface WecomSignedSample {
  readonly msgSignature: string;
  readonly timestamp: string;
  readonly nonce: string;
  /** The ciphertext the signature covers (the decoded echostr, or the `<Encrypt>` text). */
  readonly encrypted: string;
}

/** A URL-verification (GET) sample. */
export interface WecomGetSample extends WecomSignedSample {
  readonly plaintext: string;
}

/** A POST sample: the XML envelope and what its decrypted message says. */
export interface WecomPostSample extends WecomSignedSample {
  readonly body: string;
  readonly expected: { readonly fromUserName: string; readonly content: string; readonly msgId: string };
}

const GO_ECHOSTR = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const GO_POST_ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

/** Set GO: the Go (and PHP) sample. */
export const GO_SAMPLE = {
  config: {
    token: 'QDG6eK',
    encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    receiveId: 'wx5823bf96d3bd56c7',
  },
  get: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    encrypted: GO_ECHOSTR,
    plaintext: '1616140317555161061',
  },
  /** The GET query string exactly as WeCom sends it: echostr percent-encoded. */
  getRawQueryString:
    'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780' +
    '&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
  post: {
    msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypted: GO_POST_ENCRYPT,
    body: `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${GO_POST_ENCRYPT}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
    expected: { fromUserName: 'mycreate', content: 'hello', msgId: '4561255354251345929' },
  },
} as const satisfies {
  config: WecomSampleConfig;
  get: WecomGetSample;
  getRawQueryString: string;
  post: WecomPostSample;
};

/** Set PY: the Python sample. */
export const PY_SAMPLE = {
  config: {
    token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
    encodingAesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    receiveId: 'ww1436e0e65a779aee',
  },
  get: {
    msgSignature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
    timestamp: '1476416373',
    nonce: '47744683',
    encrypted: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
    plaintext: '1288432023552776189',
  },
} as const satisfies { config: WecomSampleConfig; get: WecomGetSample };

/** Every sample ciphertext with the configuration it belongs to, for table-driven tests. */
export const ALL_SAMPLE_CIPHERTEXTS: readonly {
  readonly name: string;
  readonly config: WecomSampleConfig;
  readonly sample: WecomSignedSample;
}[] = [
  { name: 'GO GET', config: GO_SAMPLE.config, sample: GO_SAMPLE.get },
  { name: 'GO POST', config: GO_SAMPLE.config, sample: GO_SAMPLE.post },
  { name: 'PY GET', config: PY_SAMPLE.config, sample: PY_SAMPLE.get },
];
