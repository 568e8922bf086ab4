import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { localLambdaContext } from '../../local/api-gateway-event.js';
import { LOCAL_AWS, type LocalQueue, startLocalQueue } from '../../local/local-queue.js';
import { type SealedCallback, sealCallback, signAndWrap } from '../../local/seal-callback.js';
import { SqsEventQueue } from '../../shared/adapters/sqs-event-queue.js';
import type { DomainEvent } from '../../shared/domain/events.js';
import { type CallbackHandler, createCallbackHandler } from '../../shared/ingest/callback-handler.js';
import type { CallbackRoute } from '../../shared/ingest/process-callback.js';
import { deriveAesKey } from '../../shared/wecom/crypto.js';
import { silentLogger, silentMetrics } from './observability.js';

/** Keys the test corp is configured with. */
export const TEST_KEYS = {
  corpId: 'wwtestcorp00000001',
  token: 'testCallbackToken',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

/** A signed callback request: its raw query string and body. */
export interface SignedRequest {
  readonly rawQueryString: string;
  readonly body: string;
  readonly encrypted: string;
}

/** Options for building a signed callback. */
export interface SignOptions {
  readonly token?: string;
  readonly encodingAesKey?: string;
  readonly receiveId?: string;
  readonly envelope?: 'xml' | 'json';
  readonly timestamp?: string;
  readonly nonce?: string;
}

/** Encrypts and signs `plaintext` as WeCom would, returning the POST request parts. */
export function signedPost(plaintext: string, options: SignOptions = {}): SignedRequest {
  return asRequest(sealCallback(plaintext, keysOf(options), sealOptionsOf(options)));
}

/** Signs an already encrypted text and wraps it in the chosen envelope. */
export function signedEnvelope(encrypted: string, options: SignOptions = {}): SignedRequest {
  return asRequest(signAndWrap(encrypted, keysOf(options), sealOptionsOf(options)));
}

function keysOf(options: SignOptions) {
  return {
    corpId: TEST_KEYS.corpId,
    token: options.token ?? TEST_KEYS.token,
    encodingAesKey: options.encodingAesKey ?? TEST_KEYS.encodingAesKey,
  };
}

/** Fixed time and nonce by default, so that the same plaintext gives the same signature inputs. */
function sealOptionsOf(options: SignOptions) {
  return {
    envelope: options.envelope ?? 'xml',
    timestamp: options.timestamp ?? '1795000000',
    nonce: options.nonce ?? '1234567890',
    agentId: '1000002',
    ...(options.receiveId === undefined ? {} : { receiveId: options.receiveId }),
  } as const;
}

function asRequest(sealed: SealedCallback): SignedRequest {
  return { rawQueryString: sealed.query, body: sealed.body, encrypted: sealed.encrypted };
}

/** An API Gateway HTTP API event for a callback route. */
export function apiEvent(
  route: CallbackRoute,
  method: 'GET' | 'POST',
  rawQueryString: string,
  body?: string,
  isBase64Encoded = false,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} /callbacks/${route}`,
    rawPath: `/callbacks/${route}`,
    rawQueryString,
    headers: { 'content-type': 'text/xml' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      http: {
        method,
        path: `/callbacks/${route}`,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: 'req',
      routeKey: `${method} /callbacks/${route}`,
      stage: '$default',
      time: '28/Nov/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded,
    ...(body === undefined ? {} : { body }),
  };
}

/** The three callback handlers wired to a real local SQS server (fauxqs), with the test keys. */
export interface CallbackHarness {
  readonly queue: LocalQueue;
  invoke(route: CallbackRoute, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2>;
  /** The domain events currently in the queue, oldest first. */
  queued(): Promise<DomainEvent[]>;
  /** Message group ids of the queued messages, in the same order. */
  groups(): Promise<(string | undefined)[]>;
  /** Empties the queue between tests. */
  purge(): Promise<void>;
  stop(): Promise<void>;
}

const silent = silentLogger();

/** Starts fauxqs and builds the handlers; `queueBudgetMs` bounds the ingest's retries. */
export async function startCallbackHarness(queueBudgetMs = 1_000): Promise<CallbackHarness> {
  const queue = await startLocalQueue();
  const keys = async () => ({
    corpId: TEST_KEYS.corpId,
    token: TEST_KEYS.token,
    aes: deriveAesKey(TEST_KEYS.encodingAesKey),
  });
  const eventQueue = new SqsEventQueue({
    client: queue.client,
    queueUrl: queue.queueUrl,
    budgetMs: queueBudgetMs,
  });
  const handlers = new Map<CallbackRoute, CallbackHandler>(
    (['contact', 'message', 'wechat-status'] as const).map((route) => [
      route,
      createCallbackHandler(route, { keys, queue: eventQueue }, silent, silentMetrics()),
    ]),
  );
  return {
    queue,
    invoke: async (route, event) => {
      const handler = handlers.get(route);
      if (!handler) throw new Error(`no handler for ${route}`);
      return (await handler(
        event,
        localLambdaContext(`${route}-callback`),
      )) as APIGatewayProxyStructuredResultV2;
    },
    queued: async () => (await queue.list()).map((message) => JSON.parse(message.body) as DomainEvent),
    groups: async () => (await queue.list()).map((message) => message.groupId),
    purge: async () => {
      const { PurgeQueueCommand } = await import('@aws-sdk/client-sqs');
      await queue.client.send(new PurgeQueueCommand({ QueueUrl: queue.queueUrl }));
    },
    stop: () => queue.stop(),
  };
}

/** A handler whose queue is a real SQS client pointed at a port where nothing listens. */
export function unreachableQueueHandler(route: CallbackRoute, budgetMs = 300): CallbackHandler {
  const client = new SQSClient({
    ...LOCAL_AWS,
    endpoint: 'http://127.0.0.1:9',
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 100, requestTimeout: 200 },
  });
  const keys = async () => ({
    corpId: TEST_KEYS.corpId,
    token: TEST_KEYS.token,
    aes: deriveAesKey(TEST_KEYS.encodingAesKey),
  });
  const queue = new SqsEventQueue({ client, queueUrl: 'http://127.0.0.1:9/000000000000/x.fifo', budgetMs });
  return createCallbackHandler(route, { keys, queue }, silent, silentMetrics());
}

/**
 * The harness of one test file: started before its tests, emptied before each, stopped after.
 * The object forwards to the harness once it has started.
 */
export function useCallbackHarness(queueBudgetMs?: number): CallbackHarness {
  let started: CallbackHarness | undefined;
  const current = (): CallbackHarness => {
    if (!started) throw new Error('the callback harness is used outside a test');
    return started;
  };
  beforeAll(async () => {
    started = await startCallbackHarness(queueBudgetMs);
  });
  afterAll(async () => {
    await started?.stop();
  });
  beforeEach(async () => {
    await current().purge();
  });
  return {
    get queue() {
      return current().queue;
    },
    invoke: (route, event) => current().invoke(route, event),
    queued: () => current().queued(),
    groups: () => current().groups(),
    purge: () => current().purge(),
    stop: () => current().stop(),
  };
}
