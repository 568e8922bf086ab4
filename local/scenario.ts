import * as z from 'zod/mini';
import { durationMs } from '../shared/domain/policy.js';
import { CATEGORY_RULES, type Category } from '../shared/domain/types.js';
import { CALLBACK_ROUTES, type CallbackRoute, decodeCallback } from '../shared/ingest/process-callback.js';
import {
  buildCallbackRequest,
  type CallbackAnswer,
  type CallbackHttpRequest,
  describeFetchError,
  formatCallbackRequest,
  type PlaintextRecording,
  RECORDING_ENVELOPES,
  type RecordingEnvelope,
  RecordingError,
  type RecordingKeys,
  sendCallbackRequest,
  withCorp,
} from './recording.js';

/**
 * Scenarios: callbacks at times relative to a start, admin actions and clock moves, each step
 * followed by the member's and the corp's status, checked against what the step expects.
 * `events/README.md` describes the file format; `runScenario` runs one against local mode.
 */

/** The member a scenario watches when it names none. */
export const DEFAULT_SCENARIO_USER = 'zhangsan';

/** A scenario file that is not valid; the message names the file and the field. */
export class ScenarioError extends RecordingError {
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(file, message, options);
    this.name = 'ScenarioError';
  }
}

/** Whether a parsed JSON file is a scenario (it has a top-level `steps`) rather than a recording. */
export function isScenarioJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'steps' in json;
}

// ---- the format ---------------------------------------------------------------------------------

/** A reason as an expectation names it: any of its fields. */
export interface ReasonExpectation {
  readonly rule?: 'R1' | 'R2' | 'R3';
  readonly category?: Category;
  readonly violationId?: string;
}

/** What a step expects of the member's status (a part of the admin API's member view). */
export interface MemberExpectation {
  readonly interop?: {
    readonly status?: 'active' | 'suspended' | 'banned';
    /** Epoch ms (written as an ISO time or a duration from `start`), or null. */
    readonly until?: number | null;
    readonly canApplyForUnblock?: boolean;
    readonly reason?: ReasonExpectation | null;
  };
  readonly account?: { readonly status?: 'active' | 'blocked'; readonly reason?: ReasonExpectation | null };
  readonly strikes?: number;
  readonly linkedWeChat?: { readonly status?: 'normal' | 'banned'; readonly restoreAt?: number | null };
}

/** What a step expects of the corp's status (a part of the admin API's corp view). */
export interface CorpExpectation {
  readonly account?: { readonly status?: 'active' | 'blocked'; readonly reason?: ReasonExpectation | null };
  readonly adminAccount?: {
    readonly status?: 'active' | 'blocked';
    readonly reason?: ReasonExpectation | null;
  };
  readonly limits?: {
    readonly contactAddsPerMemberPerDay?: number;
    readonly contactAddsPerCorpPerDay?: number;
  };
  /** Each string is found in one piece of advice; `[]` expects none. */
  readonly advice?: readonly string[];
}

/** What a step expects: of the member, of the corp, and the HTTP status of its requests. */
export interface StepExpectation {
  readonly member?: MemberExpectation;
  readonly corp?: CorpExpectation;
  /** The status every request of the step answers (default: 200 for callbacks, any 2xx for admin actions). */
  readonly status?: number;
}

/** The admin actions a step can take (CONTRACT §5 and the admin API's reviewer routes). */
export const ADMIN_ACTIONS = [
  'unblock-application',
  'report',
  'appeal',
  'enterprise-appeal',
  'appeal-decision',
] as const;
export type AdminActionName = (typeof ADMIN_ACTIONS)[number];

export type AdminAction =
  | { readonly action: 'unblock-application'; readonly userId: string }
  | {
      readonly action: 'report';
      readonly userId: string;
      readonly category: Category;
      readonly badInfluence: boolean;
      readonly reviewer: string;
      readonly note?: string;
    }
  | { readonly action: 'appeal'; readonly userId: string; readonly violationId?: string }
  | { readonly action: 'enterprise-appeal'; readonly documents: readonly string[] }
  | {
      readonly action: 'appeal-decision';
      /** The appeal decided; by default the latest one the scenario filed. */
      readonly appealId?: string;
      readonly approved: boolean;
      readonly reviewer: string;
    };

interface StepCommon {
  /** 1-based, as printed. */
  readonly index: number;
  readonly label: string;
  /** When the step happens (epoch ms): the clock is moved there first. */
  readonly at: number;
  /** Where the clock is once the step is done (later than `at` for repeated callbacks). */
  readonly end: number;
  readonly expect?: StepExpectation;
}

/** A callback, sent `repeat` times `every` ms apart, its event times filled from the step's time. */
export interface CallbackStep extends StepCommon {
  readonly kind: 'callback';
  readonly route: CallbackRoute;
  readonly envelope: RecordingEnvelope;
  readonly agentId: string;
  /** Event XML as text, XML fields as an object (contact route), or the JSON record(s). */
  readonly content: string | Readonly<Record<string, unknown>>;
  readonly repeat: number;
  readonly every: number;
}

/** An admin API request at the step's time. */
export interface AdminStep extends StepCommon {
  readonly kind: 'admin';
  readonly request: AdminAction;
}

/** A move of the local clock to `end`, firing what falls due. */
export interface ClockStep extends StepCommon {
  readonly kind: 'clock';
}

export type ScenarioStep = CallbackStep | AdminStep | ClockStep;

