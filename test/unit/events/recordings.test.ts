import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../local/config.js';
import {
  buildCallbackRequest,
  findRecordingFiles,
  loadRecording,
  loadRecordings,
  type PlaintextRecording,
  parseRecording,
  RecordingError,
  type RequestRecording,
  withCorp,
} from '../../../local/recording.js';
import { type DomainEvent, type DomainEventType, domainEventSchema } from '../../../shared/domain/events.js';
import { decodeCallback, processCallback } from '../../../shared/ingest/process-callback.js';
import { decrypt, deriveAesKey, verifySignature } from '../../../shared/wecom/crypto.js';
import { readEnvelope } from '../../../shared/wecom/envelope.js';
import { parseXmlEvent } from '../../../shared/wecom/events.js';
import { parseCallbackQuery } from '../../../shared/wecom/query.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const EVENTS = resolve(ROOT, 'events');

/** The domain events each recording must give, in order; every file under events/ is listed. */
const EXPECTED: Readonly<Record<string, readonly DomainEventType[]>> = {
  'contact/add-external-contact-contact-me.json': ['contact.added'],
  'contact/add-external-contact.json': ['contact.added'],
  'contact/add-half-external-contact.json': ['contact.half-added'],
  'contact/app-text-message.json': [],
  'contact/del-external-contact.json': ['contact.deleted-by-member'],
  'contact/del-follow-user.json': ['contact.deleted-by-customer'],
  'contact/edit-external-contact.json': [],
  'contact/msgaudit-notify.json': [],
  'contact/transfer-fail.json': [],
  'contact/update-user.json': ['member.profile-changed'],
  'message/archive-batch.json': [
    'message.sent',
    'message.sent',
    'message.sent',
    'message.sent',
    'complaint.received',
  ],
  'message/archive-recall.json': ['message.recalled'],
  'message/archive-switch.json': [],
  'message/archive-text.json': ['message.sent'],
  'message/complaint.json': ['complaint.received'],
  'official/go-get-url-verification.json': [],
  'official/go-post-text-message.json': [],
  'official/py-get-url-verification.json': [],
  'wechat-status/banned.json': ['wechat.status-changed'],
  'wechat-status/unbanned.json': ['wechat.status-changed'],
};

const config = readLocalConfig({});
const devKeys = { corpId: config.corpId, token: config.token, encodingAesKey: config.encodingAesKey };
const files = await findRecordingFiles([EVENTS]);
const recordings = await loadRecordings([EVENTS]);
const named = recordings.map(({ file, recording }) => ({ name: relative(EVENTS, file), recording }));
const plaintexts = named.filter(
  (entry): entry is { name: string; recording: PlaintextRecording } => entry.recording.form === 'plaintext',
);
const requests = named.filter(
  (entry): entry is { name: string; recording: RequestRecording } => entry.recording.form === 'request',
);

