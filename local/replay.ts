import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CallbackRoute } from '../shared/ingest/index.js';
import { readLocalConfig } from './config.js';
import {
  buildCallbackRequest,
  findRecordingFiles,
  formatCallbackRequest,
  type LoadedRecording,
  parseRecording,
  RecordingError,
  type RecordingKeys,
  sendCallbackRequest,
} from './recording.js';
import { isScenarioJson, parseScenario } from './scenario/parse-scenario.js';
import { printScenario } from './scenario/print-scenario.js';
import { runScenario } from './scenario/run-scenario.js';
import type { Scenario, ScenarioReport } from './scenario/types.js';

const USAGE = `usage: npm run replay -- <file or folder> [more…] [--url http://127.0.0.1:3000] [--repeat N] [--print] [--json]
  sends recorded WeCom callbacks (events/) to a running \`npm start\`; plaintext recordings are
  encrypted and signed with WECOM_CORP_ID / WECOM_TOKEN / WECOM_ENCODING_AES_KEY (or the dev defaults).
  A scenario (events/scenarios/*.json: a file with "steps") is run step by step against local mode,
  moving its clock and calling the admin API with ADMIN_TOKEN, and prints the member's and the corp's
  status after each step; a failed expectation makes the exit code 1. Folders are walked for
  recordings, leaving out their scenarios/ folders: name a scenario (or events/scenarios/) to run it.
  --url URL    the server (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --repeat N   send each callback N times, byte for byte the same, as WeCom's retries do
  --print      print the requests instead of sending them
  --json       print JSON: a line per request, and a line per scenario with every step`;

/** What to replay, where, and how. */
export interface ReplayOptions {
  readonly paths: readonly string[];
  /** The server's base URL, without a trailing slash. */
  readonly url: string;
  /** The keys plaintext recordings are sealed with (the server's). */
  readonly keys: RecordingKeys;
  /** Sends of each request (default 1). */
  readonly repeat?: number;
  /** Print the requests instead of sending them. */
  readonly print?: boolean;
  /** JSON lines instead of text: one per request, one per scenario. */
  readonly json?: boolean;
  /** The admin API's bearer token, for scenarios (default: the dev default of ADMIN_TOKEN). */
  readonly adminToken?: string;
  /** Where relative paths start, and what printed file names are relative to. */
  readonly cwd?: string;
  /** Where the report lines go (default stdout). */
  readonly write?: (line: string) => void;
  readonly timeoutMs?: number;
}

/** The answer to one sent request. */
export interface ReplayOutcome {
  /** The recording file, relative to `cwd`. */
  readonly file: string;
  readonly route: CallbackRoute;
  readonly form: 'plaintext' | 'request';
  readonly status?: number;
  readonly body?: string;
  /** Why the request got no answer (connection refused, timeout). */
  readonly error?: string;
}

/** What a replay did; `ok` is false when a request got no answer or a 5xx, or a scenario failed. */
export interface ReplayReport {
  readonly outcomes: readonly ReplayOutcome[];
  /** The scenarios run, in order. */
  readonly scenarios: readonly ScenarioReport[];
  readonly ok: boolean;
}

/** A scenario and the file it came from. */
export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
}

/**
 * Finds the files under `paths` (see findRecordingFiles) and validates each, telling scenarios
 * (a top-level `steps`) from recordings; a file that is neither throws, naming the file and field.
 */
export async function loadReplayFiles(
  paths: readonly string[],
  cwd = process.cwd(),
): Promise<{ recordings: LoadedRecording[]; scenarios: LoadedScenario[] }> {
  const files = await findRecordingFiles(paths, cwd);
  const loaded = await Promise.all(
    files.map(async (file) => {
      let content: string;
      try {
        content = await readFile(file, 'utf8');
      } catch (cause) {
        throw new RecordingError(file, `cannot be read (${(cause as Error).message})`, { cause });
      }
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        // parseRecording says what is wrong with it.
      }
      return isScenarioJson(json)
        ? { file, scenario: parseScenario(content, file) }
        : { file, recording: parseRecording(content, file) };
    }),
  );
  return {
    recordings: loaded.filter((entry): entry is LoadedRecording => 'recording' in entry),
    scenarios: loaded.filter((entry): entry is LoadedScenario => 'scenario' in entry),
  };
}

/**
 * Loads the recordings and scenarios under `options.paths` and sends (or prints) each recording,
 * one at a time, in file order; then runs each scenario, in file order.
 */