/** A validated scenario, its step times resolved. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Epoch ms. */
  readonly start: number;
  /** The corp watched; by default the one the callbacks are sealed for. */
  readonly corpId: string | undefined;
  readonly userId: string;
  readonly steps: readonly ScenarioStep[];
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const DURATION_HINT = 'must be an ISO-8601 duration of days, hours, minutes, seconds, such as PT2H or P1DT1H';
const TIME_HINT = 'must be an ISO time with its zone (2026-03-03T01:00:00Z) or a duration from start (P1D)';

function isDuration(text: string): boolean {
  try {
    durationMs(text);
    return true;
  } catch {
    return false;
  }
}

const isIsoTime = (text: string) => ISO_TIME.test(text) && !Number.isNaN(Date.parse(text));

const text = z.string().check(z.minLength(1, 'must be a non-empty string'));
const duration = z.string().check(z.refine(isDuration, DURATION_HINT));
const timeOrOffset = z.string().check(z.refine((t) => isIsoTime(t) || isDuration(t), TIME_HINT));
const count = z.int().check(z.nonnegative('must be 0 or more'));
const category = z.enum(Object.keys(CATEGORY_RULES) as [Category, ...Category[]]);
const reason = z.nullable(
  z.strictObject({
    rule: z.optional(z.enum(['R1', 'R2', 'R3'])),
    category: z.optional(category),
    violationId: z.optional(text),
  }),
);
const accountExpectation = z.strictObject({
  status: z.optional(z.enum(['active', 'blocked'])),
  reason: z.optional(reason),
});
const expectationSchema = z.strictObject({
  member: z.optional(
    z.strictObject({
      interop: z.optional(
        z.strictObject({
          status: z.optional(z.enum(['active', 'suspended', 'banned'])),
          until: z.optional(z.nullable(timeOrOffset)),
          canApplyForUnblock: z.optional(z.boolean()),
          reason: z.optional(reason),
        }),
      ),
      account: z.optional(accountExpectation),
      strikes: z.optional(count),
      linkedWeChat: z.optional(
        z.strictObject({
          status: z.optional(z.enum(['normal', 'banned'])),
          restoreAt: z.optional(z.nullable(timeOrOffset)),
        }),
      ),
    }),
  ),
  corp: z.optional(
    z.strictObject({
      account: z.optional(accountExpectation),
      adminAccount: z.optional(accountExpectation),
      limits: z.optional(
        z.strictObject({
          contactAddsPerMemberPerDay: z.optional(count),
          contactAddsPerCorpPerDay: z.optional(count),
        }),
      ),
      advice: z.optional(z.array(text)),
    }),
  ),
  status: z.optional(
    z.int().check(z.gte(100, 'must be an HTTP status'), z.lte(599, 'must be an HTTP status')),
  ),
});

const scenarioSchema = z.strictObject({
  name: text,
  description: text,
  start: z
    .string()
    .check(z.refine(isIsoTime, 'must be an ISO time with its zone, such as 2026-03-02T01:00:00Z')),
  corpId: z.optional(text),
  userId: z.optional(text),
  steps: z.array(z.unknown()).check(z.minLength(1, 'must list at least one step')),
});

const stepCommon = { label: z.optional(text), expect: z.optional(expectationSchema) };
const timedCommon = { ...stepCommon, at: z.optional(duration) };

const callbackSchema = z.strictObject({
  ...timedCommon,
  route: z.enum(CALLBACK_ROUTES),
  envelope: z.optional(z.enum(RECORDING_ENVELOPES)),
  agentId: z.optional(z.string().check(z.regex(/^\d*$/, 'must be digits'))),
  plaintext: z.union([text, z.record(z.string(), z.unknown())], {
    error: 'must be the decrypted content as a string, or as an object (XML fields, or the JSON record)',
  }),
  repeat: z.optional(z.int().check(z.gte(1, 'must be 1 or more'), z.lte(1000, 'must be at most 1000'))),
  every: z.optional(duration),
});

const memberAction = { ...timedCommon, userId: z.optional(text) };
const adminSchemas = {
  'unblock-application': z.strictObject({ ...memberAction, admin: z.literal('unblock-application') }),
  report: z.strictObject({
    ...memberAction,
    admin: z.literal('report'),
    category,
    badInfluence: z.optional(z.boolean()),
    reviewer: text,
    note: z.optional(z.string().check(z.maxLength(2000))),
  }),
  appeal: z.strictObject({ ...memberAction, admin: z.literal('appeal'), violationId: z.optional(text) }),
  'enterprise-appeal': z.strictObject({
    ...timedCommon,
    admin: z.literal('enterprise-appeal'),
    documents: z.array(text),
  }),
  'appeal-decision': z.strictObject({
    ...timedCommon,
    admin: z.literal('appeal-decision'),
    appealId: z.optional(text),
    approved: z.boolean(),
    reviewer: text,
  }),
} as const;

const clockSchema = z.strictObject({ ...stepCommon, clock: z.unknown() });
const clockToSchema = z.strictObject({ to: duration });
const CLOCK_HINT =
  'must be a duration to move the clock forward by ("P1D"), or {"to": <a duration from start>}';

const STEP_KINDS = ['route', 'admin', 'clock'] as const;

/**
 * Validates the text of a scenario file and resolves its times; `file` names it in errors. The
 * steps form a timeline: a step's `at` (a duration from `start`; by default, where the previous
 * step left the clock) may not lie before where the previous step left the clock.
 */
