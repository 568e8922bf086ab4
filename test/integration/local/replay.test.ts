import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../local/config.js';
import { type LocalQueue, startLocalQueue } from '../../../local/local-queue.js';
import {
  loadRecordings,
  type RecordingKeys,
  type RequestRecording,
  withCorp,
} from '../../../local/recording.js';
import { parseReplayArgs, replay, UsageError } from '../../../local/replay.js';
import { type HttpLambda, startLocalServer } from '../../../local/server.js';
import { SqsEventQueue } from '../../../shared/adapters/sqs-event-queue.js';
import type { DomainEvent } from '../../../shared/domain/events.js';
import { createCallbackHandler } from '../../../shared/ingest/callback-handler.js';
import { type CallbackRoute, decodeCallback } from '../../../shared/ingest/process-callback.js';
import { deriveAesKey } from '../../../shared/wecom/crypto.js';
import { silentMetrics } from '../../helpers/observability.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The local pipeline's ingest half: the real handlers behind the real local server, on fauxqs. */
interface Harness {
  readonly url: string;
  readonly queue: LocalQueue;
  stop(): Promise<void>;
}

const config = readLocalConfig({});
const devKeys: RecordingKeys = {
  corpId: config.corpId,
  token: config.token,
  encodingAesKey: config.encodingAesKey,
};
const harnesses: Harness[] = [];

async function startHarness(keys: RecordingKeys): Promise<Harness> {
  const queue = await startLocalQueue();
  const logger = new Logger({ serviceName: 'replay-test', logLevel: 'SILENT' });
  const deps = {
    keys: async () => ({ corpId: keys.corpId, token: keys.token, aes: deriveAesKey(keys.encodingAesKey) }),
    queue: new SqsEventQueue({ client: queue.client, queueUrl: queue.queueUrl, budgetMs: 1000 }),
  };
  const callbacks: Record<CallbackRoute, HttpLambda> = {
    contact: createCallbackHandler('contact', deps, logger, silentMetrics()),
    message: createCallbackHandler('message', deps, logger, silentMetrics()),
    'wechat-status': createCallbackHandler('wechat-status', deps, logger, silentMetrics()),
  };
  const server = await startLocalServer({ port: 0, callbacks, queue });
  const harness = {
    url: server.url,
    queue,
    stop: async () => {
      await server.close();
      await queue.stop();
    },
  };
  harnesses.push(harness);
  return harness;
}

/** What the route's real parser and normalizer make of a plaintext, with the configured corp. */
async function queuedIds(harness: Harness): Promise<string[]> {
  return (await harness.queue.list()).map((message) => (JSON.parse(message.body) as DomainEvent).id).sort();
}

const recordings = await loadRecordings(['events'], ROOT);
const expectedIds = [
  ...new Set(
    recordings.flatMap(({ recording }) =>
      recording.form === 'plaintext'
        ? decodeCallback(recording.route, withCorp(recording.plaintext, config.corpId), config.corpId).map(
            (e) => e.id,
          )
        : [],
    ),
  ),
].sort();
const officialFiles = recordings
  .filter(({ recording }) => recording.form === 'request')
  .map(({ file, recording }) => [file.slice(ROOT.length + 1), recording] as const);

