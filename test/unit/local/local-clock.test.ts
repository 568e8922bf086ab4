import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalClock } from '../../../local/local-clock.js';
import { DAY, HOUR, MINUTE, T0 } from '../../helpers/domain-inputs.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LocalClock', () => {
  it('follows the real clock until it is set or advanced', () => {
    // Prepare
    vi.useFakeTimers({ now: T0 });
    const clock = new LocalClock();

    // Act
    const first = clock.now();
    vi.advanceTimersByTime(5 * MINUTE);
    const later = clock.now();

    // Assess
    expect(clock.frozen).toBe(false);
    expect(first).toBe(T0);
    expect(later).toBe(T0 + 5 * MINUTE);
  });

  it('stays at the time it was set to while real time goes on, and may be set back', () => {
    // Prepare
    vi.useFakeTimers({ now: T0 });
    const clock = new LocalClock();

    // Act
    const answered = clock.set(T0 + DAY);
    vi.advanceTimersByTime(HOUR);
    const afterAnHour = clock.now();
    clock.set(T0 - DAY);

    // Assess
    expect(answered).toBe(T0 + DAY);
    expect(clock.frozen).toBe(true);
    expect(afterAnHour).toBe(T0 + DAY);
    expect(clock.now()).toBe(T0 - DAY);
  });

  it('advances from the real time first, then from the simulated time, and stays there', () => {
    // Prepare
    vi.useFakeTimers({ now: T0 });
    const clock = new LocalClock();
    vi.advanceTimersByTime(MINUTE);

    // Act
    const first = clock.advance(HOUR);
    vi.advanceTimersByTime(DAY);
    const second = clock.advance(0);
    const third = clock.advance(30 * MINUTE);

    // Assess
    expect(first).toBe(T0 + MINUTE + HOUR);
    expect(second).toBe(T0 + MINUTE + HOUR);
    expect(third).toBe(T0 + MINUTE + HOUR + 30 * MINUTE);
    expect(clock.now()).toBe(third);
    expect(clock.frozen).toBe(true);
  });

  it('refuses to advance backwards, or by what is not a number of ms, and does not move', () => {
    // Prepare
    const clock = new LocalClock();
    clock.set(T0);

    // Act
    const backwards = () => clock.advance(-1);
    const notANumber = () => clock.advance(Number.NaN);

    // Assess
    expect(backwards).toThrow(RangeError);
    expect(backwards).toThrow('the clock advances by 0 ms or more, not by -1; set it to go back');
    expect(notANumber).toThrow(RangeError);
    expect(clock.now()).toBe(T0);
  });

  it('refuses to be set to what is not a time, and stays on the real clock', () => {
    // Prepare
    const clock = new LocalClock();

    // Act
    const set = () => clock.set(Number.POSITIVE_INFINITY);

    // Assess
    expect(set).toThrow(RangeError);
    expect(clock.frozen).toBe(false);
  });

  it('is one clock on every thread given its buffer: a move on one is the time on the other', async () => {
    // Prepare: a worker thread reads its view of the clock when asked
    const clock = new LocalClock();
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       import('tsx/esm/api').then(async ({ register }) => {
         register();
         const { LocalClock } = await import(workerData.module);
         const view = new LocalClock(workerData.buffer);
         parentPort.on('message', () => parentPort.postMessage({ frozen: view.frozen, now: view.now() }));
         parentPort.postMessage('ready');
       });`,
      {
        eval: true,
        workerData: {
          buffer: clock.buffer,
          module: new URL('../../../local/local-clock.ts', import.meta.url).href,
        },
      },
    );
    const replies: unknown[] = [];
    const next = () => new Promise((resolve) => worker.once('message', resolve));
    try {
      await next();

      // Act
      const ask = async () => {
        const reply = next();
        worker.postMessage('now');
        replies.push(await reply);
      };
      await ask();
      clock.set(T0 + DAY);
      await ask();
      clock.advance(HOUR);
      await ask();
    } finally {
      await worker.terminate();
    }

    // Assess: real time first, then the times set here
    expect((replies[0] as { frozen: boolean }).frozen).toBe(false);
    expect(replies.slice(1)).toEqual([
      { frozen: true, now: T0 + DAY },
      { frozen: true, now: T0 + DAY + HOUR },
    ]);
  });
});
