import type { CaseSummary } from './cases.js';
import type { DomainEvent } from './events.js';
import { CONTACT_HARASSMENT_CATEGORIES } from './rules/contact-harassment.js';
import { LINKED_WECHAT_BAN_CATEGORIES } from './rules/linked-wechat-ban.js';
import { PROHIBITED_CONDUCT_CATEGORIES } from './rules/prohibited-conduct.js';
import type { Buckets, DayFilter } from './windows.js';

/** The three penalty rules: each has its module in `rules/rule-registry.ts`, or that does not compile. */
export type Rule = 'R1' | 'R2' | 'R3';

/** Every category of POLICY.md, with its rule: each rule's module lists its own. */
export const CATEGORY_RULES = {
  ...categoriesOf('R1', CONTACT_HARASSMENT_CATEGORIES),
  ...categoriesOf('R2', LINKED_WECHAT_BAN_CATEGORIES),
  ...categoriesOf('R3', PROHIBITED_CONDUCT_CATEGORIES),
} as const satisfies Record<string, Rule>;
export type Category = keyof typeof CATEGORY_RULES;

/** What a penalty does: a timed or conditional interop suspension, a permanent interop ban, an account block. */
export type PenaltyKind = 'suspension' | 'ban' | 'block';

/** An active penalty on a member; the interop and account views are derived from the set of them. */
export interface Penalty {
  /** Deterministic: the violation's id, or `r2:<status event id>` for a linked-WeChat suspension. */
  readonly id: string;
  readonly scope: 'interop' | 'account';
  readonly kind: PenaltyKind;
  readonly rule: Rule;
  readonly category: Category;
  readonly violationId: string | null;
  readonly since: number;
  /** End of a timed suspension; null for a permanent penalty or a conditional (R2) suspension. */
  readonly until: number | null;
  /** True only on rule 1's first-step suspension, until the unblock application is used. */
  readonly canApplyForUnblock: boolean;
  /** Set on a provisional measure: the case it holds for, and which lifts it when decided. */
  readonly caseId?: string;
}

/** A violation as member state keeps it (the full record, with evidence, is a decision). */
export interface ViolationSummary {
  readonly id: string;
  readonly rule: Rule;
  readonly category: Category;
  readonly at: number;
  readonly status: 'standing' | 'void';
  /** Whether it counts on rule 1's ladder. */
  readonly strike: boolean;
  readonly badInfluence: boolean;
  readonly penaltyId: string | null;
}

/**
 * What a member whose account is blocked went on doing, per category: counted, never recorded as a
 * violation (the block already stops every function, so a strike or a penalty adds nothing).
 */
export interface ActivityAfterBlock {
  readonly category: Category;
  /** Detections since the block. */
  readonly count: number;
  /** The latest of them. */
  readonly lastAt: number;
}

/** An appeal of a member penalty, open or decided. */
export interface MemberAppeal {
  readonly id: string;
  readonly violationId: string;
  readonly filedAt: number;
  readonly status: 'open' | 'approved' | 'rejected';
  /**
   * `penalty`: an appeal of a non-permanent penalty; `mistaken-use`: of a permanent one, lifted only
   * when a reviewer finds mistaken use; `unblock`: an unblock application waiting for a reviewer
   * (when the policy does not approve them at once).
   */
  readonly kind: 'penalty' | 'mistaken-use' | 'unblock';
}

