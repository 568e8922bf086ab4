import { describe, expect, it } from 'vitest';
import { type LocalProcess, startNpmStart } from '../../helpers/local-process.js';
import { alive, type ProcessInfo, processTree } from '../../helpers/process-tree.js';

/** However local mode is stopped, nothing it started outlives it (CONTRACT §4). */

/** The node running local/main.ts and the JVM of DynamoDB Local under `npm start`. */
function parts(local: LocalProcess): { node: ProcessInfo; java: ProcessInfo; tree: ProcessInfo[] } {
  const tree = processTree(local.pid);
  const java = tree.find((process) => /^\S*java\s/.test(process.command));
  const node = tree.find((process) => process.pid === java?.ppid);
  if (!java || !node) throw new Error(`no node and java under npm start: ${JSON.stringify(tree)}`);
  return { node, java, tree };
}

/** Resolves once none of these processes is alive, or after the guard with those that are. */
async function gone(pids: readonly number[], guardMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    const left = pids.filter(alive);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

const cases: { signal: NodeJS.Signals; to: 'npm' | 'node' }[] = [
  { signal: 'SIGTERM', to: 'npm' },
  { signal: 'SIGINT', to: 'npm' },
  { signal: 'SIGKILL', to: 'npm' },
  { signal: 'SIGTERM', to: 'node' },
  { signal: 'SIGHUP', to: 'node' },
  { signal: 'SIGKILL', to: 'node' },
];

describe('stopping npm start', () => {
  it.each(cases)('$signal to $to leaves no process of it running', async ({ signal, to }) => {
    // Prepare
    const local = await startNpmStart();
    const { node, java, tree } = parts(local);
    const pids = tree.map((process) => process.pid);

    try {
      // Act
      process.kill(to === 'npm' ? local.pid : node.pid, signal);
      const left = await gone(pids);

      // Assess
      expect(left, `still running after ${signal} to ${to}: ${left.join(', ')}`).toEqual([]);
      expect(alive(java.pid)).toBe(false);
    } finally {
      // Whatever is left (nothing, if the test passed) is not left behind by the test.
      for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
