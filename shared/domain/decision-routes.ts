import type { Decision } from './decisions.js';

/**
 * The record the store writes for a decision beside the states: a violation record, the void mark
 * or a reviewer's confirmation on one, a case and the change of its status, the appeal's owner (to
 * find an appeal by its id), or an entry in the subject's audit trail (what the admin views show
 * as its history).
 */
export type DecisionRecord =
  | 'violation'
  | 'violation-void'
  | 'violation-confirm'
  | 'case'
  | 'case-status'
  | 'appeal-owner'
  | 'audit';

/** Where one type of decision goes once decided. */
export interface DecisionRoute {
  /** The record the store keeps of it in the commit's transaction, or null for none. */
  readonly record: DecisionRecord | null;
  /** Published as an outbound event after the commit (EventBridge, or the local file). */
  readonly published: boolean;
  /** A schedule created or cancelled after the commit (the Timers port), or null. */
  readonly schedule: 'create' | 'cancel' | null;
  /** Counted in the evaluator's `PenaltyChanges` metric: a violation found, a penalty applied or lifted. */
  readonly penaltyChange: boolean;
}

/**
 * Every decision type with its route. The store, the evaluator and the outbound adapter read this
 * table, so a new member of `Decision` fails to compile here until it is routed, and the per-type
 * handlers (the store's record builders, the schedule switch) fail until they handle what it says.
 */
export const DECISION_ROUTES = {
  'violation.recorded': { record: 'violation', published: false, schedule: null, penaltyChange: true },
  'violation.voided': { record: 'violation-void', published: false, schedule: null, penaltyChange: false },
  'violation.shadowed': { record: 'violation', published: false, schedule: null, penaltyChange: false },
  'violation.confirmed': {
    record: 'violation-confirm',
    published: false,
    schedule: null,
    penaltyChange: false,
  },
  'case.opened': { record: 'case', published: true, schedule: null, penaltyChange: false },
  'case.decided': { record: 'case-status', published: true, schedule: null, penaltyChange: false },
  'case.overdue': { record: 'case-status', published: false, schedule: null, penaltyChange: false },
  'penalty.applied': { record: 'audit', published: true, schedule: null, penaltyChange: true },
  'penalty.lifted': { record: 'audit', published: true, schedule: null, penaltyChange: true },
  'schedule.create': { record: null, published: false, schedule: 'create', penaltyChange: false },
  'schedule.cancel': { record: null, published: false, schedule: 'cancel', penaltyChange: false },
  audit: { record: 'audit', published: false, schedule: null, penaltyChange: false },
  'quota.changed': { record: null, published: true, schedule: null, penaltyChange: false },
  // Answered to the caller (the admin API), never kept or carried out.
  'command.rejected': { record: null, published: false, schedule: null, penaltyChange: false },
  'appeal.recorded': { record: 'appeal-owner', published: false, schedule: null, penaltyChange: false },
} as const satisfies Record<Decision['type'], DecisionRoute>;

type Routes = typeof DECISION_ROUTES;

/** The decisions the store keeps as the given record. */
export type DecisionStoredAs<R extends DecisionRecord> = Extract<
  Decision,
  { type: { [T in keyof Routes]: Routes[T]['record'] extends R ? T : never }[keyof Routes] }
>;

/** The decisions published as outbound events. */
export type OutboundDecision = Extract<
  Decision,
  { type: { [T in keyof Routes]: Routes[T]['published'] extends true ? T : never }[keyof Routes] }
>;

/** The decisions that create or cancel a schedule. */
export type ScheduleDecision = Extract<
  Decision,
  { type: { [T in keyof Routes]: Routes[T]['schedule'] extends null ? never : T }[keyof Routes] }
>;

/** The route of a decision. */
export function routeOf(decision: Decision): DecisionRoute {
  return DECISION_ROUTES[decision.type];
}

/** Whether a decision is published as an outbound event. */
export function isOutboundDecision(decision: Decision): decision is OutboundDecision {
  return DECISION_ROUTES[decision.type].published;
}

/** Whether a decision creates or cancels a schedule. */
export function isScheduleDecision(decision: Decision): decision is ScheduleDecision {
  return DECISION_ROUTES[decision.type].schedule !== null;
}

/** Whether a decision is carried out after the commit (kept pending in the input's outbox until then). */
export function isAfterCommitEffect(decision: Decision): boolean {
  return isOutboundDecision(decision) || isScheduleDecision(decision);
}

/** Whether a decision counts as a change of penalties (the evaluator's `PenaltyChanges` metric). */
export function isPenaltyChange(decision: Decision): boolean {
  return DECISION_ROUTES[decision.type].penaltyChange;
}