/** Bounded windows of a member's recent activity. */
export interface MemberWindows {
  /** Contact adds per 15-minute bucket over the last 24 h. */
  readonly adds: Buckets;
  /** Times of the most recent adds, at most `plugin.addsPerMinute` of them, for the cadence check. */
  readonly recentAddTimes: readonly number[];
  /** Per-day filters of the external contacts the member added. */
  readonly addedContacts: readonly DayFilter[];
  /** Per-day filters of the external contacts the member sent marketing to. */
  readonly marketingRecipients: readonly DayFilter[];
  /** Every complaint and deletion by a customer, per day: the evidence for bad influence. */
  readonly feedback: Buckets;
  /** Complaints and deletions by marketing recipients, per day. */
  readonly marketingFeedback: Buckets;
  /** Complaints by recently added contacts, per day. */
  readonly addedContactComplaints: Buckets;
  /** Recipients of each recent text (by hash) in 10-second buckets, for the mass-sending check. */
  readonly massSends: readonly { readonly key: string; readonly buckets: Buckets }[];
  /** When a contact-add breach last counted (at most once per 24 h). */
  readonly lastAddBreachAt: number | null;
}

/** A member's state: the penalties in force, strikes, the linked WeChat account and the windows. */
export interface MemberState {
  readonly corpId: string;
  readonly userId: string;
  /** Optimistic-concurrency version, incremented by every change. */
  readonly version: number;
  readonly penalties: readonly Penalty[];
  readonly strikes: number;
  readonly violations: readonly ViolationSummary[];
  readonly appeals: readonly MemberAppeal[];
  readonly linkedWeChat: {
    readonly status: 'normal' | 'banned';
    /** When interop is restored after an unban; null unless a restore is scheduled. */
    readonly restoreAt: number | null;
    /** The status event that banned the account, for the R2 penalty's identity. */
    readonly banId: string | null;
    /**
     * The event time of the last status change applied (a ban or an unban): status changes apply
     * in event-time order, so one no newer (a replay, a late delivery) is recorded and ignored.
     * Absent in states written before it was kept.
     */
    readonly changedAt?: number;
  };
  readonly windows: MemberWindows;
  /** Detections once the account was blocked, one entry per category (absent in older states). */
  readonly afterBlock?: readonly ActivityAfterBlock[];
  /** The member's undecided cases, oldest first (absent in older states). */
  readonly cases?: readonly CaseSummary[];
  /**
   * Detections held back while the member already had `MAX_OPEN_CASES` undecided cases, per
   * category: counted, for the reviewer to see, so a flood of detections cannot flood the queue.
   */
  readonly casesHeldBack?: readonly ActivityAfterBlock[];
  /**
   * Keys of the cases decided lately (as `recentInputs`): the same input evaluated again, once its
   * input marker is gone, finds its case decided and opens no other.
   */
  readonly decidedCases?: string;
  /**
   * Keys (16 hex digits each, concatenated) of the latest inputs applied, so a redelivered input
   * changes nothing; one string rather than a list, so checking it touches one object.
   */
  readonly recentInputs: string;
}

/** The corp's trust factors as shown in its status: each with its score, weight and contribution. */
export interface TrustFactor {
  readonly name: 'completeness' | 'usage' | 'feedback' | 'compliance';
  readonly score: number;
  readonly weight: number;
  readonly detail: string;
}

/** An appeal of the enterprise block. */
export interface CorpAppeal {
  readonly id: string;
  readonly filedAt: number;
  readonly status: 'open' | 'approved' | 'rejected';
}

/** A corp's state: its and its admin's accounts, and the counters its limits come from. */
export interface CorpState {
  readonly corpId: string;
  readonly version: number;
  readonly account: { readonly status: 'active' | 'blocked'; readonly reason: PenaltyReason | null };
  readonly adminAccount: { readonly status: 'active' | 'blocked'; readonly reason: PenaltyReason | null };
  readonly subjectVerified: boolean;
  /** Members' bad-influence violations, last `badInfluence.corpWindowDays`. */
  readonly badInfluence: readonly {
    readonly userId: string;
    readonly violationId: string;
    readonly at: number;
  }[];
  /** Per-day counters for the trust factors. */
  readonly daily: Buckets;
  readonly negativeFeedback: Buckets;
  readonly violations: Buckets;
  /**
   * Today's adds: the corp's total, the member with most of them (`topUserId`, `topCount`, which the
   * concentration advice reads), and the ADDS_TOP_MEMBERS members with most adds, exact counts, most
   * first (empty in states stored before it was kept, until their next add).
   */
  readonly addsToday: {
    readonly day: number;
    readonly total: number;
    readonly topUserId: string;
    readonly topCount: number;
    readonly members: readonly AddsCount[];
  };
  readonly appeals: readonly CorpAppeal[];
  /** Reviewers' decisions per category, per day: the engine's measured precision (absent in older states). */
  readonly reviews?: readonly ReviewTally[];
  /** The undecided case on blocking the enterprise, if any: one at a time (absent in older states). */
  readonly enterpriseCase?: { readonly id: string; readonly userId: string } | null;
  /** As in MemberState. */
  readonly recentInputs: string;
}

