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

/** What the local server serves. */
export interface LocalServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly callbacks: Readonly<Record<CallbackRoute, HttpLambda>>;
  readonly queue: LocalQueue;
}

/** A running local server. */
export interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

const routes: ReadonlySet<string> = new Set(CALLBACK_ROUTES);

/** Serves the callback routes through the same Lambda handlers as on AWS, plus /health and /local/queue. */
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
    return sendJson(response, 200, { queue, deadLetterQueue });
  }
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
