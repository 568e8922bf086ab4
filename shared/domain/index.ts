/** The public surface of shared/domain: what code outside this folder may import. */

export type { Case, CaseKind, CaseStatus, CaseSummary, ProvisionalMeasure, ReviewDecision } from './cases.js';
export { CASE_STATUSES, caseIdOf, isCaseId } from './cases.js';
export type { CategoryHit, Classification, Classifier, ContentCategory } from './classification.js';
export { CONTENT_CATEGORIES } from './classification.js';
export { checkDomainEvent, parseEngineInput } from './commands.js';
export { DOMAIN_EVENT_VERSION } from './constants.js';
export type { Outcome } from './decide.js';
export { decide, ENTERPRISE_APPEAL_DOCUMENTS } from './decide.js';
export { ADDS_TOP_MEMBERS } from './decider/adds-today.js';
export { RECENT_INPUTS } from './decider/input-memory.js';
export type { DecisionRecord, DecisionStoredAs, OutboundDecision } from './decision-routes.js';
export {
  isAfterCommitEffect,
  isOutboundDecision,
  isPenaltyChange,
  isScheduleDecision,
  routeOf,
} from './decision-routes.js';
export type { CaseRef, Decision, Violation } from './decisions.js';
export { InvalidInputError } from './errors.js';
export type { DomainEvent, UnidentifiedEvent } from './events.js';
export { initialCorpState, initialMemberState } from './initial-state.js';
export type { EnforcementMode, ModalCategory, Policy, PolicySet } from './policy.js';
export { DEFAULT_POLICY_SET, durationMs, MODAL_CATEGORIES, parsePolicySet } from './policy.js';
export type {
  AppealOwner,
  AppealPage,
  AppealPageRequest,
  AuditEntry,
  AuditPage,
  AuditPageRequest,
  BatchCommit,
  BatchCommitResult,
  BatchPenaltyStore,
  CasePage,
  CasePageRequest,
  CommitResult,
  DecidedInput,
  EventQueue,
  LoadedState,
  OutboundEvents,
  ParkedInput,
  ParkedInputs,
  ParkedResolution,
  ParkedStatus,
  PenaltyStore,
  PendingEffects,
  SideEffects,
  StandingPage,
  StandingPageRequest,
  StateKey,
  StateReader,
  SubjectBatch,
  SweepIndex,
  Timers,
  ViolationPage,
  ViolationPageRequest,
} from './ports.js';
export type { MemberStanding, Standing } from './standing.js';
export { memberStanding, STANDINGS } from './standing.js';
export type { TimerCommand } from './timers.js';
export { dueTimers, nextTimerAt } from './timers.js';
export type {
  AddsCount,
  AppealStatus,
  Category,
  CorpAppeal,
  CorpState,
  EngineInput,
  MemberAppeal,
  MemberState,
} from './types.js';
export { APPEAL_STATUSES, CATEGORY_RULES } from './types.js';
export type { CategoryPrecision, MemberPenaltyReason, OpenCaseView } from './views.js';
export { activePenalties, casePrecision, corpView, memberView } from './views.js';
export type { Buckets } from './windows.js';