// About 90 lines: loading, the order of recordings and scenarios, and the report stay together so
// the replay's order (what a reader checks first) is visible in one function.
export async function replay(options: ReplayOptions): Promise<ReplayReport> {
  const cwd = options.cwd ?? process.cwd();
  const write = options.write ?? ((line: string) => console.log(line));
  const repeat = options.repeat ?? 1;
  const { recordings: loaded, scenarios } = await loadReplayFiles(options.paths, cwd);
  const nameOf = (file: string) => relative(cwd, file) || file;
  const named = loaded.map((entry) => ({ ...entry, name: nameOf(entry.file) }));
  const width = Math.max(0, ...named.map((entry) => entry.name.length));
  const outcomes: ReplayOutcome[] = [];

  for (const { name, recording } of named) {
    // Built once: every repeat is the same ciphertext, timestamp, nonce and signature.
    const request = buildCallbackRequest(recording, options.keys);
    if (options.print) {
      write(`# ${name}  ${recording.route}  ${recording.description}${repeat > 1 ? `  (×${repeat})` : ''}`);
      write(formatCallbackRequest(request));
      continue;
    }
    let hinted = false;
    for (let i = 0; i < repeat; i++) {
      const answer = await sendCallbackRequest(options.url, request, options.timeoutMs ?? 10_000);
      const outcome: ReplayOutcome = { file: name, route: recording.route, form: recording.form, ...answer };
      outcomes.push(outcome);
      if (options.json) {
        write(JSON.stringify(outcome));
        continue;
      }
      const result =
        answer.error === undefined ? `${answer.status} ${oneLine(answer.body ?? '')}` : answer.error;
      write(`${name.padEnd(width)}  ${recording.route.padEnd(13)}  ${result}`);
      if (recording.form === 'request' && answer.status === 401 && !hinted) {
        hinted = true;
        const k = recording.keys;
        write(
          `  hint: this request is signed with its own keys; it authenticates only against a server started with ` +
            `WECOM_CORP_ID=${k.corpId} WECOM_TOKEN=${k.token} WECOM_ENCODING_AES_KEY=${k.encodingAesKey}`,
        );
      }
    }
  }

  const count = (test: (outcome: ReplayOutcome) => boolean) => outcomes.filter(test).length;
  const unanswered = count((o) => o.error !== undefined);
  const serverErrors = count((o) => (o.status ?? 0) >= 500);
  if (!options.print && (loaded.length > 0 || scenarios.length === 0)) {
    const summary = {
      requests: outcomes.length,
      recordings: loaded.length,
      '2xx': count((o) => (o.status ?? 0) >= 200 && (o.status ?? 0) < 300),
      '4xx': count((o) => (o.status ?? 0) >= 400 && (o.status ?? 0) < 500),
      '5xx': serverErrors,
      unanswered,
    };
    if (options.json) write(JSON.stringify({ summary }));
    else {
      write(
        `${summary.requests} request(s) from ${summary.recordings} recording(s): ${summary['2xx']} 2xx, ` +
          `${summary['4xx']} 4xx, ${serverErrors} 5xx, ${unanswered} without answer`,
      );
      if (unanswered > 0) write(`  hint: is \`npm start\` running at ${options.url}?`);
    }
  }

  const reports: ScenarioReport[] = [];
  // A scenario named by its file runs or is refused; one found in a folder is left out when the
  // server runs another policy than it is written for, so a folder runs against either server.
  const namedFiles = new Set(options.paths.map((path) => resolve(cwd, path)));
  for (const { file, scenario } of scenarios) {
    if (options.print) {
      printScenario(scenario, options.keys, write);
      continue;
    }
    if (!options.json && (reports.length > 0 || loaded.length > 0)) write('');
    reports.push(
      await runScenario(scenario, {
        url: options.url,
        keys: options.keys,
        adminToken: options.adminToken ?? readLocalConfig({}).adminToken,
        deliveries: repeat,
        file: nameOf(file),
        leaveOutOnOtherPolicy: !namedFiles.has(file),
        write,
        ...(options.json === undefined ? {} : { json: options.json }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      }),
    );
  }
  return {
    outcomes,
    scenarios: reports,
    ok: unanswered === 0 && serverErrors === 0 && reports.every((report) => report.ok),
  };
}

/** Reads the command line; throws UsageError on anything it does not understand. */
export function parseReplayArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Omit<ReplayOptions, 'write' | 'timeoutMs'> {
  const paths: string[] = [];
  let url: string | undefined;
  let repeat = 1;
  let print = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--url':
        url = withoutTrailingSlashes(value());
        break;
      case '--repeat': {
        const raw = value();
        repeat = Number(raw);
        if (!/^\d+$/.test(raw) || repeat < 1)
          throw new UsageError(`--repeat must be a whole number ≥ 1, not ${raw}`);
        break;
      }
      case '--print':
        print = true;
        break;
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError();
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError('name at least one recording file or folder');
  const config = readLocalConfig(env);
  return {
    paths,
    url: url ?? `http://127.0.0.1:${config.port}`,
    keys: { corpId: config.corpId, token: config.token, encodingAesKey: config.encodingAesKey },
    repeat,
    print,
    json,
    adminToken: config.adminToken,
    // `npm run` moves to the package root; paths are meant from where the command was typed.
    cwd: env.INIT_CWD ?? process.cwd(),
  };
}

/** The command line cannot be understood; the message (if any) goes with the usage text. */
export class UsageError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'UsageError';
  }
}

/** `url` without the slashes it ends in (a backward scan: /\/+$/ retries from every slash). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charAt(end - 1) === '/') end--;
  return url.slice(0, end);
}

function oneLine(body: string): string {
  // Each run of white space holding a line break becomes one space. Not /\s*\n\s*/g, which retries
  // a long run of spaces without a line break from each of its positions (quadratic).
  const flat = body.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

async function main(): Promise<void> {
  try {
    const report = await replay(parseReplayArgs(process.argv.slice(2)));
    process.exitCode = report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      // --help is a UsageError without a message: the usage on stdout, and success.
      if (error.message) console.error(`${error.message}\n${USAGE}`);
      else console.log(USAGE);
      process.exitCode = error.message ? 2 : 0;
    } else if (error instanceof RecordingError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}

const entry = process.argv[1];
if (entry !== undefined && pathToFileURL(resolve(entry)).href === import.meta.url) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
