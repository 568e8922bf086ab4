import { hash } from 'node:crypto';
import * as z from 'zod/mini';
import { InvalidInputError, parseEngineInput } from '../domain/commands.js';
import { ENTERPRISE_APPEAL_DOCUMENTS } from '../domain/decide.js';
import type { Decision, Violation } from '../domain/decisions.js';
import {
  isMemberUserId,
  isPrintableId,
  MEMBER_USER_ID,
  MEMBER_USER_ID_RULE,
  PRINTABLE_ID,
  PRINTABLE_ID_RULE,
} from '../domain/ids.js';
import type { Policy, PolicySet } from '../domain/policy.js';
import type { AppealOwner, LoadedState, StateReader } from '../domain/ports.js';
import {
  CATEGORY_RULES,
  type Category,
  type CorpAppeal,
  type EngineInput,
  type MemberAppeal,
  type MemberState,
} from '../domain/types.js';
import { activePenalties, corpView, memberView } from '../domain/views.js';
import { HttpFacingError, InvalidCursorError } from '../errors.js';
import { ConcurrentUpdateError } from '../evaluator/errors.js';
import type { Evaluation } from '../evaluator/evaluate-input.js';
import {
  failureReason,
  MAX_PARKED_LISTED,
  type ParkedInput,
  type ParkedInputs,
} from '../evaluator/parked-inputs.js';

/** Largest accepted request body (decoded): larger bodies get 413. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** Violations per page when the request names no `limit`, and the most it may name (CONTRACT §5). */
export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** The header that makes a command idempotent: the same key for the same target takes effect once. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** An HTTP request as the admin API sees it, whatever carried it (API Gateway, the local server). */
export interface AdminRequest {
  readonly method: string;
  /** The raw (percent-encoded) path, with the query string when there is one. */
  readonly path: string;
  readonly body: string | null;
  /** Header names in any case. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

/** The answer: always a JSON body. */
export interface AdminResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the admin API reads and evaluates with. */
export interface AdminDependencies {
  readonly reader: StateReader;
  /**
   * Evaluates an input synchronously: load, decide, commit once, carry out the side effects. Commands
   * of the admin API, and parked inputs retried.
   */
  readonly evaluate: (input: EngineInput) => Promise<Evaluation>;
  /** The parked inputs (CONTRACT §5); the routes answer 404 without them. */
  readonly parked?: ParkedInputs;
  readonly policies: PolicySet;
  /** The time commands take effect at and views are computed at (ms). */
  readonly now: () => number;
  /** A fresh command id, for a request without an Idempotency-Key. */
  readonly newId: () => string;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._-]{1,64}$/;
const MAX_ID_LENGTH = 256;
/** Control characters (C0, DEL, C1), which no WeCom id carries. */
const CONTROL = /\p{Cc}/u;

// ---- request bodies ------------------------------------------------------------------------------

const idString = z.string().check(
  z.minLength(1),
  z.maxLength(MAX_ID_LENGTH),
  z.refine((text) => !CONTROL.test(text), { abort: true }),
);
/** A corp id is also part of the store's keys (`MEMBER#<corpId>#<userId>`), so it may not hold `#`. */
const corpIdString = z.string().check(
  z.regex(PRINTABLE_ID, `must be ${PRINTABLE_ID_RULE}`),
  z.refine((text) => !text.includes('#'), { abort: true }),
);
const memberIdString = z.string().check(z.regex(MEMBER_USER_ID, `must be ${MEMBER_USER_ID_RULE}`));
const category = z.enum(Object.keys(CATEGORY_RULES) as [Category, ...Category[]]);

const violationReportBody = z.strictObject({
  category,
  badInfluence: z.optional(z.boolean()),
  reviewer: idString,
  note: z.optional(z.string().check(z.maxLength(2000))),
});
const unblockApplicationBody = z.strictObject({});
const appealBody = z.strictObject({
  corpId: corpIdString,
  userId: z.optional(memberIdString),
  violationId: z.optional(idString),
  documents: z.optional(z.array(idString).check(z.maxLength(20))),
});
const appealDecisionBody = z.strictObject({ approved: z.boolean(), reviewer: idString });
const parkedDecisionBody = z.strictObject({
  reviewer: z.optional(idString),
  reason: z.optional(z.string().check(z.maxLength(2000))),
});
const PARKED_ID = /^[0-9a-f]{32}$/;

// ---- routing -------------------------------------------------------------------------------------

interface RouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: string | null;
  readonly idempotencyKey: string | null;
  /** The request's time: commands take effect at it and views are computed at it. */
  readonly at: number;
  readonly deps: AdminDependencies;
}

