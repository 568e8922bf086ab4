import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { MAX_ADMIN_BODY_BYTES } from '../shared/admin/index.js';
import { MAX_CALLBACK_BODY_BYTES } from '../shared/config/index.js';
import { CALLBACK_ROUTES, type CallbackRoute } from '../shared/ingest/index.js';
import { localLambdaContext, toApiGatewayEvent } from './api-gateway-event.js';
import { ClockRangeError } from './errors.js';
import type { LocalAuthorizer, LocalCaller } from './local-callers.js';
import type { LocalQueue } from './local-queue.js';
import { LOCAL_DLQ_NAME, LOCAL_QUEUE_NAME } from './local-queue.js';
import { refusedAsCrossSite } from './same-site-guard.js';

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
  /** What the evaluator has done since start: records evaluated and failed, batches by size. */
  evaluator(): Promise<unknown>;
}

/** What the local server serves. */
export interface LocalServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly callbacks: Readonly<Record<CallbackRoute, HttpLambda>>;
  readonly queue: LocalQueue;
  /**
   * The admin API (`/admin/...`), behind `Authorization: Bearer <token>` (IAM on AWS): each
   * caller's token, and who the handler is told it is.
   */
  readonly admin?: { readonly callers: readonly LocalCaller[]; readonly handler: HttpLambda };
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
    const { port } = server.address() as AddressInfo;
    route(request, response, options, port).catch((error: unknown) => {
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

/** Routes a page in a browser must not reach: they change or show local state. */
function operatorOnly(path: string): boolean {
  return ['/admin', '/local', '/console'].some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: LocalServerOptions,
  port: number,
): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const method = request.method ?? 'GET';
  if (operatorOnly(path)) {
    const refused = refusedAsCrossSite(request.headers, port);
    if (refused) return sendJson(response, 403, { error: refused });
  }
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
  // The console's page and files: no bearer token (they carry no data; the guard above still
  // refuses a foreign site). Its API is /admin here: /console/api/* is for AWS's JWT authorizer only.
  if ((path === '/console' || path.startsWith('/console/')) && !path.startsWith('/console/api/')) {
    if (!options.admin) return sendJson(response, 404, { error: 'not found' });
    const event = toApiGatewayEvent(request, Buffer.alloc(0), 'GET /console/{proxy+}');
    sendLambdaResult(response, await options.admin.handler(event, localLambdaContext('admin-api', 10_000)));
    return;
  }
  if (path === '/admin' || path.startsWith('/admin/')) {
    if (!options.admin) return sendJson(response, 404, { error: 'not found' });
    const caller = callerOf(request.headers.authorization, options.admin.callers);
    if (!caller) {
      return sendJson(response, 401, {
        error: 'missing or wrong bearer token (Authorization: Bearer $ADMIN_TOKEN)',
      });
    }
    const body = await readBody(request, MAX_ADMIN_BODY_BYTES);
    if (body === undefined) return refuseTooLarge(response, MAX_ADMIN_BODY_BYTES);
    const event = toApiGatewayEvent(request, body, 'ANY /admin/{proxy+}');
    // As API Gateway's authorizer does: the handler reads the caller from the request context.
    (event.requestContext as { authorizer?: LocalAuthorizer }).authorizer = caller.authorizer;
    sendLambdaResult(response, await options.admin.handler(event, localLambdaContext('admin-api', 10_000)));
    return;
  }
  if (path.startsWith('/local/') && options.local)
    return localRoute(request, response, path, method, options.local);
  const match = /^\/callbacks\/([a-z-]+)$/.exec(path);
  const name = match?.[1];
  if (name === undefined || !routes.has(name)) return sendJson(response, 404, { error: 'not found' });
  if (method !== 'GET' && method !== 'POST') return sendJson(response, 405, { error: 'method not allowed' });
  const body = await readBody(request, MAX_CALLBACK_BODY_BYTES);
  if (body === undefined) return refuseTooLarge(response, MAX_CALLBACK_BODY_BYTES);
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
      try {
        const now = await local.moveClock(move);
        sendJson(response, 200, { now: new Date(now).toISOString() });
      } catch (error) {
        if (!(error instanceof ClockRangeError)) throw error;
        sendJson(response, 400, { error: error.message });
      }
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
    case '/local/evaluator':
      if (only('GET')) sendJson(response, 200, await local.evaluator());
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

/**
 * The caller whose token the bearer header carries, or undefined. Every token is compared, each in
 * constant time, so the time taken tells nothing of which one (or how much of one) matched.
 */
function callerOf(header: string | undefined, callers: readonly LocalCaller[]): LocalCaller | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const given = createHash('sha256').update(match[1].trim()).digest();
  let found: LocalCaller | undefined;
  for (const caller of callers) {
    const expected = createHash('sha256').update(caller.token).digest();
    if (timingSafeEqual(given, expected)) found = caller;
  }
  return found;
}

/**
 * The request body, or undefined once it is over `limit` bytes: a Content-Length over it is refused
 * before anything is read, and a body without one stops being read at the limit. The caller then
 * answers 413 (refuseTooLarge), which closes the connection instead of reading the rest.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limit) {
    request.pause();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.pause();
      resolve(undefined);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
    // The client went away mid-body: nothing to answer (a no-op after 'end').
    request.once('close', () => resolve(undefined));
  });
}

/** 413, and the connection closes after it: the rest of the body is never read. */
function refuseTooLarge(response: ServerResponse, limit: number): void {
  response.shouldKeepAlive = false;
  sendJson(response, 413, { error: `the body is over ${limit} bytes` });
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