export function parseScenario(content: string, file: string): Scenario {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (cause) {
    throw new ScenarioError(file, `not valid JSON (${(cause as Error).message})`, { cause });
  }
  const top = validate(scenarioSchema, json, file, '');
  const start = Date.parse(top.start);
  const userId = top.userId ?? DEFAULT_SCENARIO_USER;
  const fail = (message: string) => new ScenarioError(file, message);
  const steps: ScenarioStep[] = [];
  let now = start;
  top.steps.forEach((raw, i) => {
    const where = `steps.${i}`;
    const index = i + 1;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw fail(`${where}: must be an object`);
    const kinds = STEP_KINDS.filter((key) => key in raw);
    if (kinds.length !== 1) {
      throw fail(
        `${where}: a step has exactly one of route (a callback), admin (an admin action) or clock (a clock move)`,
      );
    }
    const timeOf = (at: string | undefined, field: string): number => {
      if (at === undefined) return now;
      const time = start + durationMs(at);
      if (time < now) {
        throw fail(
          `${where}.${field}: ${at} is before ${offsetText(now - start)}, where the previous step left the clock`,
        );
      }
      return time;
    };
    if (kinds[0] === 'route') {
      const step = validate(callbackSchema, raw, file, `${where}.`);
      const at = timeOf(step.at, 'at');
      const repeat = step.repeat ?? 1;
      const every = step.every === undefined ? 0 : durationMs(step.every);
      if (step.every !== undefined && repeat === 1) throw fail(`${where}.every: only with repeat`);
      const content = contentOf(step.route, step.plaintext, (message, field) =>
        fail(`${where}.plaintext${field === undefined ? '' : `.${field}`}: ${message}`),
      );
      const parsed: CallbackStep = {
        kind: 'callback',
        index,
        label: step.label ?? `${step.route} callback${repeat > 1 ? ` ×${repeat}` : ''}`,
        at,
        end: at + (repeat - 1) * every,
        ...optional('expect', resolveExpectation(step.expect, start)),
        route: step.route,
        envelope: step.envelope ?? (step.route === 'contact' ? 'xml' : 'json'),
        agentId: step.agentId ?? '',
        content,
        repeat,
        every,
      };
      checkCallbackContent(parsed, (message) => fail(`${where}.plaintext: ${message}`));
      steps.push(parsed);
      now = parsed.end;
      return;
    }
    if (kinds[0] === 'admin') {
      const name = (raw as { admin: unknown }).admin;
      if (typeof name !== 'string' || !(ADMIN_ACTIONS as readonly string[]).includes(name)) {
        throw fail(`${where}.admin: must be one of ${ADMIN_ACTIONS.join(', ')}`);
      }
      const step = validate(adminSchemas[name as AdminActionName], raw, file, `${where}.`);
      const at = timeOf(step.at, 'at');
      const request = adminActionOf(step, userId);
      steps.push({
        kind: 'admin',
        index,
        label: step.label ?? `admin ${step.admin}`,
        at,
        end: at,
        ...optional('expect', resolveExpectation(step.expect, start)),
        request,
      });
      now = at;
      return;
    }
    const step = validate(clockSchema, raw, file, `${where}.`);
    const clock: string | { to: string } =
      typeof step.clock === 'string'
        ? step.clock
        : typeof step.clock === 'object' && step.clock !== null && !Array.isArray(step.clock)
          ? validate(clockToSchema, step.clock, file, `${where}.clock.`)
          : '';
    if (typeof clock === 'string' && !isDuration(clock)) throw fail(`${where}.clock: ${CLOCK_HINT}`);
    const to = typeof clock === 'string' ? now + durationMs(clock) : timeOf(clock.to, 'clock.to');
    steps.push({
      kind: 'clock',
      index,
      label: step.label ?? (typeof clock === 'string' ? `clock +${clock}` : `clock to start +${clock.to}`),
      at: to,
      end: to,
      ...optional('expect', resolveExpectation(step.expect, start)),
    });
    now = to;
  });
  return { name: top.name, description: top.description, start, corpId: top.corpId, userId, steps };
}

type AdminStepInput = z.output<(typeof adminSchemas)[AdminActionName]>;

function adminActionOf(step: AdminStepInput, userId: string): AdminAction {
  switch (step.admin) {
    case 'unblock-application':
      return { action: step.admin, userId: step.userId ?? userId };
    case 'report':
      return {
        action: step.admin,
        userId: step.userId ?? userId,
        category: step.category,
        badInfluence: step.badInfluence ?? false,
        reviewer: step.reviewer,
        ...optional('note', step.note),
      };
    case 'appeal':
      return {
        action: step.admin,
        userId: step.userId ?? userId,
        ...optional('violationId', step.violationId),
      };
    case 'enterprise-appeal':
      return { action: step.admin, documents: step.documents };
    case 'appeal-decision':
      return {
        action: step.admin,
        approved: step.approved,
        reviewer: step.reviewer,
        ...optional('appealId', step.appealId),
      };
  }
}

/** The content as the step keeps it: XML text or fields on `contact`, the JSON record(s) otherwise. */
function contentOf(
  route: CallbackRoute,
  plaintext: string | Record<string, unknown>,
  fail: (message: string, field?: string) => Error,
): CallbackStep['content'] {
  if (route === 'contact') {
    if (typeof plaintext === 'string') {
      if (!plaintext.trimStart().startsWith('<'))
        throw fail('must be the event XML, or its fields as an object');
      return plaintext;
    }
    for (const [name, value] of Object.entries(plaintext)) {
      if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw fail('is not an XML element name', name);
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw fail('must be a string or a number (the text of the XML element)', name);
      }
    }
    return plaintext;
  }
  if (typeof plaintext !== 'string') return plaintext;
  try {
    const json: unknown = JSON.parse(plaintext);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not an object');
    return json as Record<string, unknown>;
  } catch {
    throw fail(`must be the JSON record as an object (or its JSON text) on route ${route}`);
  }
}

