import type { MessagePort, Worker } from 'node:worker_threads';

/** What one side of a thread channel answers: an operation's name → its handler. */
export type ChannelHandlers = Readonly<Record<string, (payload: unknown) => unknown>>;

type ChannelMessage =
  | { readonly kind: 'call'; readonly id: number; readonly op: string; readonly payload: unknown }
  | { readonly kind: 'reply'; readonly id: number; readonly result?: unknown; readonly error?: string };

/** The end of a thread's message channel: a Worker on the main thread, `parentPort` inside it. */
type Endpoint = Pick<Worker | MessagePort, 'on' | 'off' | 'postMessage'>;

/**
 * Calls between two threads over their message channel: either side `call`s an operation the
 * other side handles and gets its answer (or its error, as an Error with its message) back. A
 * call made while the other side is gone, or pending when it goes, is rejected with `closed`.
 */
export class ThreadChannel {
  readonly #endpoint: Endpoint;
  readonly #handlers: ChannelHandlers;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  readonly #listener = (message: unknown) => this.#receive(message as ChannelMessage);
  #nextId = 0;
  #closed: Error | undefined;

  constructor(endpoint: Endpoint, handlers: ChannelHandlers = {}) {
    this.#endpoint = endpoint;
    this.#handlers = handlers;
    endpoint.on('message', this.#listener);
  }

  call<T>(op: string, payload?: unknown): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise<T>((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#endpoint.postMessage({ kind: 'call', id, op, payload } satisfies ChannelMessage);
    });
  }

  /** Rejects every pending call and every later one with `reason`, and stops listening. */
  close(reason: Error): void {
    this.#closed ??= reason;
    this.#endpoint.off('message', this.#listener);
    for (const waiter of this.#pending.values()) waiter.reject(reason);
    this.#pending.clear();
  }

  #receive(message: ChannelMessage): void {
    if (message.kind === 'reply') {
      const waiter = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error));
      else waiter?.resolve(message.result);
      return;
    }
    const reply = (answer: { result?: unknown; error?: string }) =>
      this.#endpoint.postMessage({ kind: 'reply', id: message.id, ...answer } satisfies ChannelMessage);
    const handler = Object.hasOwn(this.#handlers, message.op) ? this.#handlers[message.op] : undefined;
    if (!handler) {
      reply({ error: `unknown operation ${message.op}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.payload))
      .then(
        (result) => reply({ result }),
        (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
      );
  }
}
