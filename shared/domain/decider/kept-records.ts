import type { Penalty, ViolationSummary } from '../types.js';

/** Violation summaries kept besides those whose penalty is in force. */
const MAX_VIOLATION_SUMMARIES = 4;
/** Decided appeals kept besides the open ones. */
const MAX_APPEALS = 2;

/** Summaries of violations with a penalty in force, and the latest few others. */
export function keepViolations(
  violations: readonly ViolationSummary[],
  penalties: readonly Penalty[],
  added: Penalty | null,
): ViolationSummary[] {
  const inForce = new Set(penalties.map((p) => p.violationId));
  if (added) inForce.add(added.violationId);
  const others = violations.filter((v) => !inForce.has(v.id)).slice(-MAX_VIOLATION_SUMMARIES);
  const keep = new Set(others);
  return violations.filter((v) => inForce.has(v.id) || keep.has(v));
}

/** Open appeals, and the latest few decided ones. */
export function keepAppeals<T extends { readonly status: string }>(appeals: readonly T[]): T[] {
  const decided = appeals.filter((a) => a.status !== 'open').slice(-MAX_APPEALS);
  return appeals.filter((a) => a.status === 'open' || decided.includes(a));
}