/**
 * Runs the route's own parser over every copy, so a mistake is found before anything is sent;
 * not when the step expects the server to refuse the callback.
 */
function checkCallbackContent(step: CallbackStep, fail: (message: string) => Error): void {
  const expected = step.expect?.status;
  if (expected !== undefined && expected !== 200) return;
  for (let copy = 0; copy < step.repeat; copy++) {
    const plaintext = callbackPlaintext(step, copy);
    try {
      decodeCallback(step.route, withCorp(plaintext, 'ww0000000000000000'), 'ww0000000000000000');
    } catch (error) {
      throw fail(`${step.repeat > 1 ? `copy ${copy + 1}: ` : ''}${(error as Error).message}`);
    }
  }
}

function resolveExpectation(
  expectation: z.output<typeof expectationSchema> | undefined,
  start: number,
): StepExpectation | undefined {
  if (expectation === undefined) return undefined;
  const time = (value: string | null | undefined) =>
    value === undefined || value === null
      ? value
      : isIsoTime(value)
        ? Date.parse(value)
        : start + durationMs(value);
  const { member } = expectation;
  if (!member) return expectation as StepExpectation;
  const { interop, linkedWeChat } = member;
  return {
    ...expectation,
    member: {
      ...member,
      ...(interop ? { interop: withTime(interop, 'until', time(interop.until)) } : {}),
      ...(linkedWeChat
        ? { linkedWeChat: withTime(linkedWeChat, 'restoreAt', time(linkedWeChat.restoreAt)) }
        : {}),
    },
  } as StepExpectation;
}

function withTime<T extends object, K extends string>(
  value: T,
  key: K,
  time: number | null | undefined,
): T & { [P in K]?: number | null } {
  return (time === undefined ? value : { ...value, [key]: time }) as T & { [P in K]?: number | null };
}

// ---- the callbacks a step sends ----------------------------------------------------------------

/** The time of copy `copy` of a callback step (epoch ms). */
export function copyTime(step: CallbackStep, copy: number): number {
  return step.at + copy * step.every;
}

/**
 * The plaintext of copy `copy` (0-based) of a callback step: `{n}` in every string becomes the
 * copy's number (1-based, zero-padded to the width of `repeat`), and the event's own time fields
 * are the copy's time: `CreateTime` (seconds) in XML, `msgtime` (ms) in an archive record (one
 * with `msgid`), `time` (ms) in a complaint or WeChat status record.
 */
export function callbackPlaintext(step: CallbackStep, copy: number): string {
  const at = copyTime(step, copy);
  const n = String(copy + 1).padStart(String(step.repeat).length, '0');
  const content = substitute(step.content, n) as CallbackStep['content'];
  if (step.route === 'contact') {
    const seconds = String(Math.floor(at / 1000));
    return typeof content === 'string' ? withCreateTime(content, seconds) : xmlOf(content, seconds);
  }
  const record = content as Record<string, unknown>;
  const timed = (r: unknown) =>
    typeof r === 'object' && r !== null && !Array.isArray(r)
      ? { ...r, ...('msgid' in r ? { msgtime: at } : { time: at }) }
      : r;
  return JSON.stringify(
    Array.isArray(record.records) ? { ...record, records: record.records.map(timed) } : timed(record),
  );
}

function substitute(value: unknown, n: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{n}', n);
  if (Array.isArray(value)) return value.map((item) => substitute(item, n));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, n)]));
  }
  return value;
}

/** Sets `<CreateTime>` of event XML, adding it after `<ToUserName>` (or first) when missing. */
function withCreateTime(xml: string, seconds: string): string {
  const element = `<CreateTime>${seconds}</CreateTime>`;
  // indexOf, not /<CreateTime>[\s\S]*?<\/CreateTime>/, which scans to the end of the text from each
  // <CreateTime> when none is closed (quadratic); the first one and the first close after it, as that did.
  const open = xml.indexOf('<CreateTime>');
  const close = open < 0 ? -1 : xml.indexOf('</CreateTime>', open);
  if (close >= 0) return `${xml.slice(0, open)}${element}${xml.slice(close + '</CreateTime>'.length)}`;
  const afterTo = /<\/ToUserName>/;
  if (afterTo.test(xml)) return xml.replace(afterTo, (end) => `${end}${element}`);
  return xml.replace(/<xml>/, (open) => `${open}${element}`);
}

/** Event XML from its fields, with WeCom's header (ToUserName, FromUserName, CreateTime, MsgType) where not given. */
function xmlOf(fields: Readonly<Record<string, unknown>>, seconds: string): string {
  const all: Record<string, unknown> = {
    ToUserName: fields.ToUserName ?? 'ww0000000000000000',
    FromUserName: fields.FromUserName ?? 'sys',
    CreateTime: seconds,
    MsgType: fields.MsgType ?? 'event',
    ...Object.fromEntries(
      Object.entries(fields).filter(
        ([name]) => !['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'].includes(name),
      ),
    ),
  };
  const body = Object.entries(all)
    .map(([name, value]) =>
      typeof value === 'number' || name === 'CreateTime'
        ? `<${name}>${String(value)}</${name}>`
        : `<${name}><![CDATA[${String(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]></${name}>`,
    )
    .join('');
  return `<xml>${body}</xml>`;
}

