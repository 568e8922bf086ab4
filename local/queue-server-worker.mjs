// The local SQS-protocol server (fauxqs), on a worker thread of the `npm start` process: the queue
// server then has a core of its own, as the real queue does, instead of sharing the handlers' event
// loop. Plain JavaScript so that it loads the same under tsx, vitest and node.
import { Server } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { startFauxqs } from 'fauxqs';

const server = await onLoopback(() => startFauxqs({ port: workerData?.port ?? 0, logger: false }));

/**
 * Runs `start` with every listen on all interfaces turned into a listen on 127.0.0.1. fauxqs
 * 1.9 listens on 0.0.0.0 with no option to change it (its `host` option only names the host in
 * queue URLs); this worker has a `node:net` of its own (a worker thread is a realm of its own), so
 * the wrap touches nothing of the main thread, and it is undone once the server listens.
 */
async function onLoopback(start) {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (...args) {
    const [options] = args;
    const everywhere =
      typeof options === 'object' && options !== null && ['0.0.0.0', '::'].includes(options.host);
    return listen.apply(this, everywhere ? [{ ...options, host: '127.0.0.1' }, ...args.slice(1)] : args);
  };
  try {
    return await start();
  } finally {
    Server.prototype.listen = listen;
  }
}

/** Every message of a queue, ready, delayed or in flight, without consuming any. */
function list(queueName) {
  const inspected = server.inspectQueue(queueName);
  if (!inspected) return [];
  const toQueued = (message, state) => ({
    messageId: message.messageId,
    groupId: message.messageGroupId,
    deduplicationId: message.messageDeduplicationId,
    body: message.body,
    state,
  });
  return [
    ...inspected.messages.ready.map((m) => toQueued(m, 'ready')),
    ...inspected.messages.delayed.map((m) => toQueued(m, 'delayed')),
    ...inspected.messages.inflight.map((entry) => toQueued(entry.message, 'inflight')),
  ];
}

parentPort.on('message', async ({ id, op, queueName }) => {
  try {
    if (op === 'list') parentPort.postMessage({ id, result: list(queueName) });
    else if (op === 'stop') {
      await server.stop();
      parentPort.postMessage({ id, result: null });
    } else parentPort.postMessage({ id, error: `unknown operation ${op}` });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

parentPort.postMessage({ ready: server.address });
