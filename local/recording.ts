import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { CALLBACK_ROUTES, type CallbackRoute } from '../shared/ingest/index.js';
import { describeIssue, parseWith } from '../shared/parse-with.js';
import { type SealKeys, type SealOptions, sealCallback } from './seal-callback.js';

/** The envelopes a plaintext recording can be sent in (CONTRACT §3). */
export const RECORDING_ENVELOPES = ['xml', 'json'] as const;
export type RecordingEnvelope = (typeof RECORDING_ENVELOPES)[number];

/** The keys a callback is encrypted and signed with. */
export type RecordingKeys = SealKeys;

/**
 * The folder of scenarios (`events/scenarios/`): skipped when a parent folder is walked, since a
 * scenario moves the local clock and expects a fresh state; run only when named (the file, or the
 * folder itself).
 */
export const SCENARIO_FOLDER = 'scenarios';

/** A decrypted callback, encrypted and signed afresh with the server's keys on every replay. */
export interface PlaintextRecording {
  readonly form: 'plaintext';
  readonly description: string;
  readonly route: CallbackRoute;
  readonly envelope: RecordingEnvelope;
  /** The `<AgentID>` of the XML envelope; empty when not recorded. */
  readonly agentId: string;
  /** The decrypted content as text; a JSON record written as an object in the file is serialized. */
  readonly plaintext: string;
}

/** A request exactly as WeCom sent it, signed and encrypted with the recording's own keys. */
export interface RecordingRequest {
  readonly method: 'GET' | 'POST';
  /** The query string, still percent-encoded, sent byte for byte. */
  readonly query: string;
  readonly body?: string;
}

/** A recorded request (the official sample vectors): sent as recorded, never re-signed. */
export interface RequestRecording {
  readonly form: 'request';
  readonly description: string;
  readonly route: CallbackRoute;
  readonly request: RecordingRequest;
  readonly keys: RecordingKeys;
  /** The answer of a server that runs with `keys`. */
  readonly expect?: { readonly status: number; readonly body: string };
}

/** One recording file, validated. */
export type Recording = PlaintextRecording | RequestRecording;

/** A recording and the file it came from. */
export interface LoadedRecording {
  readonly file: string;
  readonly recording: Recording;
}

/** An HTTP request to a callback route, ready to send or print. */
export interface CallbackHttpRequest {
  readonly method: 'GET' | 'POST';
  /** `/callbacks/<route>`. */
  readonly path: string;
  /** The percent-encoded query string, without `?`. */
  readonly query: string;
  readonly body?: string;
  readonly contentType?: string;
}

/** Fixes the otherwise fresh parts of a sealed request (for tests). */
export type RecordingSealOptions = Pick<SealOptions, 'timestamp' | 'nonce' | 'random'>;

/** A recording file that cannot be read or is not a valid recording; the message names the file and field. */
export class RecordingError extends Error {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.name = 'RecordingError';
    this.file = file;
  }
}

const text = z.string().check(z.minLength(1, 'must be a non-empty string'));
const route = z.enum(CALLBACK_ROUTES);

const plaintextFile = z.strictObject({
  description: text,
  route,
  envelope: z.optional(z.enum(RECORDING_ENVELOPES)),
  agentId: z.optional(z.string().check(z.regex(/^\d*$/, 'must be digits'))),
  plaintext: z.union([text, z.record(z.string(), z.unknown())], {
    error: 'must be the decrypted content as a string, or a JSON record as an object',
  }),
});

const requestFile = z.strictObject({
  description: text,
  route,
  request: z.strictObject({
    method: z.enum(['GET', 'POST']),
    query: text,
    body: z.optional(z.string()),
  }),
  keys: z.strictObject({
    token: text,
    encodingAesKey: z.string().check(z.regex(/^[A-Za-z0-9]{43}$/, 'must be 43 characters of [A-Za-z0-9]')),
    corpId: text,
  }),
  expect: z.optional(
    z.strictObject({ status: z.int().check(z.minimum(100), z.maximum(599)), body: z.string() }),
  ),
});

/** Validates the text of a recording file; `file` names it in errors. */
export function parseRecording(content: string, file: string): Recording {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (cause) {
    throw new RecordingError(file, `not valid JSON (${(cause as Error).message})`, { cause });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new RecordingError(file, 'a recording must be a JSON object');
  }
  if ('request' in json) {
    const r = validate(requestFile, json, file);
    return {
      form: 'request',
      description: r.description,
      route: r.route,
      request: { method: r.request.method, query: r.request.query, ...optional('body', r.request.body) },
      keys: r.keys,
      ...optional('expect', r.expect),
    };
  }
  const p = validate(plaintextFile, json, file);
  if (p.route === 'contact' && typeof p.plaintext !== 'string') {
    throw new RecordingError(file, 'plaintext: must be the event XML as a string on route contact');
  }
  return {
    form: 'plaintext',
    description: p.description,
    route: p.route,
    envelope: p.envelope ?? (p.route === 'contact' ? 'xml' : 'json'),
    agentId: p.agentId ?? '',
    plaintext: typeof p.plaintext === 'string' ? p.plaintext : JSON.stringify(p.plaintext),
  };
}

