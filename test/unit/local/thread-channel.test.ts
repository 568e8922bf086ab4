import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ThreadChannel } from '../../../local/thread-channel.js';

const channels: MessageChannel[] = [];

afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** Two ends of a real message channel, one answering `handlers`. */
function ends(handlers: ConstructorParameters<typeof ThreadChannel>[1]) {
  const channel = new MessageChannel();
  channels.push(channel);
  return { caller: new ThreadChannel(channel.port1), answerer: new ThreadChannel(channel.port2, handlers) };
}

describe('ThreadChannel', () => {
  it('answers each call with its own result, whatever order the answers come in', async () => {
    // Prepare: the first call is answered after the second
    const { caller } = ends({
      slow: async (payload) => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { echoed: payload };
      },
      fast: (payload) => (payload as number) * 2,
    });

    // Act
    const [slow, fast] = await Promise.all([caller.call('slow', { at: 1 }), caller.call('fast', 21)]);

    // Assess
    expect(slow).toEqual({ echoed: { at: 1 } });
    expect(fast).toBe(42);
  });

  it('carries both directions at once: a handler may call back the side that called it', async () => {
    // Prepare: the answerer asks the caller for a value before answering
    const channel = new MessageChannel();
    channels.push(channel);
    const caller = new ThreadChannel(channel.port1, { factor: () => 3 });
    const answerer: ThreadChannel = new ThreadChannel(channel.port2, {
      scale: async (payload) => (payload as number) * (await answerer.call<number>('factor')),
    });

    // Act / Assess
    await expect(caller.call('scale', 5)).resolves.toBe(15);
  });

  it('rejects with the handler’s message when it throws, and names an operation nobody handles', async () => {
    // Prepare
    const { caller } = ends({
      fails: () => {
        throw new Error('the table is unreachable');
      },
    });

    // Act / Assess
    await expect(caller.call('fails')).rejects.toThrow('the table is unreachable');
    await expect(caller.call('missing')).rejects.toThrow('unknown operation missing');
    await expect(caller.call('toString')).rejects.toThrow('unknown operation toString');
  });

  it('rejects the calls pending when it is closed, and every call after', async () => {
    // Prepare: a call that is never answered
    const { caller } = ends({ never: () => new Promise(() => undefined) });
    const pending = caller.call('never');

    // Act
    caller.close(new Error('the evaluator thread exited (code 1)'));

    // Assess
    await expect(pending).rejects.toThrow('exited (code 1)');
    await expect(caller.call('never')).rejects.toThrow('exited (code 1)');
  });
});