type RouteHandler = (context: RouteContext) => Promise<AdminResponse>;

interface Route {
  /** The path with `{name}` parameters, as logs and metrics name the route. */
  readonly template: string;
  readonly segments: readonly string[];
  readonly methods: Readonly<Record<string, RouteHandler>>;
}

function route(template: string, methods: Record<string, RouteHandler>): Route {
  return { template, segments: template.split('/').slice(1), methods };
}

const ROUTES: readonly Route[] = [
  route('/admin/corps/{corpId}', { GET: getCorp }),
  route('/admin/corps/{corpId}/members/{userId}', { GET: getMember }),
  route('/admin/corps/{corpId}/members/{userId}/violations', {
    GET: getViolations,
    POST: reportViolation,
  }),
  route('/admin/corps/{corpId}/members/{userId}/unblock-application', { POST: applyForUnblock }),
  route('/admin/appeals', { POST: fileAppeal }),
  route('/admin/appeals/{appealId}', { GET: getAppeal }),
  route('/admin/appeals/{appealId}/decision', { POST: decideAppeal }),
  route('/admin/policy', { GET: getPolicy }),
  route('/admin/parked', { GET: listParked }),
  route('/admin/parked/{parkedId}/retry', { POST: retryParked }),
  route('/admin/parked/{parkedId}/discard', { POST: discardParked }),
];

/** The route template a path matches (for logs and metrics, which never carry ids), or null. */
export function adminRouteOf(path: string): string | null {
  return matchRoute(splitPath(path).segments)?.route.template ?? null;
}

/**
 * The admin API of CONTRACT §5, framework-free: routes the request, validates it (path parameters,
 * Idempotency-Key, body), reads views from the state reader or evaluates a command synchronously,
 * and answers JSON. Errors are `{"error": message}`; a message never echoes a body's values.
 * Unexpected failures (the store unreachable) are thrown for the caller to answer 500.
 */
export async function handleAdminRequest(
  request: AdminRequest,
  deps: AdminDependencies,
): Promise<AdminResponse> {
  const method = request.method.toUpperCase();
  const { pathname, segments, query } = splitPath(request.path);
  const match = matchRoute(segments);
  if (!match) return errorResponse(404, `no route for ${method} ${truncate(pathname, 200)}`);
  const handler = match.route.methods[method];
  if (!handler) {
    const allow = Object.keys(match.route.methods).join(', ');
    return errorResponse(405, `${method} is not allowed on ${match.route.template}; use ${allow}`, {
      allow,
    });
  }
  if (request.body !== null && Buffer.byteLength(request.body, 'utf8') > MAX_ADMIN_BODY_BYTES) {
    return errorResponse(413, `the body is over ${MAX_ADMIN_BODY_BYTES} bytes`);
  }
  try {
    const context: RouteContext = {
      params: decodeParams(match.params),
      query,
      body: request.body,
      idempotencyKey: method === 'POST' ? idempotencyKeyOf(request.headers) : null,
      at: Math.floor(deps.now()),
      deps,
    };
    return await handler(context);
  } catch (error) {
    if (error instanceof HttpFacingError) return errorResponse(error.statusCode, error.message);
    if (error instanceof ConcurrentUpdateError) {
      return errorResponse(503, 'the state kept changing while this was applied; try again', {
        'retry-after': '1',
      });
    }
    throw error;
  }
}

function splitPath(path: string): { pathname: string; segments: string[]; query: URLSearchParams } {
  const queryAt = path.indexOf('?');
  const pathname = queryAt === -1 ? path : path.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : path.slice(queryAt + 1));
  return { pathname, segments: pathname.split('/').slice(1), query };
}

