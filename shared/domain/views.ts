import type { CaseKind } from './cases.js';
import type { Policy } from './policy.js';
import type {
  AddsCount,
  Category,
  CorpState,
  MemberState,
  Penalty,
  PenaltyReason,
  Rule,
  TrustFactor,
} from './types.js';
import { countBuckets, sumFrom } from './windows.js';
import { dateOfDay, dayOf, dayStart } from './zone-rule.js';

/** A member's status as the admin API shows it (CONTRACT §5), at time `at`. */
export interface MemberView {
  readonly corpId: string;
  readonly userId: string;
  readonly interop: {
    readonly status: 'active' | 'suspended' | 'banned';
    readonly until: number | null;
    readonly canApplyForUnblock: boolean;
    readonly reason: MemberPenaltyReason | null;
  };
  readonly account: { readonly status: 'active' | 'blocked'; readonly reason: PenaltyReason | null };
  readonly strikes: number;
  readonly linkedWeChat: { readonly status: 'normal' | 'banned'; readonly restoreAt: number | null };
  /** The member's undecided cases, oldest first. */
  readonly openCases: readonly OpenCaseView[];
}

/** Why the member's interop is as it is; a provisional measure names the case it holds for. */
export type MemberPenaltyReason = PenaltyReason & {
  readonly provisional?: true;
  readonly caseId?: string;
};

/** An undecided case as the member view lists it. */
export interface OpenCaseView {
  readonly id: string;
  readonly kind: CaseKind;
  readonly rule: Rule;
  readonly category: Category;
  readonly openedAt: number;
  readonly reviewBy: number;
  /** `expired` once past its review deadline: still undecided. */
  readonly status: 'open' | 'expired';
}

/** The penalties still in force at `at` (a timed suspension past its end no longer counts). */
export function activePenalties(member: MemberState, at: number): Penalty[] {
  return member.penalties.filter((p) => p.until === null || p.until > at);
}

/** Derives the member's status from its penalties: the most severe one wins. */
export function memberView(member: MemberState, at: number): MemberView {
  const active = activePenalties(member, at);
  const block = active.find((p) => p.kind === 'block');
  const ban = active.find((p) => p.kind === 'ban');
  const suspensions = active.filter((p) => p.kind === 'suspension');
  const conditional = suspensions.find((p) => p.until === null);
  const longest = suspensions.reduce<Penalty | undefined>(
    (best, p) => (best === undefined || (p.until ?? 0) > (best.until ?? 0) ? p : best),
    undefined,
  );
  const reasonOf = (p: Penalty): MemberPenaltyReason => ({
    rule: p.rule,
    category: p.category,
    violationId: p.violationId,
    ...(p.caseId !== undefined ? { provisional: true as const, caseId: p.caseId } : {}),
  });
  const dominant = block ?? ban ?? conditional ?? longest;
  const interopStatus = block || ban ? 'banned' : dominant ? 'suspended' : 'active';
  return {
    corpId: member.corpId,
    userId: member.userId,
    interop: {
      status: interopStatus,
      until: interopStatus === 'suspended' && !conditional ? (longest?.until ?? null) : null,
      canApplyForUnblock: interopStatus === 'suspended' && active.some((p) => p.canApplyForUnblock),
      reason: dominant ? reasonOf(dominant) : null,
    },
    account: { status: block ? 'blocked' : 'active', reason: block ? reasonOf(block) : null },
    strikes: member.strikes,
    linkedWeChat: { status: member.linkedWeChat.status, restoreAt: member.linkedWeChat.restoreAt },
    openCases: (member.cases ?? []).map((c) => ({
      id: c.id,
      kind: c.kind,
      rule: c.rule,
      category: c.category,
      openedAt: c.openedAt,
      reviewBy: c.reviewBy,
      status: c.status,
    })),
  };
}

/** A corp's status: its accounts, its contact-add limits and the trust factors behind them. */
export interface CorpView {
  readonly corpId: string;
  readonly account: CorpState['account'];
  readonly adminAccount: CorpState['adminAccount'];
  readonly limits: { readonly contactAddsPerMemberPerDay: number; readonly contactAddsPerCorpPerDay: number };
  /** The day the daily quantities count: its date in the policy's zone, and when it ends. */
  readonly day: { readonly date: string; readonly timeZone: string; readonly endsAt: number };
  readonly trust: { readonly value: number; readonly factors: readonly TrustFactor[] };
  readonly advice: readonly string[];
  /** Today's contact adds (in the policy's zone): the total, and the top adders with exact counts, most first. */
  readonly addsToday: { readonly total: number; readonly members: readonly AddsCount[] };
  /** Per category with decided cases, the share confirmed over the last 90 days: the engine's measured precision. */
  readonly precision: readonly CategoryPrecision[];
  /** The undecided case on blocking the enterprise, if any. */
  readonly enterpriseCase: { readonly id: string; readonly userId: string } | null;
  readonly policyVersion: string;
}

/** Reviewers' decisions of one category over the window, and the share confirmed. */
export interface CategoryPrecision {
  readonly category: Category;
  readonly confirmed: number;
  readonly decided: number;
  /** `confirmed ÷ decided`, rounded to 3 places. */
  readonly precision: number;
}