/** Reads and validates one recording file. */
export async function loadRecording(file: string): Promise<Recording> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (cause) {
    throw new RecordingError(file, `cannot be read (${(cause as Error).message})`, { cause });
  }
  return parseRecording(content, file);
}

/**
 * Lists the recording files of each path: a file as given, a folder walked recursively for its
 * `.json` files in sorted order (so a replay is deterministic), leaving out `scenarios/` folders
 * below it (SCENARIO_FOLDER); each file once, in that order.
 */
export async function findRecordingFiles(paths: readonly string[], cwd = process.cwd()): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch((cause: unknown) => {
      throw new RecordingError(path, 'no such file or folder', { cause });
    });
    if (info.isDirectory()) files.push(...(await walk(absolute)));
    else files.push(absolute);
  }
  return [...new Set(files)];
}

/** Loads and validates every recording under `paths` (see findRecordingFiles). */
export async function loadRecordings(
  paths: readonly string[],
  cwd = process.cwd(),
): Promise<LoadedRecording[]> {
  const files = await findRecordingFiles(paths, cwd);
  return Promise.all(files.map(async (file) => ({ file, recording: await loadRecording(file) })));
}

/**
 * Builds the HTTP request of a recording: a request recording as recorded; a plaintext recording
 * with ToUserName set to `keys.corpId`, encrypted, signed with a current timestamp and a random
 * nonce, in its envelope, POSTed to its route.
 */
export function buildCallbackRequest(
  recording: Recording,
  keys: RecordingKeys,
  options: RecordingSealOptions = {},
): CallbackHttpRequest {
  const path = `/callbacks/${recording.route}`;
  if (recording.form === 'request') {
    const { method, query, body } = recording.request;
    return {
      method,
      path,
      query,
      ...optional('body', body),
      ...optional('contentType', contentTypeOf(body)),
    };
  }
  const sealed = sealCallback(withCorp(recording.plaintext, keys.corpId), keys, {
    ...options,
    envelope: recording.envelope,
    agentId: recording.agentId,
  });
  const { query, body } = sealed;
  return { method: 'POST', path, query, body, contentType: contentTypeOf(body) };
}

/** Sets the first `<ToUserName>` of an XML plaintext to `corpId`; JSON plaintexts carry no corp and are kept. */
export function withCorp(plaintext: string, corpId: string): string {
  if (!plaintext.trimStart().startsWith('<')) return plaintext;
  // indexOf, not a regular expression with \s* on both sides of [^<]* (which backtrack against
  // each other) and a lazy CDATA scan retried from every <ToUserName>: the first element, as written.
  const open = plaintext.indexOf('<ToUserName>');
  const close = open < 0 ? -1 : plaintext.indexOf('</ToUserName>', open);
  if (close < 0) return plaintext;
  return `${plaintext.slice(0, open)}<ToUserName>${cdata(corpId)}</ToUserName>${plaintext.slice(close + '</ToUserName>'.length)}`;
}

/** The request as text: the request line, then the body when there is one. */
export function formatCallbackRequest(request: CallbackHttpRequest): string {
  const line = `${request.method} ${request.path}${request.query ? `?${request.query}` : ''}`;
  return request.body === undefined ? line : `${line}\n${request.body}`;
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== SCENARIO_FOLDER) files.push(...(await walk(path)));
    } else if (entry.isFile() && entry.name.endsWith('.json')) files.push(path);
  }
  return files;
}

/** The answer to one callback request, or why there was none. */
export interface CallbackAnswer {
  readonly status?: number;
  readonly body?: string;
  /** Why the request got no answer (connection refused, timeout). */
  readonly error?: string;
}

/** Sends a callback request to the server at `base` (no trailing slash). */
export async function sendCallbackRequest(
  base: string,
  request: CallbackHttpRequest,
  timeoutMs: number,
): Promise<CallbackAnswer> {
  try {
    const response = await fetch(`${base}${request.path}${request.query ? `?${request.query}` : ''}`, {
      method: request.method,
      ...(request.contentType ? { headers: { 'content-type': request.contentType } } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { error: `no answer: ${describeFetchError(error)}` };
  }
}

/** Why a fetch got no answer: the connection error's code (ECONNREFUSED) or the message. */
export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

function validate<T extends z.ZodMiniType>(schema: T, value: unknown, file: string): z.output<T> {
  return parseWith(
    schema,
    value,
    (issue, cause) =>
      new RecordingError(file, issue ? describeIssue(issue, value, 'recording') : 'recording: is invalid', {
        cause,
      }),
  );
}

function contentTypeOf(body: string | undefined): string | undefined {
  const start = body?.trimStart()[0];
  if (start === '<') return 'text/xml';
  if (start === '{') return 'application/json';
  return body === undefined ? undefined : 'text/plain';
}

function cdata(value: string): string {
  return `<![CDATA[${value}]]>`;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