function matchRoute(segments: readonly string[]): { route: Route; params: Record<string, string> } | null {
  for (const candidate of ROUTES) {
    if (candidate.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = candidate.segments.every((expected, index) => {
      const actual = segments[index] ?? '';
      if (expected.startsWith('{')) {
        params[expected.slice(1, -1)] = actual;
        return true;
      }
      return expected === actual;
    });
    if (matches) return { route: candidate, params };
  }
  return null;
}

/** Path parameters, percent-decoded exactly once and validated (1–256 characters, no control characters). */
function decodeParams(raw: Readonly<Record<string, string>>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, encoded] of Object.entries(raw)) {
    let value: string;
    try {
      value = decodeURIComponent(encoded);
    } catch {
      throw new HttpFacingError(`path parameter ${name} is not valid percent-encoding`, 400);
    }
    params[name] = checkId(name, value, `path parameter ${name}`);
  }
  return params;
}

function checkId(name: string, value: string, what: string): string {
  // The same id rules as ingest (CONTRACT §3): every member the engine holds is reachable here.
  if (name === 'userId' && !isMemberUserId(value)) {
    throw new HttpFacingError(`${what} must be ${MEMBER_USER_ID_RULE}`, 400);
  }
  if (name === 'corpId' && !isPrintableId(value))
    throw new HttpFacingError(`${what} must be ${PRINTABLE_ID_RULE}`, 400);
  if (value.length < 1 || value.length > MAX_ID_LENGTH) {
    throw new HttpFacingError(`${what} must be 1 to ${MAX_ID_LENGTH} characters`, 400);
  }
  if (CONTROL.test(value)) throw new HttpFacingError(`${what} may not contain control characters`, 400);
  if (name === 'corpId' && value.includes('#')) throw new HttpFacingError(`${what} may not contain #`, 400);
  return value;
}

function idempotencyKeyOf(headers: AdminRequest['headers']): string | null {
  const entry = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === IDEMPOTENCY_KEY_HEADER);
  const value = entry?.[1];
  if (value === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new HttpFacingError(
      'Idempotency-Key must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" and "-"',
      400,
    );
  }
  return value;
}

/**
 * The id of a command: the input marker's key, so the same id is applied once. With an
 * Idempotency-Key it is derived from the key and the command's target (a hash, 40 hex digits), so
 * a retry finds the first attempt's marker, while the same key sent for another member, corp or
 * appeal is a different command; without one it is fresh.
 */
function commandId(context: RouteContext, scope: readonly string[]): string {
  if (context.idempotencyKey === null) return context.deps.newId();
  return hash('sha256', JSON.stringify([...scope, context.idempotencyKey]), 'hex').slice(0, 40);
}

// ---- bodies --------------------------------------------------------------------------------------

/** Parses and validates a JSON body; a failure names the field (never its value). */
function parseBody<T extends z.ZodMiniType>(
  schema: T,
  body: string | null,
  options: { optional?: boolean } = {},
): z.output<T> {
  let json: unknown;
  if (body === null || body.trim() === '') {
    if (!options.optional) throw new HttpFacingError('body: a JSON object is required', 400);
    json = {};
  } else {
    try {
      json = JSON.parse(body);
    } catch {
      throw new HttpFacingError('body: is not valid JSON', 400);
    }
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HttpFacingError(issue ? describeIssue(issue, json) : 'body: is invalid', 400);
}

function describeIssue(issue: z.core.$ZodIssue, json: unknown): string {
  const field = (path: readonly PropertyKey[]) => (path.length === 0 ? 'body' : path.map(String).join('.'));
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field([...issue.path, truncate(issue.keys[0] ?? '', 64)])}: is not a known field`;
    case 'invalid_type': {
      if (issue.path.length > 0 && valueAt(json, issue.path) === undefined) {
        return `${field(issue.path)}: is required`;
      }
      const expected = issue.expected === 'object' ? 'a JSON object' : `${article(issue.expected)}`;
      return `${field(issue.path)}: must be ${expected}`;
    }
    case 'invalid_value':
      return `${field(issue.path)}: must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return `${field(issue.path)}: must have at least ${issue.minimum} ${unitOf(issue.origin)}`;
    case 'too_big':
      return `${field(issue.path)}: must have at most ${issue.maximum} ${unitOf(issue.origin)}`;
    case 'invalid_format':
      // Id rules carry their own message (CONTRACT §3).
      return `${field(issue.path)}: ${issue.message}`;
    case 'custom':
      // The refinements: ids without control characters (and a corp id without '#').
      return `${field(issue.path)}: may not contain ${issue.path.at(-1) === 'corpId' ? '#' : 'control characters'}`;
    default:
      return `${field(issue.path)}: is not valid`;
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

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function unitOf(origin: string): string {
  return origin === 'array' || origin === 'set' ? 'items' : 'characters';
}

// ---- responses -----------------------------------------------------------------------------------

function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): AdminResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

