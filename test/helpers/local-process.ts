import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `policies/wecom-faithful.json`: every enforcement mode `act`, the rules as WeCom publishes them.
 * The tests of the published rules (immediate penalties for text-detected categories) run local
 * mode under it; the built-in policy opens a case for those instead (test/e2e/cases.test.ts).
 */
export const FAITHFUL_POLICY_FILE = fileURLToPath(
  new URL('../../policies/wecom-faithful.json', import.meta.url),
);

/** A running `npm start` child process. */
export interface LocalProcess {
  /** The pid of the process started: node, or npm for startNpmStart. */
  readonly pid: number;
  readonly url: string;
  readonly output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts local mode (`tsx local/main.ts`, what `npm start` runs) on a free port, with its state in
 * a fresh temporary DATA_DIR unless one is given, and waits for its `listening on` line.
 */
export function startLocalProcess(env: Record<string, string> = {}): Promise<LocalProcess> {
  return start(process.execPath, ['--import', 'tsx', 'local/main.ts'], env);
}

/** Starts local mode as an operator does, `npm start`, with the options of startLocalProcess. */
export function startNpmStart(env: Record<string, string> = {}): Promise<LocalProcess> {
  return start('npm', ['start', '--silent'], env);
}

async function start(command: string, args: string[], env: Record<string, string>): Promise<LocalProcess> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'wecom-local-'));
  const child: ChildProcessWithoutNullStreams = spawn(command, args, {
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      PORT: '0',
      ...env,
      DATA_DIR: dataDir,
    },
    stdio: 'pipe',
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local mode did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local mode exited with ${code}:\n${output}`));
    });
  });
  return {
    pid: child.pid ?? 0,
    url,
    output: () => output,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
