import * as z from 'zod/mini';
import { EVENT_TIME_RANGE } from '../contract/index.js';
import { issuePath, type ParseFailure, parseWith } from '../parse-with.js';
import { InvalidInputError } from './errors.js';
import { type DomainEvent, domainEventSchema } from './events.js';
import { CATEGORY_RULES, type Category, type EngineCommand, type EngineInput } from './types.js';

const idString = z.string().check(z.minLength(1), z.maxLength(256));
const time = z.int().check(z.gte(EVENT_TIME_RANGE.min), z.lte(EVENT_TIME_RANGE.max));
const category = z.enum(Object.keys(CATEGORY_RULES) as [Category, ...Category[]]);

/** Fields every command carries: its id (the input marker's key), the corp and the time it takes effect. */
const base = { id: idString, corpId: idString, at: time };

/**
 * The engine's own commands as they travel on the queue (a fired timer is the JSON of its
 * `timer.fired` command) or arrive from the admin API: one strict schema for both.
 */
export const engineCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('timer.fired'),
    userId: idString,
    timer: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('unban'), penaltyId: idString }),
      z.strictObject({ kind: z.literal('r2-restore'), banId: idString }),
      z.strictObject({ kind: z.literal('review-deadline'), caseId: idString }),
    ]),
  }),
  z.strictObject({
    ...base,
    type: z.literal('case.reviewed'),
    userId: idString,
    caseId: idString,
    decision: z.enum(['confirm', 'overturn']),
    reviewer: idString,
    reason: z.string().check(z.minLength(1), z.maxLength(2000)),
  }),
  z.strictObject({
    ...base,
    type: z.literal('violation.reported'),
    userId: idString,
    category,
    badInfluence: z.boolean(),
    reviewer: idString,
    note: z.optional(z.string().check(z.maxLength(2000))),
  }),
  z.strictObject({ ...base, type: z.literal('unblock.requested'), userId: idString }),
  z.strictObject({
    ...base,
    type: z.literal('appeal.filed'),
    userId: z.optional(idString),
    violationId: z.optional(idString),
    documents: z.optional(z.array(idString).check(z.maxLength(20))),
  }),
  z.strictObject({
    ...base,
    type: z.literal('appeal.decided'),
    userId: z.optional(idString),
    appealId: idString,
    approved: z.boolean(),
    reviewer: idString,
  }),
  z.strictObject({
    ...base,
    type: z.literal('corp.profile-updated'),
    subjectVerified: z.boolean(),
  }),
]);

/** Every command type: complete, or this does not compile. */
const COMMAND_TYPE_LIST = {
  'timer.fired': true,
  'case.reviewed': true,
  'violation.reported': true,
  'unblock.requested': true,
  'appeal.filed': true,
  'appeal.decided': true,
  'corp.profile-updated': true,
} as const satisfies Record<EngineCommand['type'], true>;
const COMMAND_TYPES: ReadonlySet<unknown> = new Set(Object.keys(COMMAND_TYPE_LIST));

/**
 * Reads a queued message body: an engine command (a fired timer, a sweep's late timer), told
 * apart by its `type`, or else a domain event from ingest. The error names what is wrong, never the content.
 */
export function parseEngineInput(body: string): EngineInput {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new InvalidInputError('message body is not JSON', { cause });
  }
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined;
  if (!COMMAND_TYPES.has(type)) return checkDomainEvent(json);
  return parseWith(engineCommandSchema, json, invalid('engine command')) as EngineCommand;
}

/**
 * Checks a value with the domain event schema the evaluator reads with: ingest runs it on every
 * event before queueing, so what it accepts the evaluator accepts. The error names the field.
 */
export function checkDomainEvent(value: unknown): DomainEvent {
  return parseWith(domainEventSchema, value, invalid('domain event'));
}

/** The error of an input that is not a valid `what`: it names the field and the issue, never the content. */
function invalid(what: string): ParseFailure {
  return (issue, cause) =>
    new InvalidInputError(
      `message is not a valid ${what}: ${issuePath(issue) || 'body'}: ${issue?.code ?? 'invalid'}`,
      { cause },
    );
}