/** The sealed request of copy `copy` of a callback step. */
export function callbackRequest(step: CallbackStep, copy: number, keys: RecordingKeys): CallbackHttpRequest {
  const recording: PlaintextRecording = {
    form: 'plaintext',
    description: step.label,
    route: step.route,
    envelope: step.envelope,
    agentId: step.agentId,
    plaintext: callbackPlaintext(step, copy),
  };
  return buildCallbackRequest(recording, keys);
}

// ---- running a scenario -------------------------------------------------------------------------

/** Where and how a scenario is run. */
export interface ScenarioRunOptions {
  /** Local mode's base URL, without a trailing slash. */
  readonly url: string;
  /** The keys callbacks are sealed with (the server's). */
  readonly keys: RecordingKeys;
  /** The admin API's bearer token (ADMIN_TOKEN). */
  readonly adminToken: string;
  /** Deliveries of each callback, byte for byte the same (WeCom's retries); default 1. */
  readonly deliveries?: number;
  /** The file, as printed. */
  readonly file?: string;
  /** One JSON line for the whole scenario instead of the table. */
  readonly json?: boolean;
  readonly write?: (line: string) => void;
  readonly timeoutMs?: number;
}

/** The member view of the admin API, as far as the runner reads it. */
export interface MemberStatus {
  readonly interop: {
    readonly status: string;
    readonly until: string | null;
    readonly canApplyForUnblock: boolean;
    readonly reason: { readonly rule: string; readonly category: string } | null;
  };
  readonly account: { readonly status: string; readonly reason: { readonly rule: string } | null };
  readonly strikes: number;
  readonly linkedWeChat: { readonly status: string; readonly restoreAt: string | null };
  readonly [key: string]: unknown;
}

/** The corp view of the admin API, as far as the runner reads it. */
export interface CorpStatus {
  readonly account: { readonly status: string };
  readonly adminAccount: { readonly status: string };
  readonly limits: { readonly contactAddsPerMemberPerDay: number; readonly contactAddsPerCorpPerDay: number };
  readonly advice: readonly string[];
  readonly [key: string]: unknown;
}

/** What one step did and what it found. */
export interface StepReport {
  readonly index: number;
  readonly kind: ScenarioStep['kind'] | 'start';
  readonly label: string;
  /** The clock after the step (ISO). */
  readonly clock: string;
  /** Callback answers, `"<status> <body>"` → how many. */
  readonly answers?: Readonly<Record<string, number>>;
  /** The admin request and its answer. */
  readonly admin?: {
    readonly method: string;
    readonly path: string;
    readonly status: number;
    readonly body: unknown;
  };
  readonly member: MemberStatus;
  readonly corp: CorpStatus;
  /** Expectations checked: the values and statuses the step's `expect` names. */
  readonly checked: number;
  readonly failures: readonly string[];
}

/** What a scenario run did; `ok` when every request was answered and every expectation held. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly file: string;
  readonly corpId: string;
  readonly userId: string;
  readonly start: string;
  readonly ok: boolean;
  readonly checked: number;
  readonly failed: number;
  readonly steps: readonly StepReport[];
  /** The member or corp had a history before the scenario started. */
  readonly warning?: string;
  /** Why the run stopped early (no answer, no local mode, wrong token). */
  readonly error?: string;
}

/** A run that cannot go on: the server does not answer, is not local mode, or refuses the token. */
class RunError extends Error {}

/** One HTTP exchange with local mode. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Local mode's routes the runner uses: the clock, drain, and the admin API. */
class LocalModeClient {
  readonly #options: ScenarioRunOptions;

