/** The admin API's views, as far as the console reads them (CONTRACT §5 and the plan's new routes). */

export interface Reason {
  readonly rule: string;
  readonly category: string;
  readonly violationId?: string;
  readonly provisional?: boolean;
}
export interface Standing {
  readonly status: string;
  readonly reason: Reason | null;
}

export interface TrustFactor {
  readonly name: string;
  readonly score: number;
  readonly weight: number;
  readonly detail: string;
}

export interface CorpView {
  readonly corpId: string;
  readonly account: Standing;
  readonly adminAccount: Standing;
  readonly limits: { readonly contactAddsPerMemberPerDay: number; readonly contactAddsPerCorpPerDay: number };
  readonly day: { readonly date: string; readonly timeZone: string; readonly endsAt: string };
  readonly trust: { readonly score: number; readonly factors: readonly TrustFactor[] };
  readonly advice: readonly unknown[];
  readonly subjectVerified: boolean;
  readonly appeals: readonly Appeal[];
  readonly precision: readonly {
    readonly category: string;
    readonly confirmed: number;
    readonly decided: number;
    readonly precision: number | null;
  }[];
  readonly enterpriseCase: CaseView | null;
  readonly addsToday?: {
    readonly total: number;
    readonly members: readonly { userId: string; count: number }[];
  };
  readonly policyVersion: string;
  readonly asOf: string;
}

export interface Penalty {
  readonly id: string;
  readonly scope: string;
  readonly kind: string;
  readonly rule: string;
  readonly category: string;
  readonly since: string;
  readonly until: string | null;
}

export interface MemberView {
  readonly userId: string;
  readonly interop: Standing & { readonly until: string | null; readonly canApplyForUnblock: boolean };
  readonly account: Standing;
  readonly strikes: number;
  readonly linkedWeChat: { readonly status: string; readonly restoreAt: string | null };
  readonly penalties: readonly Penalty[];
  readonly openCases: readonly CaseView[];
  readonly appeals: readonly Appeal[];
  readonly asOf: string;
}

/** One piece of evidence: a quoted term, a count against its threshold, a category, an input. */
export interface Evidence {
  readonly type: string;
  readonly term?: string;
  readonly name?: string;
  readonly value?: number;
  readonly threshold?: number;
}

export interface Violation {
  readonly id: string;
  readonly rule: string;
  readonly category: string;
  readonly at: string;
  readonly status: string;
  readonly strikes: number;
  readonly evidence: readonly Evidence[];
  readonly explanation: { readonly summary: string; readonly policyVersion: string };
  readonly penalty: { readonly kind: string; readonly scope: string; readonly until: string | null } | null;
  readonly caseId: string | null;
}

export interface CaseView {
  readonly id: string;
  readonly userId: string | null;
  readonly kind: string;
  readonly rule: string;
  readonly category: string;
  readonly status: string;
  readonly openedAt: string;
  readonly reviewBy: string;
  readonly evidence: readonly Evidence[];
  readonly summary: string;
  readonly text: { readonly text: string; readonly length: number; readonly truncated: boolean } | null;
  readonly decision: { readonly decision: string; readonly reviewer: string; readonly reason: string } | null;
}

export interface Appeal {
  readonly id: string;
  readonly corpId: string;
  readonly userId: string | null;
  readonly kind: string;
  readonly status: string;
  readonly violationId?: string | null;
  readonly filedAt: string;
}

export interface MemberListed {
  readonly userId: string;
  readonly standing: string;
  readonly interop: { readonly status: string; readonly until: string | null };
  readonly account: { readonly status: string };
  readonly strikes: number;
  readonly openCases: number;
  readonly since: string;
}

export interface AuditEntry {
  readonly at: string;
  readonly change: string;
  readonly cause: { readonly kind: string; readonly id: string } | null;
  readonly policyVersion: string | null;
}

export interface Duration {
  readonly ms: number;
  readonly iso: string;
}

export interface PolicyView {
  readonly version: string;
  readonly corpId: string | null;
  readonly timeZone: string;
  readonly r1: {
    readonly firstSuspension: Duration;
    readonly secondSuspension: Duration;
    readonly autoApproveUnblock: boolean;
  };
  readonly enforcement: Readonly<Record<string, unknown>>;
  readonly appeals: { readonly enterpriseDocuments: readonly string[] };
  readonly [section: string]: unknown;
}
