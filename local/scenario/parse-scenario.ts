import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as z from 'zod/mini';
import { durationMs } from '../../shared/domain/index.js';
import { type CallbackRoute, decodeCallback } from '../../shared/ingest/index.js';
import { withCorp } from '../recording.js';
import { callbackPlaintext } from './callback-request.js';
import { ADMIN_ACTIONS, DEFAULT_SCENARIO_USER } from './constants.js';
import { ScenarioError } from './errors.js';
import { optional } from './optional.js';
import { resolveExpectation } from './resolve-expectation.js';
import {
  adminSchemas,
  CLOCK_HINT,
  callbackSchema,
  clockSchema,
  clockToSchema,
  isDuration,
  STEP_KINDS,
  scenarioSchema,
} from './scenario-schema.js';
import { offsetText } from './text.js';
import type { AdminAction, AdminActionName, CallbackStep, Scenario, ScenarioStep } from './types.js';
import { validate } from './validate.js';

/** Whether a parsed JSON file is a scenario (it has a top-level `steps`) rather than a recording. */
export function isScenarioJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && 'steps' in json;
}

/** What a step's parser knows of the file and of the timeline so far. */
interface StepContext {
  readonly file: string;
  /** `steps.<i>`, for messages. */
  readonly where: string;
  readonly index: number;
  readonly start: number;
  readonly userId: string;
  /** Where the previous step left the clock. */
  readonly now: number;
  readonly fail: (message: string) => ScenarioError;
}

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
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw fail(`${where}: must be an object`);
    const kinds = STEP_KINDS.filter((key) => key in raw);
    if (kinds.length !== 1) {
      throw fail(
        `${where}: a step has exactly one of route (a callback), admin (an admin action) or clock (a clock move)`,
      );
    }
    const context: StepContext = { file, where, index: i + 1, start, userId, now, fail };
    const step = STEP_PARSERS[kinds[0] as StepKind](raw, context);
    steps.push(step);
    now = step.end;
  });
  return {
    name: top.name,
    description: top.description,
    start,
    corpId: top.corpId,
    userId,
    ...optional('policy', top.policy === undefined ? undefined : policyOf(top.policy, fail)),
    steps,
  };
}

/** The repository's root: a scenario's `policy` is a path from there (`policies/wecom-faithful.json`). */
const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The policy file a scenario names, and its version: read now, so a wrong path is refused before
 * anything is sent, and the run compares the version with the server's (GET /admin/policy).
 */
function policyOf(file: string, fail: (message: string) => ScenarioError): { file: string; version: string } {
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(resolve(REPOSITORY_ROOT, file), 'utf8')) as { version?: unknown })
      .version;
  } catch (cause) {
    throw fail(`policy: ${file} cannot be read as a policy file (${(cause as Error).message})`);
  }
  if (typeof version !== 'string' || version === '') throw fail(`policy: ${file} has no version`);
  return { file, version };
}

type StepKind = (typeof STEP_KINDS)[number];

/** The parser of each kind of step, by the key that tells it; a new kind fails to compile until it has one. */
const STEP_PARSERS = {
  route: parseCallbackStep,
  admin: parseAdminStep,
  clock: parseClockStep,
} satisfies Record<StepKind, (raw: object, context: StepContext) => ScenarioStep>;

/** The time of a step's `at` (or `clock.to`), refused when it lies before where the clock is. */
function timeOf(at: string | undefined, field: string, context: StepContext): number {
  const { now, start, where, fail } = context;
  if (at === undefined) return now;
  const time = start + durationMs(at);
  if (time < now) {
    throw fail(
      `${where}.${field}: ${at} is before ${offsetText(now - start)}, where the previous step left the clock`,
    );
  }
  return time;
}

function parseCallbackStep(raw: object, context: StepContext): CallbackStep {
  const { file, where, fail } = context;
  const step = validate(callbackSchema, raw, file, `${where}.`);
  const at = timeOf(step.at, 'at', context);
  const repeat = step.repeat ?? 1;
  const every = step.every === undefined ? 0 : durationMs(step.every);
  if (step.every !== undefined && repeat === 1) throw fail(`${where}.every: only with repeat`);
  const eventAt = step.eventAt === undefined ? undefined : context.start + durationMs(step.eventAt);
  if (eventAt !== undefined && eventAt > at) {
    throw fail(
      `${where}.eventAt: ${step.eventAt} is after the step's time: an event is delivered once it happened`,
    );
  }
  const content = contentOf(step.route, step.plaintext, (message, field) =>
    fail(`${where}.plaintext${field === undefined ? '' : `.${field}`}: ${message}`),
  );
  const parsed: CallbackStep = {
    kind: 'callback',
    index: context.index,
    label: step.label ?? `${step.route} callback${repeat > 1 ? ` ×${repeat}` : ''}`,
    at,
    end: at + (repeat - 1) * every,
    ...optional('expect', resolveExpectation(step.expect, context.start)),
    route: step.route,
    envelope: step.envelope ?? (step.route === 'contact' ? 'xml' : 'json'),
    agentId: step.agentId ?? '',
    content,
    repeat,
    every,
    ...optional('eventAt', eventAt),
  };
  checkCallbackContent(parsed, (message) => fail(`${where}.plaintext: ${message}`));
  return parsed;
}

function parseAdminStep(raw: object, context: StepContext): ScenarioStep {
  const { file, where, fail } = context;
  const name = (raw as { admin: unknown }).admin;
  if (typeof name !== 'string' || !(ADMIN_ACTIONS as readonly string[]).includes(name)) {
    throw fail(`${where}.admin: must be one of ${ADMIN_ACTIONS.join(', ')}`);
  }
  const step = validate(adminSchemas[name as AdminActionName], raw, file, `${where}.`);
  const at = timeOf(step.at, 'at', context);
  const request = adminActionOf(step, context.userId);
  return {
    kind: 'admin',
    index: context.index,
    label: step.label ?? `admin ${step.admin}`,
    at,
    end: at,
    ...optional('expect', resolveExpectation(step.expect, context.start)),
    request,
  };
}

function parseClockStep(raw: object, context: StepContext): ScenarioStep {
  const { file, where, fail, now } = context;
  const step = validate(clockSchema, raw, file, `${where}.`);
  const clock: string | { to: string } =
    typeof step.clock === 'string'
      ? step.clock
      : typeof step.clock === 'object' && step.clock !== null && !Array.isArray(step.clock)
        ? validate(clockToSchema, step.clock, file, `${where}.clock.`)
        : '';
  if (typeof clock === 'string' && !isDuration(clock)) throw fail(`${where}.clock: ${CLOCK_HINT}`);
  const to = typeof clock === 'string' ? now + durationMs(clock) : timeOf(clock.to, 'clock.to', context);
  return {
    kind: 'clock',
    index: context.index,
    label: step.label ?? (typeof clock === 'string' ? `clock +${clock}` : `clock to start +${clock.to}`),
    at: to,
    end: to,
    ...optional('expect', resolveExpectation(step.expect, context.start)),
  };
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
    case 'decide-case':
      return {
        action: step.admin,
        userId: step.userId ?? userId,
        ...optional('caseId', step.case),
        decision: step.decision,
        reviewer: step.reviewer,
        reason: step.reason,
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