  constructor(options: ScenarioRunOptions) {
    this.#options = options;
  }

  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const admin = path.startsWith('/admin/');
    let response: Response;
    try {
      response = await fetch(`${this.#options.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(admin ? { authorization: `Bearer ${this.#options.adminToken}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new RunError(
        `no answer from ${this.#options.url} (${describeFetchError(error)}): is \`npm start\` running there?`,
      );
    }
    const raw = await response.text();
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // Not JSON: kept as text.
    }
    if (response.status === 401 && admin) {
      throw new RunError(
        'the admin API refused the bearer token: run with the ADMIN_TOKEN that `npm start` uses',
      );
    }
    if (response.status === 404 && path.startsWith('/local/')) {
      throw new RunError(
        `${this.#options.url} has no ${path}: scenarios run against local mode (\`npm start\`)`,
      );
    }
    return { status: response.status, body: parsed };
  }

  async setClock(at: number): Promise<number> {
    const answer = await this.request('POST', '/local/clock', { set: new Date(at).toISOString() });
    const now = (answer.body as { now?: string }).now;
    if (answer.status !== 200 || now === undefined) {
      throw new RunError(`POST /local/clock answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return Date.parse(now);
  }

  async drain(): Promise<void> {
    const answer = await this.request('POST', '/local/drain');
    if (answer.status !== 200) throw new RunError(`POST /local/drain answered ${answer.status}`);
  }

  async views(corpId: string, userId: string): Promise<{ member: MemberStatus; corp: CorpStatus }> {
    const corpPath = `/admin/corps/${encodeURIComponent(corpId)}`;
    const [member, corp] = await Promise.all([
      this.request('GET', `${corpPath}/members/${encodeURIComponent(userId)}`),
      this.request('GET', corpPath),
    ]);
    for (const [what, answer] of [
      ['member', member],
      ['corp', corp],
    ] as const) {
      if (answer.status !== 200) {
        throw new RunError(`GET of the ${what} answered ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    return { member: member.body as MemberStatus, corp: corp.body as CorpStatus };
  }
}

/**
 * Runs a scenario against local mode: sets the clock to `start`; for each step moves the clock to
 * the step's time, sends its callbacks (sealed with `keys`), calls the admin API or moves the
 * clock, drains the queue, reads the member's and the corp's status and checks what the step
 * expects; prints one line per step (or one JSON line for the whole run).
 */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioReport> {
  const write = options.write ?? ((line: string) => console.log(line));
  const corpId = scenario.corpId ?? options.keys.corpId;
  const file = options.file ?? scenario.name;
  const base = {
    scenario: scenario.name,
    file,
    corpId,
    userId: scenario.userId,
    start: new Date(scenario.start).toISOString(),
  };
  const steps: StepReport[] = [];
  const table = new Table(scenario, write);
  if (!options.json) table.header(file, corpId);
  const finish = (extra: { warning?: string; error?: string }): ScenarioReport => {
    const checked = steps.reduce((sum, step) => sum + step.checked, 0);
    const failed = steps.reduce((sum, step) => sum + step.failures.length, 0);
    const report: ScenarioReport = {
      ...base,
      ok: failed === 0 && extra.error === undefined,
      checked,
      failed,
      steps,
      ...extra,
    };
    if (options.json) write(JSON.stringify(report));
    else table.footer(report);
    return report;
  };
  if (scenario.corpId !== undefined && scenario.corpId !== options.keys.corpId) {
    return finish({
      error:
        `the scenario watches corp ${scenario.corpId}, but callbacks are sealed for ${options.keys.corpId}: ` +
        `start the server and the replay with WECOM_CORP_ID=${scenario.corpId}`,
    });
  }
  const client = new LocalModeClient(options);
  let warning: string | undefined;
  try {
    let clock = await client.setClock(scenario.start);
    await client.drain();
    const initial = await client.views(corpId, scenario.userId);
    warning = historyOf(initial.member, initial.corp);
    const first: StepReport = {
      index: 0,
      kind: 'start',
      label: 'clock set to the start',
      clock: new Date(clock).toISOString(),
      ...initial,
      checked: 0,
      failures: [],
    };
    steps.push(first);
    if (!options.json) {
      if (warning) table.note(warning);
      table.columns();
      table.row(first);
    }
    let lastAppealId: string | undefined;
    for (const step of scenario.steps) {
      if (step.at > clock) clock = await client.setClock(step.at);
      const failures: string[] = [];
      let checked = 0;
      let answers: Record<string, number> | undefined;
      let admin: StepReport['admin'];
      if (step.kind === 'callback') {
        answers = {};
        const expected = step.expect?.status ?? 200;
        let wrong = 0;
        let firstWrong = '';
        for (let copy = 0; copy < step.repeat; copy++) {
          const request = callbackRequest(step, copy, options.keys);
          for (let delivery = 0; delivery < (options.deliveries ?? 1); delivery++) {
            const answer: CallbackAnswer = await sendCallbackRequest(
              options.url,
              request,
              options.timeoutMs ?? 10_000,
            );
            if (answer.error !== undefined) throw new RunError(`${answer.error}: is \`npm start\` running?`);
            const key = `${answer.status} ${oneLine(answer.body ?? '')}`;
            answers[key] = (answers[key] ?? 0) + 1;
            if (answer.status !== expected) {
              wrong += 1;
              firstWrong ||= `callback ${copy + 1} answered ${key}`;
            }
          }
        }
        if (step.expect?.status !== undefined) checked += 1;
        if (wrong > 0)
          failures.push(`status: expected ${expected}; ${wrong} did not, the first: ${firstWrong}`);
        await client.drain();
        if (step.end > clock) clock = await client.setClock(step.end);
      } else if (step.kind === 'admin') {
        const { method, path, body } = adminRequest(step.request, corpId, lastAppealId);
        const answer = await client.request(method, path, body);
        admin = { method, path, status: answer.status, body: answer.body };
        if (
          (step.request.action === 'appeal' || step.request.action === 'enterprise-appeal') &&
          answer.status === 201
        ) {
          lastAppealId = (answer.body as { id?: string }).id ?? lastAppealId;
        }
        const expected = step.expect?.status;
        if (expected !== undefined) checked += 1;
        if (
          expected !== undefined ? answer.status !== expected : answer.status < 200 || answer.status >= 300
        ) {
          failures.push(
            `status: expected ${expected ?? 'a 2xx'}, got ${answer.status} ${oneLine(JSON.stringify(answer.body))}`,
          );
        }
        await client.drain();
      } else {
        await client.drain();
      }
      const views = await client.views(corpId, scenario.userId);
      const { member, corp } = step.expect ?? {};
      if (member) checked += compare(member, views.member, 'member', failures);
      if (corp) checked += compare(corp, views.corp, 'corp', failures);
      const report: StepReport = {
        index: step.index,
        kind: step.kind,
        label: step.label,
        clock: new Date(clock).toISOString(),
        ...optional('answers', answers),
        ...optional('admin', admin),
        ...views,
        checked,
        failures,
      };
      steps.push(report);
      if (!options.json) table.row(report, step);
    }
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    return finish({ ...optional('warning', warning), error: error.message });
  }
  return finish(optional('warning', warning));
}

/** Prints a scenario's steps without sending anything (`--print`). */
export function printScenario(scenario: Scenario, keys: RecordingKeys, write: (line: string) => void): void {
  write(`# scenario ${scenario.name}: ${scenario.description}`);
  write(`POST /local/clock {"set":"${new Date(scenario.start).toISOString()}"}`);
  for (const step of scenario.steps) {
    write(`# step ${step.index} at ${new Date(step.at).toISOString()}: ${step.label}`);
    if (step.kind === 'callback') {
      const show = (copy: number) => {
        write(`# plaintext: ${withCorp(callbackPlaintext(step, copy), keys.corpId)}`);
        write(formatCallbackRequest(callbackRequest(step, copy, keys)));
      };
      const last = step.repeat - 1;
      show(0);
      if (last > 1) write(`# … copies 2 to ${last} alike`);
      if (last > 0) show(last);
    } else if (step.kind === 'admin') {
      const { method, path, body } = adminRequest(
        step.request,
        scenario.corpId ?? keys.corpId,
        '<the latest appeal>',
      );
      write(`${method} ${path}${body === undefined ? '' : `\n${JSON.stringify(body)}`}`);
    } else {
      write(`POST /local/clock {"set":"${new Date(step.end).toISOString()}"}`);
    }
  }
}

/** The admin API request of an action. */
function adminRequest(
  request: AdminAction,
  corpId: string,
  lastAppealId: string | undefined,
): { method: string; path: string; body?: unknown } {
  const member = (userId: string) =>
    `/admin/corps/${encodeURIComponent(corpId)}/members/${encodeURIComponent(userId)}`;
  switch (request.action) {
    case 'unblock-application':
      return { method: 'POST', path: `${member(request.userId)}/unblock-application`, body: {} };
    case 'report':
      return {
        method: 'POST',
        path: `${member(request.userId)}/violations`,
        body: {
          category: request.category,
          badInfluence: request.badInfluence,
          reviewer: request.reviewer,
          ...optional('note', request.note),
        },
      };
    case 'appeal':
      return {
        method: 'POST',
        path: '/admin/appeals',
        body: { corpId, userId: request.userId, ...optional('violationId', request.violationId) },
      };
    case 'enterprise-appeal':
      return { method: 'POST', path: '/admin/appeals', body: { corpId, documents: request.documents } };
    case 'appeal-decision': {
      const id = request.appealId ?? lastAppealId;
      if (id === undefined) throw new RunError('appeal-decision: no appeal filed before it, and no appealId');
      return {
        method: 'POST',
        path: `/admin/appeals/${encodeURIComponent(id)}/decision`,
        body: { approved: request.approved, reviewer: request.reviewer },
      };
    }
  }
}

/** What the member or corp carried before the scenario started, or undefined for a fresh state. */
function historyOf(member: MemberStatus, corp: CorpStatus): string | undefined {
  const signs = [
    member.strikes > 0 ? `${member.strikes} strike(s)` : '',
    member.interop.status !== 'active' ? `interop ${member.interop.status}` : '',
    member.account.status !== 'active' ? `account ${member.account.status}` : '',
    member.linkedWeChat.status !== 'normal' ? `linked WeChat ${member.linkedWeChat.status}` : '',
    corp.account.status !== 'active' ? `corp ${corp.account.status}` : '',
  ].filter(Boolean);
  if (signs.length === 0) return undefined;
  return `the state is not fresh (${signs.join(', ')}); the expectations assume \`npm start\` on an empty DATA_DIR`;
}

// ---- expectations -------------------------------------------------------------------------------

/** Fields compared as times: the expectation holds epoch ms, the view an ISO time. */
const TIME_FIELDS = new Set(['until', 'restoreAt']);

/**
 * Checks `expected` against `actual` field by field (objects partially, `advice` as strings to
 * find), adds a line per mismatch to `failures`, and returns how many values were checked.
 */
export function compare(expected: unknown, actual: unknown, path: string, failures: string[]): number {
  const field = path.split('.').at(-1) ?? '';
  if (TIME_FIELDS.has(field) && typeof expected === 'number') {
    const time = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    if (time !== expected)
      failures.push(`${path}: expected ${new Date(expected).toISOString()}, got ${show(actual)}`);
    return 1;
  }
  if (field === 'advice' && Array.isArray(expected)) {
    const given = Array.isArray(actual) ? actual.map(String) : [];
    if (expected.length === 0) {
      if (given.length > 0) failures.push(`${path}: expected none, got ${show(given)}`);
      return 1;
    }
    for (const part of expected as string[]) {
      if (!given.some((advice) => advice.includes(part)))
        failures.push(`${path}: expected one with "${part}", got ${show(given)}`);
    }
    return expected.length;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) {
      failures.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return 1;
    }
    let checked = 0;
    for (const [key, value] of Object.entries(expected)) {
      checked += compare(value, (actual as Record<string, unknown>)[key], `${path}.${key}`, failures);
    }
    return checked;
  }
  if (expected !== actual) failures.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  return 1;
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

// ---- the table ----------------------------------------------------------------------------------

const COLUMNS = { index: 3, time: 11, label: 40, interop: 32, strikes: 7, account: 11, wechat: 27, corp: 18 };

/** The terminal output of a run: a header, one line per step, failures under their step, a summary. */
class Table {
  readonly #scenario: Scenario;
  readonly #write: (line: string) => void;

  constructor(scenario: Scenario, write: (line: string) => void) {
    this.#scenario = scenario;
    this.#write = write;
  }

  header(file: string, corpId: string): void {
    const s = this.#scenario;
    this.#write(`scenario ${s.name} (${file})`);
    for (const line of wrap(s.description, 100)) this.#write(`  ${line}`);
    this.#write(
      `  member ${s.userId} of corp ${corpId}; start ${isoTime(s.start)}; times in UTC; ` +
        '* = the administrator may apply for unblocking',
    );
  }

  columns(): void {
    this.#write(
      [
        '#'.padStart(COLUMNS.index),
        'time'.padEnd(COLUMNS.time),
        'step'.padEnd(COLUMNS.label),
        'interop'.padEnd(COLUMNS.interop),
        'strikes'.padEnd(COLUMNS.strikes),
        'account'.padEnd(COLUMNS.account),
        'linked WeChat'.padEnd(COLUMNS.wechat),
        '│ corp/admin'.padEnd(COLUMNS.corp),
        'adds/day member/corp',
      ].join(' '),
    );
  }

  note(text: string): void {
    this.#write(`  note: ${text}`);
  }

  row(report: StepReport, step?: ScenarioStep): void {
    const { member, corp } = report;
    const interop = member.interop;
    const rule = interop.reason ? ` ${interop.reason.rule}` : '';
    const interopCell =
      interop.status === 'suspended'
        ? `suspended${rule} ${interop.until ? `until ${shortTime(Date.parse(interop.until))}` : 'no end'}${interop.canApplyForUnblock ? '*' : ''}`
        : `${interop.status}${interop.status === 'banned' ? rule : ''}`;
    const accountCell = `${member.account.status}${member.account.reason ? ` ${member.account.reason.rule}` : ''}`;
    const linked = member.linkedWeChat;
    const wechatCell = linked.restoreAt
      ? `${linked.status}, restore ${shortTime(Date.parse(linked.restoreAt))}`
      : linked.status;
    const status = report.admin
      ? ` → ${report.admin.status}`
      : report.answers && Object.keys(report.answers).some((key) => !key.startsWith('200 '))
        ? ` → ${Object.keys(report.answers)
            .map((key) => key.split(' ')[0])
            .join('/')}`
        : '';
    const label = clip(`${report.label}`, COLUMNS.label - status.length) + status;
    const result =
      report.failures.length > 0
        ? `✗ ${report.failures.length} failed`
        : report.checked > 0
          ? `✓ ${report.checked}`
          : '';
    this.#write(
      [
        String(report.index).padStart(COLUMNS.index),
        shortTime(Date.parse(report.clock)).padEnd(COLUMNS.time),
        label.padEnd(COLUMNS.label),
        interopCell.padEnd(COLUMNS.interop),
        String(member.strikes).padEnd(COLUMNS.strikes),
        accountCell.padEnd(COLUMNS.account),
        wechatCell.padEnd(COLUMNS.wechat),
        `│ ${corp.account.status}/${corp.adminAccount.status}`.padEnd(COLUMNS.corp),
        `${corp.limits.contactAddsPerMemberPerDay}/${corp.limits.contactAddsPerCorpPerDay}`.padEnd(10),
        result,
      ]
        .join(' ')
        .trimEnd(),
    );
    const indent = ' '.repeat(COLUMNS.index + 1);
    if (report.admin && (report.admin.status < 200 || report.admin.status >= 300)) {
      this.#write(`${indent}  ${report.admin.status} ${oneLine(JSON.stringify(report.admin.body))}`);
    }
    if (step?.kind === 'callback' && step.repeat > 1) {
      // The repeated step's line shows its end; say where it began.
      this.#write(
        `${indent}  ${step.repeat} callbacks from ${shortTime(step.at)}, ${offsetText(step.every)} apart`,
      );
    }
    for (const failure of report.failures) this.#write(`${indent}  ✗ ${failure}`);
  }

  footer(report: ScenarioReport): void {
    const steps = report.steps.length - 1;
    if (report.error !== undefined) this.#write(`  ✗ stopped: ${report.error}`);
    const verdict =
      report.error !== undefined
        ? 'did not finish'
        : report.failed > 0
          ? `${report.failed} FAILED (${report.checked} expectations)`
          : `all ${report.checked} expectations met`;
    this.#write(`${report.scenario}: ${Math.max(steps, 0)} step(s), ${verdict}`);
  }
}

