import type { ContentCategory } from '../classification.js';
import type { Cause } from '../decisions.js';
import type { Policy } from '../policy.js';
import type { Category, Penalty } from '../types.js';

/** What a rule's penalty ladder sees of a violation being applied. */
export interface PenaltyContext {
  /** The member's penalties as the draft holds them; a ladder may withdraw an unblock right. */
  readonly penalties: readonly Penalty[];
  readonly strikes: number;
  readonly policy: Policy;
  readonly category: Category;
  readonly violationId: string;
  readonly at: number;
}

/** A rule's penalty, and the member's penalties as the ladder leaves them. */
export interface PenaltyStep {
  readonly penalty: Penalty | null;
  readonly penalties: readonly Penalty[];
}

/**
 * One penalty rule of POLICY.md: everything that differs between rules, so the shared machinery
 * (record, penalty set, escalation, appeals) never asks which rule it holds.
 */
export interface RuleModule {
  /** The penalty a detected or reported violation brings (the rule's ladder). */
  penalty(context: PenaltyContext): PenaltyStep;
  /** Whether a standing violation counts as a strike, numbered on its record. */
  readonly strikes: boolean;
  /** What the penalties of a violation name as their cause. */
  readonly causeKind: Cause['kind'];
  /** Whether bad influence on one violation blocks the enterprise, without the corp-wide count. */
  readonly badInfluenceBlocksCorp: boolean;
  /** Why reviewers cannot report it, or null when they can. */
  readonly notReportable: string | null;
  /** Why a member cannot appeal its penalty, or null when they can. */
  readonly notAppealable: string | null;
  /**
   * Why its detections always act at once, never waiting for a reviewer, or null when the policy's
   * `enforcement` section sets a mode for each of its categories (POLICY.md, enforcement modes).
   */
  readonly actsAlways: string | null;
  /**
   * The content categories whose classification in a member's message is this rule's violation
   * (of the category of the same name), most severe first; empty when text never shows it.
   */
  readonly contentCategories: readonly (ContentCategory & Category)[];
  /**
   * Where the rule's content stands when one message shows several rules' (lower first): one
   * message brings one violation, of the most serious rule.
   */
  readonly contentPrecedence: number;
}
