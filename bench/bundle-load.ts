/**
 * The bundles bench's measurement of one bundle: a fresh node process that imports it (and, for a
 * callback, answers one URL verification), so nothing cached in this process counts.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { encrypt, sign } from '../shared/wecom/crypto.js';
import { BENCH_AES, BENCH_KEYS } from './callback-fixtures.js';

const SPAWN_TIMEOUT_MS = 15_000;

/** What each function's module needs at module scope, as the stack sets it; nothing here reaches a network. */
const HANDLER_ENV = {
  WECOM_CORP_ID: BENCH_KEYS.corpId,
  WECOM_TOKEN: BENCH_KEYS.token,
  WECOM_ENCODING_AES_KEY: BENCH_KEYS.encodingAesKey,
  EVENT_QUEUE_URL: 'http://127.0.0.1:9/000000000000/q.fifo',
  EVENT_DLQ_URL: 'http://127.0.0.1:9/000000000000/dlq.fifo',
  EVENT_QUEUE_ARN: 'arn:aws:sqs:us-east-1:000000000000:q.fifo',
  TABLE_NAME: 'bench',
  SCHEDULE_GROUP: 'bench-timers',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/bench',
  TIMER_DLQ_ARN: 'arn:aws:sqs:us-east-1:000000000000:timers-dlq',
  EVENT_BUS_NAME: 'bench-outbound',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
} as const;

/** Imports the module named by argv[2] and prints how long the import took. */
export const LOADER = `const start = process.hrtime.bigint();
const module = await import(process.argv[2]);
const importMs = Number(process.hrtime.bigint() - start) / 1e6;
let firstMs = null;
if (process.argv[3]) {
  // A cold URL verification: the first GET the fresh handler answers, right after its import.
  const context = { functionName: 'bench', awsRequestId: 'bench', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 6000 };
  const first = process.hrtime.bigint();
  const response = await module.handler(JSON.parse(process.argv[3]), context);
  firstMs = Number(process.hrtime.bigint() - first) / 1e6;
  if (response.statusCode !== 200 || response.body !== process.argv[4]) {
    throw new Error('URL verification answered ' + response.statusCode);
  }
}
process.stdout.write(JSON.stringify({ importMs, firstMs }) + '\\n');
`;

export interface Loadable {
  readonly name: string;
  readonly file: string;
}

export interface LoadSample {
  readonly importMs: number;
  readonly wallMs: number;
  /** The first GET (URL verification) the fresh handler answered, for a callback. */
  readonly firstMs: number | null;
}

/** The echo a URL verification must answer, and the API Gateway (payload 2.0) GET that asks for it. */
const ECHO = '8812345678';
function urlVerificationEvent(): string {
  const echostr = encrypt(BENCH_AES, ECHO, BENCH_KEYS.corpId);
  const timestamp = '1795000000';
  const nonce = '42';
  const signature = sign(BENCH_KEYS.token, timestamp, nonce, echostr);
  const rawQueryString = `msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
  return JSON.stringify({
    version: '2.0',
    routeKey: 'GET /callbacks/bench',
    rawPath: '/callbacks/bench',
    rawQueryString,
    headers: { host: 'bench' },
    queryStringParameters: { msg_signature: signature, timestamp, nonce, echostr },
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench',
      domainPrefix: 'bench',
      http: {
        method: 'GET',
        path: '/callbacks/bench',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: '',
      },
      requestId: 'bench',
      routeKey: 'GET /callbacks/bench',
      stage: '$default',
      time: new Date(0).toISOString(),
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  });
}

/** Spawns a fresh node that imports `file`; returns the import time it reports and the wall time to exit. */
export function load(cwd: string, loader: string, file: string, verify = false): Promise<LoadSample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const args = [
      '--no-warnings',
      loader,
      pathToFileURL(file).href,
      ...(verify ? [urlVerificationEvent(), ECHO] : []),
    ];
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...HANDLER_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      if (code !== 0) {
        reject(
          new Error(`loading ${file} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 2000)}`),
        );
        return;
      }
      try {
        // The handler may print its own lines (a metric, a log); the loader's is the one with importMs.
        const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"importMs"')) ?? '';
        const { importMs, firstMs } = JSON.parse(line) as { importMs: number; firstMs: number | null };
        resolve({ importMs, wallMs, firstMs });
      } catch (error) {
        reject(new Error(`loader printed no timing for ${file}: ${stdout}${stderr}`, { cause: error }));
      }
    });
  });
}