/** `MM-DD HH:MM` in UTC, with seconds when there are any. */
function shortTime(at: number): string {
  const iso = new Date(at).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`;
}

/** An ISO time without zero milliseconds. */
function isoTime(at: number): string {
  return new Date(at).toISOString().replace('.000Z', 'Z');
}

/** Words in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A duration as ISO-8601 (`P1DT2H`), for messages. */
function offsetText(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1000);
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function oneLine(body: string): string {
  // Each run of white space holding a line break becomes one space. Not /\s*\n\s*/g, which retries
  // a long run of spaces without a line break from each of its positions (quadratic).
  const flat = body.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}

// ---- validation ---------------------------------------------------------------------------------

function validate<T extends z.ZodMiniType>(
  schema: T,
  value: unknown,
  file: string,
  prefix: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ScenarioError(
    file,
    issue ? describeIssue(issue, value, prefix) : `${prefix || 'scenario'}: is invalid`,
    {
      cause: result.error,
    },
  );
}

/** `<field path>: <what is wrong>`, naming an unknown field itself, never echoing a value. */
function describeIssue(issue: z.core.$ZodIssue, value: unknown, prefix: string): string {
  const name = (path: readonly PropertyKey[]) =>
    `${prefix}${path.map(String).join('.')}`.replace(/\.$/, '') || 'scenario';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${name([...issue.path, issue.keys[0] ?? ''])}: is not a known field`;
    case 'invalid_type':
      if (issue.path.length > 0 && valueAt(value, issue.path) === undefined)
        return `${name(issue.path)}: is required`;
      return `${name(issue.path)}: must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
    case 'invalid_value':
      return `${name(issue.path)}: must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `${name(issue.path)}: ${issue.message}`;
  }
}

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let value = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