/** The route's real parser and normalizer, as the callback core runs them. */
function eventsOfRecording(name: string): DomainEvent[] {
  const entry = plaintexts.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no plaintext recording ${name}`);
  return decodeCallback(
    entry.recording.route,
    withCorp(entry.recording.plaintext, config.corpId),
    config.corpId,
  );
}

describe('events/', () => {
  it('holds exactly the recordings the expectation table lists', () => {
    // Prepare
    const listed = Object.keys(EXPECTED).sort();

    // Act
    const found = files.map((file) => relative(EVENTS, file)).sort();

    // Assess
    expect(found).toEqual(listed);
    expect(plaintexts.length).toBeGreaterThanOrEqual(15);
    expect(requests.map((entry) => entry.name)).toEqual([
      'official/go-get-url-verification.json',
      'official/go-post-text-message.json',
      'official/py-get-url-verification.json',
    ]);
  });

  it.each(
    files.map((file) => [relative(EVENTS, file), file]),
  )('%s is a valid recording', async (_name, file) => {
    // Prepare
    const path = file as string;

    // Act
    const recording = await loadRecording(path);

    // Assess
    expect(recording.description.length).toBeGreaterThan(10);
    expect(['contact', 'message', 'wechat-status']).toContain(recording.route);
  });

  it.each(
    plaintexts.map((entry) => [entry.name, entry.recording]),
  )('%s gives its expected domain events', (name, recording) => {
    // Prepare
    const { route, plaintext } = recording as PlaintextRecording;
    const expected = EXPECTED[name as string];

    // Act
    const events = decodeCallback(route, withCorp(plaintext, config.corpId), config.corpId);

    // Assess
    expect(events.map((event) => event.type)).toEqual(expected);
    for (const event of events) {
      expect(domainEventSchema.parse(event)).toEqual(event);
      expect(event.corpId).toBe(config.corpId);
      expect(new Date(event.at).getUTCFullYear()).toBe(2026);
    }
  });

  it.each(
    plaintexts.map((entry) => [entry.name, entry.recording]),
  )('%s, sealed with the dev keys, authenticates and decrypts back to its plaintext', (_name, recording) => {
    // Prepare
    const aes = deriveAesKey(devKeys.encodingAesKey);
    const plaintext = recording as PlaintextRecording;

    // Act
    const request = buildCallbackRequest(plaintext, devKeys);

    // Assess
    const query = parseCallbackQuery(request.query);
    const envelope = readEnvelope(request.body ?? '');
    expect(request).toMatchObject({ method: 'POST', path: `/callbacks/${plaintext.route}` });
    expect(() =>
      verifySignature(devKeys.token, query.msgSignature, query.timestamp, query.nonce, envelope.encrypt),
    ).not.toThrow();
    const decrypted = decrypt(aes, envelope.encrypt, devKeys.corpId);
    expect(decrypted.message).toBe(withCorp(plaintext.plaintext, devKeys.corpId));
    if (plaintext.plaintext.startsWith('<')) {
      expect(decrypted.message).toContain(`<ToUserName><![CDATA[${devKeys.corpId}]]></ToUserName>`);
    }
    expect(envelope.toUserName === undefined).toBe(plaintext.envelope === 'json');
  });

  it('tells an add through a contact-me code from other adds', () => {
    // Prepare
    const viaCode = 'contact/add-external-contact-contact-me.json';
    const bySearch = 'contact/add-external-contact.json';

    // Act
    const [added] = eventsOfRecording(viaCode);
    const [searched] = eventsOfRecording(bySearch);

    // Assess
    expect(added).toMatchObject({ type: 'contact.added', userId: 'zhangsan', viaContactMe: true });
    expect(searched).toMatchObject({ type: 'contact.added', userId: 'zhangsan', viaContactMe: false });
    expect(searched).not.toHaveProperty('state');
  });

  it('reads the archive text as a member writing to a customer, in Chinese, at its own time in ms', () => {
    // Prepare
    const name = 'message/archive-text.json';

    // Act
    const [sent] = eventsOfRecording(name);

    // Assess
    expect(sent).toMatchObject({
      type: 'message.sent',
      userId: 'zhangsan',
      senderKind: 'member',
      roomId: null,
    });
    expect(sent?.type === 'message.sent' && sent.recipients[0]).toMatch(/^wm[A-Za-z0-9_-]{30}$/);
    expect(sent?.type === 'message.sent' && sent.text).toMatch(/[\u4e00-\u9fff]/);
    expect(sent?.at).toBe(1_772_417_700_412);
  });

  it('reads the batch as messages to several customers, a reply from one of them, and a complaint', () => {
    // Prepare
    const name = 'message/archive-batch.json';

    // Act
    const events = eventsOfRecording(name);

    // Assess
    const sent = events.filter((event) => event.type === 'message.sent');
    expect(new Set(sent.flatMap((event) => event.recipients)).size).toBe(4);
    expect(sent.map((event) => event.senderKind)).toEqual(['member', 'member', 'member', 'external']);
    expect(events.at(-1)).toMatchObject({ type: 'complaint.received', userId: 'lisi' });
  });

  it('gives every event of every recording its own id, so one replay of events/ queues each once', () => {
    // Prepare
    const all = plaintexts.flatMap((entry) => eventsOfRecording(entry.name));

    // Act
    const ids = new Set(all.map((event) => event.id));

    // Assess
    expect(ids.size).toBe(all.length);
    expect(all.length).toBe(Object.values(EXPECTED).flat().length);
  });
});

describe('events/official/', () => {
  it.each(
    requests.map((entry) => [entry.name, entry.recording]),
  )('%s authenticates and decrypts with its own keys', (name, recording) => {
    // Prepare
    const { request, keys, expect: answer } = recording as RequestRecording;
    const aes = deriveAesKey(keys.encodingAesKey);
    const query = parseCallbackQuery(request.query);
    const encrypted =
      request.method === 'GET' ? (query.echostr ?? '') : readEnvelope(request.body ?? '').encrypt;

    // Act
    const decrypted = decrypt(aes, encrypted, keys.corpId);

    // Assess
    expect(() =>
      verifySignature(keys.token, query.msgSignature, query.timestamp, query.nonce, encrypted),
    ).not.toThrow();
    expect(decrypted.receiveId).toBe(keys.corpId);
    if (request.method === 'GET') {
      expect(decrypted.message).toBe(answer?.body);
    } else {
      expect(parseXmlEvent(decrypted.message)).toMatchObject({
        kind: 'app-message',
        msgType: 'text',
        content: 'hello',
      });
      expect(decodeCallback(recording.route, decrypted.message, keys.corpId).map((e) => e.type)).toEqual(
        EXPECTED[name as string],
      );
    }
  });

  it.each(
    requests.map((entry) => [entry.name, entry.recording]),
  )('%s gets its expected answer from the callback core running with its keys', async (_name, recording) => {
    // Prepare
    const { request, keys, expect: answer } = recording as RequestRecording;
    const queued: DomainEvent[] = [];
    const deps = {
      keys: async () => ({ corpId: keys.corpId, token: keys.token, aes: deriveAesKey(keys.encodingAesKey) }),
      queue: { send: async (events: readonly DomainEvent[]) => void queued.push(...events) },
    };

    // Act
    const response = await processCallback(
      recording.route,
      { method: request.method, rawQueryString: request.query, body: request.body },
      deps,
    );

    // Assess
    expect({ status: response.statusCode, body: response.body }).toEqual(answer);
    expect(queued).toEqual([]);
  });

  it('keeps the GET echostr percent-encoded as WeCom sends it', () => {
    // Prepare
    const go = requests.find((entry) => entry.name === 'official/go-get-url-verification.json');

    // Act
    const query = go?.recording.request.query ?? '';

    // Assess
    expect(query).toContain(
      'echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
    );
  });
});

describe('recording format', () => {
  it('defaults the envelope to xml on contact and json on the other routes', () => {
    // Prepare
    const contact = '{"description": "d", "route": "contact", "plaintext": "<xml/>"}';
    const status = '{"description": "d", "route": "wechat-status", "plaintext": {"id": "1"}}';

    // Act
    const [a, b] = [parseRecording(contact, 'a.json'), parseRecording(status, 'b.json')];

    // Assess
    expect(a).toMatchObject({ form: 'plaintext', envelope: 'xml', agentId: '' });
    expect(b).toMatchObject({ form: 'plaintext', envelope: 'json', plaintext: '{"id":"1"}' });
  });

  it.each([
    [
      '{"description": "d", "route": "contact", "plaintext": "<xml/>", "envelop": "xml"}',
      /bad\.json: .*envelop/,
    ],
    ['{"description": "d", "route": "contacts", "plaintext": "<xml/>"}', /bad\.json: route: /],
    ['{"description": "d", "route": "contact", "plaintext": {"a": 1}}', /bad\.json: plaintext: .*XML/],
    ['{"description": "d", "route": "message"}', /bad\.json: plaintext: /],
    ['{"description": "", "route": "message", "plaintext": "{}"}', /bad\.json: description: /],
    [
      '{"description": "d", "route": "contact", "request": {"method": "GET", "query": "a=1"}, "keys": {"token": "t", "encodingAesKey": "short", "corpId": "c"}}',
      /bad\.json: keys\.encodingAesKey: /,
    ],
    [
      '{"description": "d", "route": "contact", "request": {"method": "PUT", "query": "a=1"}}',
      /bad\.json: request\.method: /,
    ],
    ['[]', /bad\.json: a recording must be a JSON object/],
    ['{"description": ', /bad\.json: not valid JSON/],
  ])('refuses %s, naming the file and the field', (content, message) => {
    // Prepare
    const parse = () => parseRecording(content, 'bad.json');

    // Act
    const error = (() => {
      try {
        parse();
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(RecordingError);
    expect((error as Error).message).toMatch(message);
  });

  it('replaces only the corp of an XML plaintext', () => {
    // Prepare
    const xml =
      '<xml><ToUserName><![CDATA[ww0000000000000000]]></ToUserName><UserID>ToUserName</UserID></xml>';

    // Act
    const rewritten = withCorp(xml, 'wwabc');

    // Assess
    expect(rewritten).toBe(
      '<xml><ToUserName><![CDATA[wwabc]]></ToUserName><UserID>ToUserName</UserID></xml>',
    );
    expect(withCorp('{"a":"<ToUserName>x</ToUserName>"}', 'wwabc')).toBe(
      '{"a":"<ToUserName>x</ToUserName>"}',
    );
  });

  it('walks folders in sorted order and names a missing path', async () => {
    // Prepare
    const paths = [resolve(EVENTS, 'wechat-status'), resolve(EVENTS, 'contact/update-user.json')];

    // Act
    const found = await findRecordingFiles(paths);

    // Assess
    expect(found.map((file) => relative(EVENTS, file))).toEqual([
      'wechat-status/banned.json',
      'wechat-status/unbanned.json',
      'contact/update-user.json',
    ]);
    await expect(findRecordingFiles(['events/nope'], ROOT)).rejects.toThrow(
      /events\/nope: no such file or folder/,
    );
  });
});