/** Days of reviewers' decisions the measured precision counts (POLICY.md: the last 90 days). */
export const PRECISION_DAYS = 90;

/** The engine's measured precision per category at `at`: confirmed ÷ decided over the last 90 days. */
export function casePrecision(corp: CorpState, policy: Policy, at: number): CategoryPrecision[] {
  const oldest = dayOf(at, policy.timeZone) - PRECISION_DAYS + 1;
  return (corp.reviews ?? [])
    .map((t) => {
      const confirmed = sumFrom(t.confirmed, oldest);
      const decided = confirmed + sumFrom(t.overturned, oldest);
      return {
        category: t.category,
        confirmed,
        decided,
        precision: decided === 0 ? 0 : Math.round((confirmed / decided) * 1000) / 1000,
      };
    })
    .filter((p) => p.decided > 0)
    .sort((a, b) => a.category.localeCompare(b.category));
}

/**
 * The corp's trust, between `minTrust` and `maxTrust`, from four factors scored 0..1 and weighted
 * by the policy: a weighted score of 0.5 is a trust of 1 (the base limits), 0 is `minTrust` and 1
 * is `maxTrust`, linearly in between.
 */
export function corpTrust(
  corp: CorpState,
  policy: Policy,
  at: number,
): { value: number; factors: TrustFactor[] } {
  const p = policy.contactAdds;
  const today = dayOf(at, policy.timeZone);
  const activeDays = countBuckets(corp.daily, today - p.usageWindowDays + 1, today);
  const adds = sumFrom(corp.daily, today - p.feedbackWindowDays + 1);
  const negative = sumFrom(corp.negativeFeedback, today - p.feedbackWindowDays + 1);
  const violations = sumFrom(corp.violations, today - p.complianceWindowDays + 1);
  const ratio = negative / Math.max(adds, 1);
  const factors: TrustFactor[] = [
    {
      name: 'completeness',
      score: corp.subjectVerified ? 1 : 0,
      weight: p.trustWeights.completeness,
      detail: corp.subjectVerified ? 'subject information verified' : 'subject information not verified',
    },
    {
      name: 'usage',
      score: Math.min(1, activeDays / p.usageWindowDays),
      weight: p.trustWeights.usage,
      detail: `${activeDays} active days of the last ${p.usageWindowDays}`,
    },
    {
      name: 'feedback',
      score: Math.max(0, 1 - ratio / p.feedbackTolerance),
      weight: p.trustWeights.feedback,
      detail: `${negative} blocks, deletions and complaints per ${adds} adds in ${p.feedbackWindowDays} days`,
    },
    {
      name: 'compliance',
      score: Math.max(0, 1 - violations / p.complianceTolerance),
      weight: p.trustWeights.compliance,
      detail: `${violations} violations in ${p.complianceWindowDays} days`,
    },
  ];
  const totalWeight = factors.reduce((sum, f) => sum + f.weight, 0) || 1;
  const score = factors.reduce((sum, f) => sum + f.score * f.weight, 0) / totalWeight;
  const value =
    score < 0.5
      ? p.minTrust + (1 - p.minTrust) * (score / 0.5)
      : 1 + (p.maxTrust - 1) * ((score - 0.5) / 0.5);
  return { value: Math.round(value * 1000) / 1000, factors };
}

/** The contact-add limits of a corp at `at`. */
export function contactAddLimits(corp: CorpState, policy: Policy, at: number): CorpView['limits'] {
  return limitsAt(corpTrust(corp, policy, at).value, policy);
}

/** `limit = round(base × trust)`, for members and for the corp. */
function limitsAt(trust: number, policy: Policy): CorpView['limits'] {
  return {
    contactAddsPerMemberPerDay: Math.round(policy.contactAdds.basePerMemberPerDay * trust),
    contactAddsPerCorpPerDay: Math.round(policy.contactAdds.basePerCorpPerDay * trust),
  };
}

/** Derives the corp's status, with the "contact me" advice when one member takes most of a day's adds. */
export function corpView(corp: CorpState, policy: Policy, at: number): CorpView {
  const trust = corpTrust(corp, policy, at);
  const today = dayOf(at, policy.timeZone);
  const advice: string[] = [];
  const { addsToday } = corp;
  if (
    addsToday.day === today &&
    addsToday.total >= policy.contactAdds.concentrationMinAdds &&
    addsToday.topCount > policy.contactAdds.concentrationShare * addsToday.total
  ) {
    advice.push(
      `member ${addsToday.topUserId} made ${addsToday.topCount} of today's ${addsToday.total} contact adds: ` +
        'spread adds over several members with a multi-member "contact me" QR code',
    );
  }
  return {
    corpId: corp.corpId,
    account: corp.account,
    adminAccount: corp.adminAccount,
    limits: limitsAt(trust.value, policy),
    day: {
      date: dateOfDay(today),
      timeZone: policy.timeZone.name,
      endsAt: dayStart(today + 1, policy.timeZone),
    },
    trust,
    advice,
    // Another day's adds (the corp added nothing since) are not today's.
    addsToday:
      addsToday.day === today
        ? { total: addsToday.total, members: addsToday.members ?? [] }
        : { total: 0, members: [] },
    precision: casePrecision(corp, policy, at),
    enterpriseCase: corp.enterpriseCase ?? null,
    policyVersion: policy.version,
  };
}
