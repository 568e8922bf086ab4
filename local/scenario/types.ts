import type { Category } from '../../shared/domain/index.js';
import type { CallbackRoute } from '../../shared/ingest/index.js';
import type { RecordingEnvelope, RecordingKeys } from '../recording.js';
import type { ADMIN_ACTIONS, CASE_DECISIONS } from './constants.js';

/**
 * The types of scenarios: the format as parsed (steps, expectations, admin actions) and what a run
 * reports. `events/README.md` describes the file format.
 */

/** A reason as an expectation names it: any of its fields. */
export interface ReasonExpectation {
  readonly rule?: 'R1' | 'R2' | 'R3';
  readonly category?: Category;
  readonly violationId?: string;
  readonly provisional?: boolean;
}

/** What a step expects of the member's status (a part of the admin API's member view). */
export interface MemberExpectation {
  readonly interop?: {
    readonly status?: 'active' | 'suspended' | 'banned';
    /** Epoch ms (written as an ISO time or a duration from `start`), or null. */
    readonly until?: number | null;
    readonly canApplyForUnblock?: boolean;
    readonly reason?: ReasonExpectation | null;
  };
  readonly account?: { readonly status?: 'active' | 'blocked'; readonly reason?: ReasonExpectation | null };
  readonly strikes?: number;
  readonly linkedWeChat?: { readonly status?: 'normal' | 'banned'; readonly restoreAt?: number | null };
  /** How many undecided cases, or the list of them (each entry partially). */
  readonly openCases?: number | readonly OpenCaseExpectation[];
}

/** An entry of the member's `openCases` as an expectation names it. */
export interface OpenCaseExpectation {
  readonly kind?: 'violation' | 'enterprise-block';
  readonly rule?: 'R1' | 'R2' | 'R3';
  readonly category?: Category;
  readonly status?: 'open' | 'expired';
}

/** What a step expects of the case it looks at (the one it decided, else the member's first open one). */
export interface CaseExpectation {
  readonly kind?: 'violation' | 'enterprise-block';
  readonly rule?: 'R1' | 'R2' | 'R3';
  readonly category?: Category;
  readonly status?: 'open' | 'expired' | 'confirmed' | 'overturned';
  readonly badInfluence?: boolean;
  readonly provisional?: { readonly scope?: string; readonly kind?: string } | null;
  readonly decision?: {
    readonly decision?: CaseDecision;
    readonly reviewer?: string;
    readonly reason?: string;
  } | null;
}

export type CaseDecision = (typeof CASE_DECISIONS)[number];

/** What a step expects of the corp's status (a part of the admin API's corp view). */
export interface CorpExpectation {
  readonly account?: { readonly status?: 'active' | 'blocked'; readonly reason?: ReasonExpectation | null };
  readonly adminAccount?: {
    readonly status?: 'active' | 'blocked';
    readonly reason?: ReasonExpectation | null;
  };
  readonly limits?: {
    readonly contactAddsPerMemberPerDay?: number;
    readonly contactAddsPerCorpPerDay?: number;
  };
  /** Each string is found in one piece of advice; `[]` expects none. */
  readonly advice?: readonly string[];
  /** The corp's undecided enterprise-block case; null for none. */
  readonly enterpriseCase?: { readonly userId?: string } | null;
}

/** What a step expects: of the member, of the corp, and the HTTP status of its requests. */
export interface StepExpectation {
  readonly member?: MemberExpectation;
  readonly corp?: CorpExpectation;
  readonly case?: CaseExpectation;
  /** The status every request of the step answers (default: 200 for callbacks, any 2xx for admin actions). */
  readonly status?: number;
}

export type AdminActionName = (typeof ADMIN_ACTIONS)[number];

export type AdminAction =
  | { readonly action: 'unblock-application'; readonly userId: string }
  | {
      readonly action: 'report';
      readonly userId: string;
      readonly category: Category;
      readonly badInfluence: boolean;
      readonly reviewer: string;
      readonly note?: string;
    }
  | { readonly action: 'appeal'; readonly userId: string; readonly violationId?: string }
  | { readonly action: 'enterprise-appeal'; readonly documents: readonly string[] }
  | {
      readonly action: 'appeal-decision';
      /** The appeal decided; by default the latest one the scenario filed. */
      readonly appealId?: string;
      readonly approved: boolean;
      readonly reviewer: string;
    }
  | {
      readonly action: 'decide-case';
      /** Whose first open case is decided (default: the member watched). */
      readonly userId: string;
      /** `enterprise` (the corp's enterprise-block case) or a case id; default the member's first open case. */
      readonly caseId?: string;
      readonly decision: CaseDecision;
      readonly reviewer: string;
      readonly reason: string;
    };

interface StepCommon {
  /** 1-based, as printed. */
  readonly index: number;
  readonly label: string;
  /** When the step happens (epoch ms): the clock is moved there first. */
  readonly at: number;
  /** Where the clock is once the step is done (later than `at` for repeated callbacks). */
  readonly end: number;
  readonly expect?: StepExpectation;
}

