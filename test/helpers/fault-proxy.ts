import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with the n-th request (1-based): forward it, or cut the connection. */
export type FaultPlan = (requestNumber: number, body: string) => 'forward' | 'reset';

/** An HTTP proxy in front of a real server that cuts chosen requests, to test retries against real SQS. */
export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen so far. */
  readonly count: () => number;
  setPlan(plan: FaultPlan): void;
  close(): Promise<void>;
}

/** Starts a fault-injecting proxy on 127.0.0.1 forwarding to `target`. */
export async function startFaultProxy(
  target: string,
  initial: FaultPlan = () => 'forward',
): Promise<FaultProxy> {
  let plan = initial;
  let seen = 0;
  const server = createServer(async (request, response) => {
    seen += 1;
    const body = await readAll(request);
    if (plan(seen, body) === 'reset') {
      request.socket.destroy();
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'host' && name !== 'content-length' && name !== 'connection') {
        headers.set(name, Array.isArray(value) ? value.join(',') : value);
      }
    }
    const upstream = await fetch(`${target}${request.url ?? '/'}`, {
      method: request.method ?? 'POST',
      headers,
      ...(body ? { body } : {}),
    });
    const responseHeaders: Record<string, string> = {};
    upstream.headers.forEach((value, name) => {
      if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'content-encoding') {
        responseHeaders[name] = value;
      }
    });
    response.writeHead(upstream.status, responseHeaders).end(Buffer.from(await upstream.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    count: () => seen,
    setPlan: (next) => {
      plan = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