describe('replay against the local server', () => {
  let main: Harness;

  beforeAll(async () => {
    main = await startHarness(devKeys);
  });

  afterAll(async () => {
    for (const harness of harnesses.splice(0)) await harness.stop();
  });

  it('sends every recording under events/: each plaintext one is accepted and its events are queued once', async () => {
    // Prepare
    const lines: string[] = [];

    // Act
    const report = await replay({
      paths: ['events'],
      url: main.url,
      keys: devKeys,
      cwd: ROOT,
      write: (l) => lines.push(l),
    });

    // Assess
    expect(report.ok).toBe(true);
    expect(report.outcomes).toHaveLength(recordings.length);
    const plaintext = report.outcomes.filter((outcome) => outcome.form === 'plaintext');
    expect(plaintext.length).toBeGreaterThanOrEqual(15);
    for (const outcome of plaintext)
      expect({ file: outcome.file, status: outcome.status, body: outcome.body }).toEqual({
        file: outcome.file,
        status: 200,
        body: 'success',
      });
    // The official vectors carry their own keys: the dev server refuses them, and says how to accept them.
    const official = report.outcomes.filter((outcome) => outcome.form === 'request');
    expect(official.map((outcome) => outcome.status)).toEqual([401, 401, 401]);
    expect(lines.filter((line) => line.includes('hint: ')).length).toBe(3);
    expect(lines.at(-1)).toMatch(
      /^20 request\(s\) from 20 recording\(s\): 17 2xx, 3 4xx, 0 5xx, 0 without answer$/,
    );
    expect(lines[0]).toMatch(
      /^events\/contact\/add-external-contact-contact-me\.json +contact +200 success$/,
    );
    expect(expectedIds.length).toBe(16);
    expect(await queuedIds(main)).toEqual(expectedIds);
  });

  it('queues nothing more when everything is replayed again, freshly encrypted and signed', async () => {
    // Prepare
    const before = await queuedIds(main);

    // Act
    const report = await replay({
      paths: ['events/'],
      url: main.url,
      keys: devKeys,
      cwd: ROOT,
      write: () => {},
    });

    // Assess
    expect(report.ok).toBe(true);
    expect(before).toEqual(expectedIds);
    expect(await queuedIds(main)).toEqual(expectedIds);
  });

  it('--repeat 3 sends the same request three times and adds exactly one message', async () => {
    // Prepare
    const fresh = await startHarness(devKeys);
    const lines: string[] = [];

    // Act
    const report = await replay({
      paths: ['events/wechat-status/banned.json'],
      url: fresh.url,
      keys: devKeys,
      repeat: 3,
      cwd: ROOT,
      write: (line) => lines.push(line),
    });

    // Assess
    expect(report.outcomes.map((outcome) => [outcome.status, outcome.body])).toEqual([
      [200, 'success'],
      [200, 'success'],
      [200, 'success'],
    ]);
    const messages = await fresh.queue.list();
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.body ?? '{}')).toMatchObject({
      type: 'wechat.status-changed',
      status: 'banned',
    });
    expect(lines).toHaveLength(4);
  });

  it('--print shows the requests and sends nothing', async () => {
    // Prepare
    const fresh = await startHarness(devKeys);
    const lines: string[] = [];

    // Act
    const report = await replay({
      paths: ['events/contact/del-follow-user.json', 'events/message/complaint.json'],
      url: fresh.url,
      keys: devKeys,
      print: true,
      cwd: ROOT,
      write: (line) => lines.push(line),
    });

    // Assess
    expect(report).toEqual({ outcomes: [], scenarios: [], ok: true });
    expect(await fresh.queue.list()).toEqual([]);
    expect(lines[0]).toMatch(/^# events\/contact\/del-follow-user\.json {2}contact {2}/);
    expect(lines[1]).toMatch(
      /^POST \/callbacks\/contact\?msg_signature=[0-9a-f]{40}&timestamp=\d{10}&nonce=\d+\n<xml><ToUserName>/,
    );
    expect(lines[3]).toMatch(
      /^POST \/callbacks\/message\?msg_signature=[0-9a-f]{40}&timestamp=\d+&nonce=\d+\n\{"encrypt":"/,
    );
  });

  it.each(
    officialFiles,
  )('%s gets its expected answer from a server running with its keys', async (file, recording) => {
    // Prepare
    const { keys, expect: answer } = recording as RequestRecording;
    const own = await startHarness(keys);

    // Act
    const report = await replay({ paths: [file], url: own.url, keys: devKeys, cwd: ROOT, write: () => {} });

    // Assess
    expect(report.outcomes.map((outcome) => ({ status: outcome.status, body: outcome.body }))).toEqual([
      answer,
    ]);
    expect(await own.queue.list()).toEqual([]);
  });

  it('fails (ok false) when nothing answers, and still reports every request', async () => {
    // Prepare
    const url = await closedPortUrl();
    const lines: string[] = [];

    // Act
    const report = await replay({
      paths: ['events/wechat-status'],
      url,
      keys: devKeys,
      cwd: ROOT,
      write: (line) => lines.push(line),
      timeoutMs: 2_000,
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(report.outcomes.map((outcome) => outcome.error)).toEqual([
      expect.stringMatching(/^no answer: /),
      expect.stringMatching(/^no answer: /),
    ]);
    expect(lines.at(-1)).toContain('is `npm start` running');
  });
});

describe('parseReplayArgs', () => {
  it('defaults the URL to PORT and the keys to the local configuration', () => {
    // Prepare
    const env = { PORT: '3456', WECOM_CORP_ID: 'wwtest', INIT_CWD: '/somewhere' };

    // Act
    const options = parseReplayArgs(['events/contact', 'events/message'], env);

    // Assess
    expect(options).toEqual({
      paths: ['events/contact', 'events/message'],
      url: 'http://127.0.0.1:3456',
      keys: { corpId: 'wwtest', token: config.token, encodingAesKey: config.encodingAesKey },
      repeat: 1,
      print: false,
      json: false,
      adminToken: config.adminToken,
      cwd: '/somewhere',
    });
  });

  it('reads --url, --repeat, --print and --json, values in both spellings', () => {
    // Prepare
    const argv = ['--url=http://localhost:9000/', 'events/', '--repeat', '3', '--print', '--json'];

    // Act
    const options = parseReplayArgs(argv, {});

    // Assess
    expect(options).toMatchObject({
      paths: ['events/'],
      url: 'http://localhost:9000',
      repeat: 3,
      print: true,
      json: true,
    });
  });

  it.each([
    [[]],
    [['events/', '--repeat', '0']],
    [['events/', '--repeat']],
    [['events/', '--loud']],
  ])('refuses %j', (argv) => {
    // Prepare
    const parse = () => parseReplayArgs(argv, {});

    // Act
    const act = () => parse();

    // Assess
    expect(act).toThrow(UsageError);
  });
});

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((done) => server.close(() => done()));
  return `http://127.0.0.1:${port}`;
}