/** A callback, sent `repeat` times `every` ms apart, its event times filled from the step's time. */
export interface CallbackStep extends StepCommon {
  readonly kind: 'callback';
  readonly route: CallbackRoute;
  readonly envelope: RecordingEnvelope;
  readonly agentId: string;
  /** Event XML as text, XML fields as an object (contact route), or the JSON record(s). */
  readonly content: string | Readonly<Record<string, unknown>>;
  readonly repeat: number;
  readonly every: number;
  /**
   * The event's own time (epoch ms) when it is earlier than the step's: WeCom delivering again, late,
   * a callback it sent before (the same event, so the engine takes it once).
   */
  readonly eventAt?: number;
}

/** An admin API request at the step's time. */
export interface AdminStep extends StepCommon {
  readonly kind: 'admin';
  readonly request: AdminAction;
}

/** A move of the local clock to `end`, firing what falls due. */
export interface ClockStep extends StepCommon {
  readonly kind: 'clock';
}

export type ScenarioStep = CallbackStep | AdminStep | ClockStep;

/** A validated scenario, its step times resolved. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Epoch ms. */
  readonly start: number;
  /** The corp watched; by default the one the callbacks are sealed for. */
  readonly corpId: string | undefined;
  readonly userId: string;
  /** The policy the scenario is written for: the server must run it (GET /admin/policy's version). */
  readonly policy?: { readonly file: string; readonly version: string };
  readonly steps: readonly ScenarioStep[];
}

// ---- running a scenario -------------------------------------------------------------------------

/** Where and how a scenario is run. */
export interface ScenarioRunOptions {
  /** Local mode's base URL, without a trailing slash. */
  readonly url: string;
  /** The keys callbacks are sealed with (the server's). */
  readonly keys: RecordingKeys;
  /** The admin API's bearer token (ADMIN_TOKEN). */
  readonly adminToken: string;
  /** Deliveries of each callback, byte for byte the same (WeCom's retries); default 1. */
  readonly deliveries?: number;
  /** The file, as printed. */
  readonly file?: string;
  /** One JSON line for the whole scenario instead of the table. */
  readonly json?: boolean;
  /**
   * Leave the scenario out (not a failure) when the server runs another policy than the one it
   * names, rather than refusing it: for scenarios found by walking a folder.
   */
  readonly leaveOutOnOtherPolicy?: boolean;
  readonly write?: (line: string) => void;
  readonly timeoutMs?: number;
}

/** The member view of the admin API, as far as the runner reads it. */
export interface MemberStatus {
  readonly interop: {
    readonly status: string;
    readonly until: string | null;
    readonly canApplyForUnblock: boolean;
    readonly reason: {
      readonly rule: string;
      readonly category: string;
      readonly provisional?: boolean;
    } | null;
  };
  readonly account: { readonly status: string; readonly reason: { readonly rule: string } | null };
  readonly strikes: number;
  readonly linkedWeChat: { readonly status: string; readonly restoreAt: string | null };
  /** Undecided cases, oldest first (absent on a server without human review). */
  readonly openCases?: readonly { readonly id: string; readonly kind: string; readonly status: string }[];
  readonly [key: string]: unknown;
}

/** The corp view of the admin API, as far as the runner reads it. */
export interface CorpStatus {
  readonly account: { readonly status: string };
  readonly adminAccount: { readonly status: string };
  readonly limits: { readonly contactAddsPerMemberPerDay: number; readonly contactAddsPerCorpPerDay: number };
  readonly advice: readonly string[];
  readonly enterpriseCase?: { readonly id: string; readonly userId: string } | null;
  readonly [key: string]: unknown;
}

/** What one step did and what it found. */
export interface StepReport {
  readonly index: number;
  readonly kind: ScenarioStep['kind'] | 'start';
  readonly label: string;
  /** The clock after the step (ISO). */
  readonly clock: string;
  /** Callback answers, `"<status> <body>"` → how many. */
  readonly answers?: Readonly<Record<string, number>>;
  /** The admin request and its answer. */
  readonly admin?: {
    readonly method: string;
    readonly path: string;
    readonly status: number;
    readonly body: unknown;
  };
  readonly member: MemberStatus;
  readonly corp: CorpStatus;
  /** The case the step looked at (its `expect.case`): GET …/cases/{caseId}. */
  readonly case?: Readonly<Record<string, unknown>>;
  /** Expectations checked: the values and statuses the step's `expect` names. */
  readonly checked: number;
  readonly failures: readonly string[];
}

/** What a scenario run did; `ok` when every request was answered and every expectation held. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly file: string;
  readonly corpId: string;
  readonly userId: string;
  readonly start: string;
  readonly ok: boolean;
  readonly checked: number;
  readonly failed: number;
  readonly steps: readonly StepReport[];
  /** The member or corp had a history before the scenario started. */
  readonly warning?: string;
  /** Why the run stopped early (no answer, no local mode, wrong token, another policy). */
  readonly error?: string;
  /** Why the scenario was left out, run from a folder (the server runs another policy); `ok` stays true. */
  readonly leftOut?: string;
}
