import type { Case, CaseKind, ReviewDecision } from './cases.js';
import type { ContentCategory } from './classification.js';
import type { Category, EngineCommand, Penalty, PenaltyReason, Rule } from './types.js';

/** Who a decision is about. */
export type Subject =
  | { readonly kind: 'member'; readonly corpId: string; readonly userId: string }
  | { readonly kind: 'admin'; readonly corpId: string }
  | { readonly kind: 'enterprise'; readonly corpId: string };

/** What caused a change: a violation, a schedule, an unblock application, an appeal decision, WeChat. */
export interface Cause {
  readonly kind:
    | 'violation'
    | 'schedule'
    | 'unblock-application'
    | 'appeal-decision'
    | 'linked-wechat'
    // A person's retry or discard of a parked input (the id is the parked input's).
    | 'parked-input'
    // A reviewer's decision on a case (the id is the case's).
    | 'case-decision';
  /** The violation, schedule, application, appeal or case id. */
  readonly id: string;
  /** The input that carried the cause. */
  readonly inputId: string;
}

/** One measured quantity of the evidence, against its threshold in the policy. */
export interface EvidenceCount {
  readonly name: string;
  readonly value: number;
  readonly threshold: number;
}

/**
 * A span of the input quoted as evidence (a matched term or link, as written): cut to at most
 * `QUOTE_MAX_CHARS` characters (code points) when longer, with the span's full length stated.
 */
export interface Quote {
  /** The span, or its start and end around an ellipsis when it was cut. */
  readonly text: string;
  /** The whole span's length in characters (code points): larger than `text`'s when it was cut. */
  readonly length: number;
  readonly truncated: boolean;
}

/** Why a violation was found: enough for a reader to check it against POLICY.md line by line. */
export interface Explanation {
  readonly rule: Rule;
  readonly category: Category;
  readonly policyVersion: string;
  readonly summary: string;
  readonly evidence: {
    readonly inputIds: readonly string[];
    /** The first `MAX_QUOTES` distinct terms that matched, each quoted (bounded, see Quote). */
    readonly matchedTerms: readonly Quote[];
    /** How many distinct terms matched in all: more than `matchedTerms` holds when some were left out. */
    readonly matchedTermCount: number;
    readonly contentCategories: readonly ContentCategory[];
    readonly counts: readonly EvidenceCount[];
    readonly reviewer?: string;
  };
}

/** A violation found by the engine or reported by a reviewer, with its penalty. */
export interface Violation {
  readonly id: string;
  readonly corpId: string;
  readonly userId: string;
  readonly rule: Rule;
  readonly category: Category;
  readonly at: number;
  readonly badInfluence: boolean;
  /** The member's rule-1 strike count after this violation (0 for other rules). */
  readonly strikes: number;
  readonly penalty: {
    readonly kind: Penalty['kind'];
    readonly scope: Penalty['scope'];
    readonly until: number | null;
  } | null;
  readonly explanation: Explanation;
  /**
   * How it took effect, when not at once: `review` (a case holds it; `penalty` is null until a
   * reviewer confirms it) or `shadow` (recorded only: `penalty` is what would have applied).
   */
  readonly enforcement?: 'review' | 'shadow';
  /** The case that holds it, under review. */
  readonly caseId?: string;
  /**
   * Set when read back: `void` once an appeal or a reviewer voided it, `pending` while its case is
   * undecided, `shadow` for what would have applied.
   */
  readonly status?: 'standing' | 'void' | 'pending' | 'shadow';
}

/** Which case a decision is about, as the store and outbound events name it. */
export interface CaseRef {
  readonly caseId: string;
  readonly kind: CaseKind;
  readonly corpId: string;
  readonly userId: string;
  readonly rule: Rule;
  readonly category: Category;
  readonly violationId: string;
  readonly openedAt: number;
}

/** Everything `decide` decides, as data for the shell to carry out. */
export type Decision =
  | { readonly type: 'violation.recorded'; readonly violation: Violation }
  /** A `shadow` category's detection: what would have applied, recorded with its evidence and nothing else. */
  | { readonly type: 'violation.shadowed'; readonly violation: Violation }
  /** A reviewer confirmed the violation its case held: its penalty (null when none stands) and strike count. */
  | {
      readonly type: 'violation.confirmed';
      readonly violationId: string;
      readonly violationAt: number;
      readonly strikes: number;
      readonly penalty: Violation['penalty'];
      readonly cause: Cause;
      readonly policyVersion: string;
    }
  | { readonly type: 'case.opened'; readonly case: Case }
  | (CaseRef & {
      readonly type: 'case.decided';
      readonly status: 'confirmed' | 'overturned';
      readonly decision: ReviewDecision;
      readonly policyVersion: string;
    })
  /** An undecided case went past `enforcement.reviewWithin`: it stays open, and an alarm fires. */
  | (CaseRef & { readonly type: 'case.overdue'; readonly reviewBy: number })
  | {
      readonly type: 'violation.voided';
      readonly violationId: string;
      /** The violation's own time (where its record is kept, newest first). */
      readonly violationAt: number;
      readonly cause: Cause;
      readonly policyVersion: string;
    }
  | {
      readonly type: 'penalty.applied';
      readonly subject: Subject;
      readonly penaltyId: string;
      readonly reason: PenaltyReason;
      readonly until: number | null;
      readonly cause: Cause;
      readonly policyVersion: string;
      /** Why: the violation's explanation, added by the evaluator to what it publishes. */
      readonly explanation?: Explanation;
    }
  | {
      readonly type: 'penalty.lifted';
      readonly subject: Subject;
      readonly penaltyId: string;
      readonly cause: Cause;
      readonly policyVersion: string;
    }
  | {
      readonly type: 'schedule.create';
      readonly name: string;
      readonly at: number;
      readonly input: EngineCommand;
    }
  | { readonly type: 'schedule.cancel'; readonly name: string }
  | {
      readonly type: 'audit';
      readonly subject: Subject;
      readonly at: number;
      readonly change: string;
      readonly cause: Cause;
      readonly policyVersion: string;
    }
  | {
      readonly type: 'quota.changed';
      readonly corpId: string;
      readonly contactAddsPerMemberPerDay: number;
      readonly contactAddsPerCorpPerDay: number;
      readonly policyVersion: string;
    }
  | { readonly type: 'command.rejected'; readonly status: 400 | 404 | 409; readonly message: string }
  | {
      readonly type: 'appeal.recorded';
      readonly appealId: string;
      readonly subject: Subject;
      readonly status: 'open' | 'approved' | 'rejected';
    };
