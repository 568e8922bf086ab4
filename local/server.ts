import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { CALLBACK_ROUTES, type CallbackRoute } from '../shared/ingest/process-callback.js';
import { localLambdaContext, toApiGatewayEvent } from './api-gateway-event.js';
import type { LocalQueue } from './local-queue.js';
import { LOCAL_DLQ_NAME, LOCAL_QUEUE_NAME } from './local-queue.js';

/** The largest request API Gateway HTTP APIs accept (10 MB); the handlers enforce their own limit. */
const API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

/** A Lambda handler for API Gateway HTTP API events. */
export type HttpLambda = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** A move of the local clock (CONTRACT §4): forward by some ms, or to a time (ms). */
export type ClockMove = { readonly advanceMs: number } | { readonly set: number };

/** The `/local/*` controls of the running pipeline. */
export interface LocalControls {
  /** Resolves once everything queued is evaluated, with how many were. */
  drain(): Promise<number>;
  /** Moves the clock, fires what is due, drains; resolves with the new time. */
  moveClock(move: ClockMove): Promise<number>;
  /** The latest outbound events. */
  events(): readonly unknown[];
  /** The timers waiting for the clock. */
  timers(): Promise<readonly { name: string; at: number }[]>;
}

/** What the local server serves. */
export interface LocalServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly callbacks: Readonly<Record<CallbackRoute, HttpLambda>>;
  readonly queue: LocalQueue;
  /** The admin API (`/admin/...`), behind `Authorization: Bearer <token>` (IAM on AWS). */
  readonly admin?: { readonly token: string; readonly handler: HttpLambda };
  readonly local?: LocalControls;
}

/** A running local server. */
export interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

const routes: ReadonlySet<string> = new Set(CALLBACK_ROUTES);

/**
 * Serves the callback routes and the admin API through the same Lambda handlers as on AWS, plus
 * /health, /local/queue and the local controls (/local/drain, /local/clock, /local/events, /local/timers).
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server: Server = createServer((request, response) => {
    route(request, response, options).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.destroy();
      console.error('local server error', error);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: LocalServerOptions,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const method = request.method ?? 'GET';
  if (path === '/health') {
    if (method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
    return sendJson(response, 200, { status: 'ok' });
  }
  if (path === '/local/queue') {
    if (method !== 'GET') return sendJson(response, 405, { error: 'method not allowed' });
    const [queue, deadLetterQueue] = await Promise.all([
      options.queue.list(LOCAL_QUEUE_NAME),
      options.queue.list(LOCAL_DLQ_NAME),
    ]);
    // Where the queue is, for tools that speak SQS to it (`aws sqs --endpoint-url ...`), and what is on it.
    return sendJson(response, 200, {
      endpoint: options.queue.endpoint,
      queueUrl: options.queue.queueUrl,
      dlqUrl: options.queue.dlqUrl,
      queue,
      deadLetterQueue,
    });
  }
  if (path === '/admin' || path.startsWith('/admin/')) {
    if (!options.admin) return sendJson(response, 404, { error: 'not found' });
    if (!bearerMatches(request.headers.authorization, options.admin.token)) {
      return sendJson(response, 401, {
        error: 'missing or wrong bearer token (Authorization: Bearer $ADMIN_TOKEN)',
      });
    }
    const body = await readBody(request, API_GATEWAY_MAX_BODY);
    if (body === undefined) return sendJson(response, 413, { error: 'request body too large' });
    const event = toApiGatewayEvent(request, body, 'ANY /admin/{proxy+}');
    sendLambdaResult(response, await options.admin.handler(event, localLambdaContext('admin-api', 10_000)));
    return;
  }
  if (path.startsWith('/local/') && options.local)
    return localRoute(request, response, path, method, options.local);
  const match = /^\/callbacks\/([a-z-]+)$/.exec(path);
  const name = match?.[1];
  if (name === undefined || !routes.has(name)) return sendJson(response, 404, { error: 'not found' });
  if (method !== 'GET' && method !== 'POST') return sendJson(response, 405, { error: 'method not allowed' });
  const body = await readBody(request, API_GATEWAY_MAX_BODY);
  if (body === undefined) return sendJson(response, 413, { error: 'request body too large' });
  const handler = options.callbacks[name as CallbackRoute];
  const event = toApiGatewayEvent(request, body, `${method} /callbacks/${name}`);
  const result = await handler(event, localLambdaContext(`${name}-callback`));
  sendLambdaResult(response, result);
}

async function localRoute(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  method: string,
  local: LocalControls,
): Promise<void> {
  const only = (allowed: string) => {
    if (method === allowed) return true;
    response.setHeader('allow', allowed);
    sendJson(response, 405, { error: `${path} takes ${allowed}` });
    return false;
  };
  switch (path) {
    case '/local/drain':
      if (only('POST')) sendJson(response, 200, { processed: await local.drain() });
      return;
    case '/local/clock': {
      if (!only('POST')) return;
      const body = await readBody(request, 4096);
      const move = body === undefined ? null : parseClockMove(body.toString('utf8'));
      if (typeof move === 'string' || move === null) {
        sendJson(response, 400, { error: move ?? 'body too large' });
        return;
      }
      const now = await local.moveClock(move);
      sendJson(response, 200, { now: new Date(now).toISOString() });
      return;
    }
    case '/local/events':
      if (only('GET')) sendJson(response, 200, { events: local.events() });
      return;
    case '/local/timers':
      if (only('GET'))
        sendJson(response, 200, {
          timers: (await local.timers()).map((t) => ({ name: t.name, at: new Date(t.at).toISOString() })),
        });
      return;
    default:
      sendJson(response, 404, { error: 'not found' });
  }
}

/** `{"advanceMs": n}` (n ≥ 0) or `{"set": "<ISO time>"}`; a string is what is wrong with it. */
export function parseClockMove(text: string): ClockMove | string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the body is not JSON: send {"advanceMs": n} or {"set": "<ISO time>"}';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'send {"advanceMs": n} or {"set": "<ISO time>"}';
  }
  const keys = Object.keys(body);
  if (keys.length !== 1) return 'send exactly one of advanceMs and set';
  if ('advanceMs' in body) {
    const { advanceMs } = body as { advanceMs: unknown };
    if (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs) || advanceMs < 0)
      return 'advanceMs must be a number of milliseconds, 0 or more';
    return { advanceMs };
  }
  if ('set' in body) {
    const { set } = body as { set: unknown };
    const at = typeof set === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(set) ? Date.parse(set) : Number.NaN;
    if (Number.isNaN(at)) return 'set must be an ISO 8601 time, such as 2026-03-02T08:00:00Z';
    return { set: at };
  }
  return 'send {"advanceMs": n} or {"set": "<ISO time>"}';
}

/** Compares the bearer token in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = createHash('sha256').update(match[1].trim()).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected);
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendLambdaResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(result);
    return;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const body = result.body ?? '';
  response
    .writeHead(result.statusCode ?? 200, headers)
    .end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

function sendJson(response: ServerResponse, statusCode: number, value: unknown): void {
  response.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
