import { createHash } from 'node:crypto';
import type { Explanation, Quote } from './decisions.js';
import type { Category, Penalty, Rule } from './types.js';

/**
 * A case's life: `open` until a reviewer decides it, `expired` once it is past the policy's
 * `enforcement.reviewWithin` and still undecided (an alarm fires; it stays decidable, the provisional
 * measure stays), then `confirmed` or `overturned`, for good.
 */
export type CaseStatus = 'open' | 'expired' | 'confirmed' | 'overturned';

/** Every case status, in the order the admin API lists them. */
export const CASE_STATUSES = [
  'open',
  'expired',
  'confirmed',
  'overturned',
] as const satisfies readonly CaseStatus[];

/**
 * What a case holds back: a member's violation (its penalty), or the block of the enterprise and
 * admin accounts that a member's bad influence would bring.
 */
export type CaseKind = 'violation' | 'enterprise-block';

/** A reviewer's decision on a case. */
export interface ReviewDecision {
  readonly decision: 'confirm' | 'overturn';
  readonly reviewer: string;
  readonly reason: string;
  readonly at: number;
  /** The command that carried it. */
  readonly inputId: string;
}

/** The measure in force while a case is open, or null when the policy sets none. */
export interface ProvisionalMeasure {
  readonly penaltyId: string;
  readonly scope: Penalty['scope'];
  readonly kind: Penalty['kind'];
}

/** A case as the store keeps it and the admin API shows it. */
export interface Case {
  readonly id: string;
  readonly kind: CaseKind;
  readonly corpId: string;
  /** The member whose violation it is (for an enterprise block, whose bad influence led to it). */
  readonly userId: string;
  readonly rule: Rule;
  readonly category: Category;
  readonly violationId: string;
  /** The violation's own time: what a confirmation applies the penalty as of. */
  readonly violationAt: number;
  readonly status: CaseStatus;
  readonly openedAt: number;
  /** When it is overdue (`openedAt` + `enforcement.reviewWithin`). */
  readonly reviewBy: number;
  readonly badInfluence: boolean;
  /** The classifier's score of the detection, or null when no classifier was involved. */
  readonly score: number | null;
  /** The policy version it was opened under. */
  readonly policyVersion: string;
  /** The violation's explanation, its evidence bounded. */
  readonly explanation: Explanation;
  /**
   * The text the detection read (the message, or the profile's name and alias), quoted to at most
   * `CASE_TEXT_MAX_CHARS` characters: what a reviewer judges, and what a decided case labels for the
   * classifier's evaluation. Null when no text was read (a count, a report).
   */
  readonly text: Quote | null;
  readonly provisional: ProvisionalMeasure | null;
  readonly decision: ReviewDecision | null;
}

/** Characters of the detected text a case keeps (start and end around an ellipsis beyond that). */
export const CASE_TEXT_MAX_CHARS = 1000;

/** An undecided case as its member's state keeps it: enough to decide it without reading the record. */
export interface CaseSummary {
  readonly id: string;
  readonly kind: CaseKind;
  readonly rule: Rule;
  readonly category: Category;
  readonly violationId: string;
  readonly violationAt: number;
  readonly openedAt: number;
  readonly reviewBy: number;
  readonly status: 'open' | 'expired';
  readonly badInfluence: boolean;
  readonly provisionalPenaltyId: string | null;
}

/** What every case id looks like (`caseIdOf`): anything else names no case. */
const CASE_ID = /^case-[0-9a-f]{32}$/;

/** Whether `value` can be a case's id (so a lookup of anything else can be skipped). */
export function isCaseId(value: string): boolean {
  return CASE_ID.test(value);
}

/**
 * A case's id: a hash of the corp, the member, the kind and the violation (ids are unique only per
 * member, and may hold any printable character), safe in a URL path.
 */
export function caseIdOf(corpId: string, userId: string, kind: CaseKind, violationId: string): string {
  const hash = createHash('sha256').update(`${corpId}\n${userId}\n${kind}\n${violationId}`).digest('hex');
  return `case-${hash.slice(0, 32)}`;
}