/** A category's decided cases per day, confirmed and overturned. */
export interface ReviewTally {
  readonly category: Category;
  readonly confirmed: Buckets;
  readonly overturned: Buckets;
}

/** What caused a state: the rule, category and violation, as the admin API shows it. */
export interface PenaltyReason {
  readonly rule: Rule;
  readonly category: Category;
  readonly violationId: string | null;
}

/** The statuses of an appeal. */
export const APPEAL_STATUSES = ['open', 'approved', 'rejected'] as const;
/** An appeal's status. */
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** A member's contact adds of the day. */
export interface AddsCount {
  readonly userId: string;
  readonly count: number;
}

/** Inputs that are not WeCom callbacks: timers, reviewers' and administrators' actions. */
export type EngineCommand =
  | {
      readonly type: 'timer.fired';
      readonly id: string;
      readonly corpId: string;
      readonly userId: string;
      readonly at: number;
      /** The penalty an unban timer was scheduled for, or the ban a restore timer follows. */
      readonly timer:
        | { readonly kind: 'unban'; readonly penaltyId: string }
        | { readonly kind: 'r2-restore'; readonly banId: string }
        | { readonly kind: 'review-deadline'; readonly caseId: string };
    }
  | {
      /** A reviewer's decision on one of the member's cases. */
      readonly type: 'case.reviewed';
      readonly id: string;
      readonly corpId: string;
      readonly userId: string;
      readonly at: number;
      readonly caseId: string;
      readonly decision: 'confirm' | 'overturn';
      readonly reviewer: string;
      readonly reason: string;
    }
  | {
      readonly type: 'violation.reported';
      readonly id: string;
      readonly corpId: string;
      readonly userId: string;
      readonly at: number;
      readonly category: Category;
      readonly badInfluence: boolean;
      readonly reviewer: string;
      readonly note?: string;
    }
  | {
      readonly type: 'unblock.requested';
      readonly id: string;
      readonly corpId: string;
      readonly userId: string;
      readonly at: number;
    }
  | {
      readonly type: 'appeal.filed';
      readonly id: string;
      readonly corpId: string;
      /** The member for a member appeal; absent for an enterprise appeal. */
      readonly userId?: string;
      readonly at: number;
      readonly violationId?: string;
      readonly documents?: readonly string[];
    }
  | {
      readonly type: 'appeal.decided';
      readonly id: string;
      readonly corpId: string;
      readonly userId?: string;
      readonly at: number;
      readonly appealId: string;
      readonly approved: boolean;
      readonly reviewer: string;
    }
  | {
      readonly type: 'corp.profile-updated';
      readonly id: string;
      readonly corpId: string;
      readonly at: number;
      readonly subjectVerified: boolean;
    };

/** Everything `decide` takes: WeCom's events and the engine's own commands. */
export type EngineInput = DomainEvent | EngineCommand;

/** A rule's categories as entries of the category table. */
function categoriesOf<R extends Rule, C extends string>(rule: R, categories: readonly C[]): Record<C, R> {
  return Object.fromEntries(categories.map((category) => [category, rule])) as Record<C, R>;
}