function errorResponse(
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): AdminResponse {
  return jsonResponse(statusCode, { error: message }, headers);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

/** Throws the rejection a command's decisions carry (400, 404, 409), if any. */
function throwIfRejected(evaluation: Evaluation): void {
  const rejected = evaluation.decisions.find(
    (d): d is Extract<Decision, { type: 'command.rejected' }> => d.type === 'command.rejected',
  );
  if (rejected) throw new HttpFacingError(rejected.message, rejected.status);
}

/** What a retried request answers when its first attempt was refused: that refusal is not kept. */
function notAcceptedBefore(): HttpFacingError {
  return new HttpFacingError(
    'a request with this Idempotency-Key was already processed and not accepted; use a new key',
    409,
  );
}

// ---- views ---------------------------------------------------------------------------------------

/** The member view of CONTRACT §5, with the penalties in force and the appeals kept. */
function memberJson(member: MemberState, at: number) {
  const view = memberView(member, at);
  return {
    corpId: view.corpId,
    userId: view.userId,
    interop: {
      status: view.interop.status,
      until: iso(view.interop.until),
      canApplyForUnblock: view.interop.canApplyForUnblock,
      reason: view.interop.reason,
    },
    account: view.account,
    strikes: view.strikes,
    linkedWeChat: { status: view.linkedWeChat.status, restoreAt: iso(view.linkedWeChat.restoreAt) },
    penalties: activePenalties(member, at).map((p) => ({
      id: p.id,
      scope: p.scope,
      kind: p.kind,
      rule: p.rule,
      category: p.category,
      violationId: p.violationId,
      since: iso(p.since),
      until: iso(p.until),
      canApplyForUnblock: p.canApplyForUnblock,
    })),
    appeals: member.appeals.map((a) => memberAppealJson(member, a)),
    // What the member went on doing once blocked: counted per category, not recorded as violations.
    afterBlock: (member.afterBlock ?? []).map((a) => ({
      category: a.category,
      count: a.count,
      lastAt: iso(a.lastAt),
    })),
    asOf: iso(at),
  };
}

function memberAppealJson(member: MemberState, appeal: MemberAppeal) {
  return {
    id: appeal.id,
    corpId: member.corpId,
    userId: member.userId,
    kind: appeal.kind,
    status: appeal.status,
    violationId: appeal.violationId,
    filedAt: iso(appeal.filedAt),
  };
}

function corpAppealJson(corpId: string, appeal: CorpAppeal) {
  return {
    id: appeal.id,
    corpId,
    userId: null,
    kind: 'enterprise' as const,
    status: appeal.status,
    filedAt: iso(appeal.filedAt),
  };
}

function violationJson(violation: Violation) {
  const { explanation } = violation;
  const { evidence } = explanation;
  return {
    id: violation.id,
    rule: violation.rule,
    category: violation.category,
    at: iso(violation.at),
    status: violation.status ?? 'standing',
    badInfluence: violation.badInfluence,
    strikes: violation.strikes,
    evidence: [
      ...evidence.counts.map((c) => ({
        type: 'count',
        name: c.name,
        value: c.value,
        threshold: c.threshold,
      })),
      ...evidence.matchedTerms.map((q) => ({
        type: 'term',
        term: q.text,
        length: q.length,
        truncated: q.truncated,
      })),
      ...(evidence.matchedTermCount > evidence.matchedTerms.length
        ? [{ type: 'terms-not-quoted', count: evidence.matchedTermCount - evidence.matchedTerms.length }]
        : []),
      ...evidence.contentCategories.map((c) => ({ type: 'content-category', category: c })),
      ...evidence.inputIds.map((inputId) => ({ type: 'input', inputId })),
      ...(evidence.reviewer === undefined ? [] : [{ type: 'reviewer', reviewer: evidence.reviewer }]),
    ],
    // The evidence is listed once, above: the explanation keeps what it says besides.
    explanation: {
      rule: explanation.rule,
      category: explanation.category,
      policyVersion: explanation.policyVersion,
      summary: explanation.summary,
    },
    penalty: violation.penalty
      ? { kind: violation.penalty.kind, scope: violation.penalty.scope, until: iso(violation.penalty.until) }
      : null,
  };
}

/** A duration both ways: milliseconds, and ISO-8601 as policy files write it. */
function durationJson(ms: number) {
  return { ms, iso: isoDuration(ms) };
}

/** ISO-8601 duration of whole days, hours, minutes and (possibly fractional) seconds. */
export function isoDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const date = days > 0 ? `${days}D` : '';
  const time = `${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

function policyJson(policy: Policy, corpId: string | null) {
  const { version, timeZone, r1, r2, ...thresholds } = policy;
  return {
    version,
    corpId,
    timeZone: timeZone.name,
    r1: {
      firstSuspension: durationJson(r1.firstSuspension),
      secondSuspension: durationJson(r1.secondSuspension),
      autoApproveUnblock: r1.autoApproveUnblock,
    },
    r2: { restoreDelay: durationJson(r2.restoreDelay) },
    ...thresholds,
    appeals: { enterpriseDocuments: [...ENTERPRISE_APPEAL_DOCUMENTS] },
  };
}

// ---- route handlers ------------------------------------------------------------------------------

function param(context: RouteContext, name: string): string {
  const value = context.params[name];
  if (value === undefined) throw new Error(`route has no parameter ${name}`);
  return value;
}

async function loadMember(reader: StateReader, corpId: string, userId: string): Promise<MemberState> {
  const { member } = await reader.load(corpId, userId);
  if (!member) throw new Error('the store loaded no member state for a member');
  return member;
}

async function getMember(context: RouteContext): Promise<AdminResponse> {
  const member = await loadMember(context.deps.reader, param(context, 'corpId'), param(context, 'userId'));
  return jsonResponse(200, memberJson(member, context.at));
}

async function getCorp(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const { corp } = await context.deps.reader.load(corpId, null);
  const view = corpView(corp, context.deps.policies.forCorp(corpId), context.at);
  return jsonResponse(200, {
    corpId: view.corpId,
    account: view.account,
    adminAccount: view.adminAccount,
    limits: view.limits,
    day: { ...view.day, endsAt: iso(view.day.endsAt) },
    trust: { score: view.trust.value, factors: view.trust.factors },
    advice: view.advice,
    subjectVerified: corp.subjectVerified,
    appeals: corp.appeals.map((a) => corpAppealJson(corpId, a)),
    policyVersion: view.policyVersion,
    asOf: iso(context.at),
  });
}

async function getViolations(context: RouteContext): Promise<AdminResponse> {
  const page = await context.deps.reader.violations(param(context, 'corpId'), param(context, 'userId'), {
    limit: pageLimit(context.query),
    cursor: pageCursor(context.query),
  });
  return jsonResponse(200, { violations: page.violations.map(violationJson), next: page.next });
}

/** `limit`: a whole number from 1 to MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT when absent. */
function pageLimit(query: URLSearchParams): number {
  const limit = query.get('limit');
  if (limit === null) return DEFAULT_PAGE_LIMIT;
  const value = /^[0-9]{1,3}$/.test(limit) ? Number(limit) : Number.NaN;
  if (!(value >= 1 && value <= MAX_PAGE_LIMIT)) {
    throw new HttpFacingError(`limit: must be a whole number from 1 to ${MAX_PAGE_LIMIT}`, 400);
  }
  return value;
}

/** `cursor`: the `next` of the previous page, as it was given (checked by the reader); null when absent. */
function pageCursor(query: URLSearchParams): string | null {
  const cursor = query.get('cursor');
  if (cursor === '') throw new InvalidCursorError();
  return cursor;
}

async function reportViolation(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const userId = param(context, 'userId');
  const body = parseBody(violationReportBody, context.body);
  const id = commandId(context, ['violation.reported', corpId, userId]);
  const evaluation = await context.deps.evaluate({
    type: 'violation.reported',
    id,
    corpId,
    userId,
    at: context.at,
    category: body.category,
    badInfluence: body.badInfluence ?? false,
    reviewer: body.reviewer,
    ...(body.note === undefined ? {} : { note: body.note }),
  });
  throwIfRejected(evaluation);
  // A violation's id is the id of the input that found it.
  if (evaluation.status === 'duplicate') {
    if ((await context.deps.reader.violation(corpId, userId, id)) === null) throw notAcceptedBefore();
  }
  const member = await loadMember(context.deps.reader, corpId, userId);
  return jsonResponse(201, { violationId: id, member: memberJson(member, context.at) });
}

async function applyForUnblock(context: RouteContext): Promise<AdminResponse> {
  const corpId = param(context, 'corpId');
  const userId = param(context, 'userId');
  parseBody(unblockApplicationBody, context.body, { optional: true });
  const id = commandId(context, ['unblock.requested', corpId, userId]);
  const evaluation = await context.deps.evaluate({
    type: 'unblock.requested',
    id,
    corpId,
    userId,
    at: context.at,
  });
  throwIfRejected(evaluation);
  const member = await loadMember(context.deps.reader, corpId, userId);
  return jsonResponse(200, memberJson(member, context.at));
}

async function fileAppeal(context: RouteContext): Promise<AdminResponse> {
  const body = parseBody(appealBody, context.body);
  const id = commandId(context, ['appeal.filed', body.corpId, body.userId ?? '']);
  const evaluation = await context.deps.evaluate({
    type: 'appeal.filed',
    id,
    corpId: body.corpId,
    at: context.at,
    ...(body.userId === undefined ? {} : { userId: body.userId }),
    ...(body.violationId === undefined ? {} : { violationId: body.violationId }),
    ...(body.documents === undefined ? {} : { documents: body.documents }),
  });
  throwIfRejected(evaluation);
  // An appeal's id is the id of the command that filed it.
  const appeal = await findAppeal(context.deps.reader, id, {
    corpId: body.corpId,
    userId: body.userId ?? null,
    appeal: null,
  });
  if (!appeal) throw notAcceptedBefore();
  return jsonResponse(201, appeal, { location: `/admin/appeals/${encodeURIComponent(id)}` });
}

async function getAppeal(context: RouteContext): Promise<AdminResponse> {
  const appealId = param(context, 'appealId');
  const owner = await ownerOf(context.deps.reader, appealId);
  const appeal = await findAppeal(context.deps.reader, appealId, owner);
  if (!appeal) throw new HttpFacingError(`appeal ${appealId} is no longer kept`, 404);
  return jsonResponse(200, appeal);
}

async function decideAppeal(context: RouteContext): Promise<AdminResponse> {
  const appealId = param(context, 'appealId');
  const body = parseBody(appealDecisionBody, context.body);
  const owner = await ownerOf(context.deps.reader, appealId);
  const id = commandId(context, ['appeal.decided', appealId]);
  const evaluation = await context.deps.evaluate({
    type: 'appeal.decided',
    id,
    corpId: owner.corpId,
    ...(owner.userId === null ? {} : { userId: owner.userId }),
    at: context.at,
    appealId,
    approved: body.approved,
    reviewer: body.reviewer,
  });
  throwIfRejected(evaluation);
  const appeal = await findAppeal(context.deps.reader, appealId, owner);
  if (!appeal) throw new HttpFacingError(`appeal ${appealId} is no longer kept`, 404);
  return jsonResponse(200, appeal);
}

async function getPolicy(context: RouteContext): Promise<AdminResponse> {
  const corpId = context.query.get('corpId');
  if (corpId === null) return jsonResponse(200, policyJson(context.deps.policies.base, null));
  checkId('corpId', corpId, 'query parameter corpId');
  return jsonResponse(200, policyJson(context.deps.policies.forCorp(corpId), corpId));
}

async function ownerOf(reader: StateReader, appealId: string): Promise<AppealOwner> {
  const owner = await reader.appealOwner(appealId);
  if (!owner) throw new HttpFacingError(`no appeal ${appealId}`, 404);
  return owner;
}

/** The appeal as its owner's state keeps it (a member's, or the corp's for an enterprise appeal). */
async function findAppeal(reader: StateReader, appealId: string, owner: AppealOwner) {
  const state: LoadedState = await reader.load(owner.corpId, owner.userId);
  // The state is the truth while it keeps the appeal; after it let a decided appeal go, the
  // appeal's own record answers.
  if (owner.userId === null) {
    const appeal = state.corp.appeals.find((a) => a.id === appealId) ?? owner.appeal;
    return appeal ? corpAppealJson(owner.corpId, appeal) : null;
  }
  const { member } = state;
  const kept = member?.appeals.find((a) => a.id === appealId);
  const recorded = owner.appeal && 'kind' in owner.appeal ? owner.appeal : undefined;
  const appeal = kept ?? recorded;
  return member && appeal ? memberAppealJson(member, appeal) : null;
}

// ---- parked inputs -------------------------------------------------------------------------------

function parkedStore(context: RouteContext): ParkedInputs {
  const { parked } = context.deps;
  if (!parked) throw new HttpFacingError('parked inputs are not kept by this deployment', 404);
  return parked;
}

function parkedJson(parked: ParkedInput) {
  return {
    id: parked.id,
    corpId: parked.corpId,
    userId: parked.userId,
    inputId: parked.inputId,
    type: parked.inputType,
    reason: parked.reason,
    at: iso(parked.at),
    receives: parked.receives,
    status: parked.status,
  };
}

/** The parked input a route names, still parked: 404 when unknown, 409 when already resolved. */
async function stillParked(context: RouteContext): Promise<ParkedInput> {
  const id = param(context, 'parkedId');
  if (!PARKED_ID.test(id)) throw new HttpFacingError('parkedId must be 32 hexadecimal digits', 400);
  const parked = await parkedStore(context).get(id);
  if (!parked) throw new HttpFacingError(`no parked input ${id}`, 404);
  if (parked.status !== 'parked')
    throw new HttpFacingError(`parked input ${id} is already ${parked.status}`, 409);
  return parked;
}

async function listParked(context: RouteContext): Promise<AdminResponse> {
  const parked = await parkedStore(context).list(MAX_PARKED_LISTED);
  return jsonResponse(200, { parked: parked.map(parkedJson) });
}

/**
 * Evaluates a parked input again through the evaluator: once it succeeds it is marked retried (its
 * input marker makes a second evaluation a no-op); while it fails it stays parked with the new
 * error, answered 409.
 */
async function retryParked(context: RouteContext): Promise<AdminResponse> {
  const parked = await stillParked(context);
  const body = parseBody(parkedDecisionBody, context.body, { optional: true });
  let input: EngineInput;
  try {
    input = parseEngineInput(parked.body);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new HttpFacingError(`parked input ${parked.id} is not an input: ${error.message}`, 409);
  }
  let evaluation: Evaluation;
  try {
    evaluation = await context.deps.evaluate(input);
  } catch (error) {
    const reason = failureReason(error);
    await parkedStore(context).failedAgain(parked.id, reason, context.at);
    throw new HttpFacingError(`parked input ${parked.id} failed again and stays parked: ${reason}`, 409);
  }
  await parkedStore(context).resolve(parked.id, 'retried', {
    at: context.at,
    by: body.reviewer ?? 'admin-api',
    note: body.reason ?? '',
    policyVersion: context.deps.policies.forCorp(parked.corpId).version,
  });
  return jsonResponse(200, { id: parked.id, status: 'retried', evaluation: evaluation.status });
}

/** Drops a parked input for good, with an audit entry on its member saying who and why. */
async function discardParked(context: RouteContext): Promise<AdminResponse> {
  const parked = await stillParked(context);
  const body = parseBody(parkedDecisionBody, context.body, { optional: true });
  const done = await parkedStore(context).resolve(parked.id, 'discarded', {
    at: context.at,
    by: body.reviewer ?? 'admin-api',
    note: body.reason ?? '',
    policyVersion: context.deps.policies.forCorp(parked.corpId).version,
  });
  if (!done) throw new HttpFacingError(`parked input ${parked.id} was resolved meanwhile`, 409);
  return jsonResponse(200, { id: parked.id, status: 'discarded' });
}
