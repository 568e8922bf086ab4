import type { Classification, Classifier, ContentCategory } from './classification.js';
import type { Cause, Decision, EvidenceCount, Subject, Violation } from './decisions.js';
import type { DomainEvent } from './events.js';
import type { Policy } from './policy.js';
import { quoteAll, quotedText } from './quote.js';
import { restoreScheduleName, restoreTimer, unbanScheduleName, unbanTimer } from './timers.js';
import {
  CATEGORY_RULES,
  type Category,
  type CorpState,
  type EngineCommand,
  type EngineInput,
  type MemberAppeal,
  type MemberState,
  type MemberWindows,
  type Penalty,
  type PenaltyReason,
  type Rule,
  type ViolationSummary,
} from './types.js';
import { contactAddLimits, memberView } from './views.js';
import {
  addAllToDayFilters,
  addToBucket,
  addToDayFilters,
  countBuckets,
  DAY_MS,
  hasBucket,
  inDayFilters,
  MINUTE_MS,
  sumFrom,
  textKey,
  textKey64,
} from './windows.js';
import { dayOf, dayStart } from './zone-rule.js';

/** What `decide` decides with: the policy in force for the corp and the content classifier. */
export interface DecideContext {
  readonly policy: Policy;
  readonly classifier: Classifier;
}

/** The state an input is decided against: its member (null for corp-wide inputs) and its corp. */
export interface EngineState {
  readonly member: MemberState | null;
  readonly corp: CorpState;
}

/** The new state and everything decided, for the shell to persist and carry out. */
export interface Outcome extends EngineState {
  readonly decisions: readonly Decision[];
}

/** Inputs remembered per member or corp, so a redelivery changes nothing. */
const RECENT_INPUTS = 16;
/** Violation summaries kept in member state (the full records are decisions, stored apart). */
/** Violation summaries kept besides those whose penalty is in force. */
const MAX_VIOLATION_SUMMARIES = 4;
/**
 * Permanent penalties of one kind kept at once: more add nothing to the member's status, but a few
 * keep it right when one of them is voided on appeal.
 */
const MAX_SAME_PERMANENT = 2;
/**
 * Members' bad-influence entries a corp keeps, per member of the threshold (two per member at most):
 * enough to count `badInfluence.corpMembers` distinct members, and bounded.
 */
const MAX_CORP_BAD_INFLUENCE_PER_THRESHOLD = 4;
/** A reviewer's note quoted in a summary keeps this many characters at most (the admin API's own limit). */
const REPORT_NOTE_MAX_CHARS = 2000;
/** Decided appeals kept besides the open ones. */
const MAX_APPEALS = 2;
const MAX_MASS_SEND_KEYS = 6;
const MASS_SEND_BUCKET_MS = 10_000;
const ADD_BUCKET_MS = 15 * MINUTE_MS;
/** The documents an enterprise appeal must carry (POLICY.md, unblocking and appeals). */
export const ENTERPRISE_APPEAL_DOCUMENTS = [
  'business-license',
  'legal-person-id',
  'legal-person-handheld-id',
  'seal-authorization-letter',
] as const;

/** Content categories that are rule-3 categories of the same name, most severe first. */
const R3_CONTENT: readonly (ContentCategory & Category)[] = [
  'security-threat',
  'gang-terror',
  'violence',
  'pornography',
  'gambling',
  'illegal-trade',
  'fraud',
  'fake-order-content',
  'infringement',
  'false-information',
];

/**
 * Decides one input against a member's and its corp's state under a policy: pure (no I/O, no
 * clock, no random ids: time is the input's own, ids derive from the input's id). Returns the
 * new state and the decisions; an input already applied returns the state unchanged.
 */
export function decide(state: EngineState, input: EngineInput, context: DecideContext): Outcome {
  const draft = new Draft(state, input, context.policy);
  if (draft.alreadyApplied()) return { member: state.member, corp: state.corp, decisions: [] };
  apply(draft, input, context);
  return draft.finish();
}

function apply(d: Draft, input: EngineInput, context: DecideContext): void {
  if ('userId' in input && input.userId !== undefined) d.endExpiredPenalties();
  switch (input.type) {
    case 'contact.added':
      onContactAdded(d, input);
      return;
    case 'contact.half-added':
    case 'contact.deleted-by-member':
    case 'message.recalled':
      d.corpActivity(input.at);
      return;
    case 'contact.deleted-by-customer':
      onNegativeFeedback(d, input.externalUserId, input.at, false);
      return;
    case 'complaint.received':
      onNegativeFeedback(d, input.externalUserId, input.at, true);
      return;
    case 'member.profile-changed':
      onProfileChanged(d, input, context.classifier);
      return;
    case 'message.sent':
      onMessageSent(d, input, context.classifier);
      return;
    case 'wechat.status-changed':
      onWechatStatus(d, input);
      return;
    case 'timer.fired':
      onTimer(d, input);
      return;
    case 'violation.reported':
      onReported(d, input);
      return;
    case 'unblock.requested':
      onUnblockRequested(d, input);
      return;
    case 'appeal.filed':
      if (input.userId === undefined) onEnterpriseAppeal(d, input);
      else onMemberAppeal(d, input);
      return;
    case 'appeal.decided':
      onAppealDecided(d, input);
      return;
    case 'corp.profile-updated':
      onCorpProfile(d, input);
      return;
    default:
      assertNever(input);
  }
}

// ---- rule 1 and rule 3 detections -------------------------------------------------------------

function onContactAdded(d: Draft, event: Extract<DomainEvent, { type: 'contact.added' }>): void {
  const { at } = event;
  const p = d.policy;
  const day = dayOf(at, p.timeZone);
  const w = d.windows();
  // Every offset in use is a multiple of 15 minutes, so the day begins on a bucket's edge.
  const dayStartBucket = Math.floor(dayStart(day, p.timeZone) / ADD_BUCKET_MS);
  // Adds through a "contact me" code are the customer's doing: they count for the corp, and to
  // the complaint attribution, but not against the member's own adding limits.
  if (!event.viaContactMe) {
    // Kept for the rolling 24 h, and for the whole day when it is longer (a 25-hour DST day).
    const oldest = Math.min(Math.floor((at - DAY_MS) / ADD_BUCKET_MS) + 1, dayStartBucket);
    w.adds = addToBucket(w.adds, Math.floor(at / ADD_BUCKET_MS), 1, oldest);
    w.recentAddTimes = [...w.recentAddTimes, at].slice(-p.plugin.addsPerMinute);
  }
  w.addedContacts = addToDayFilters(
    w.addedContacts,
    day,
    event.externalUserId,
    day - p.contactAdds.complaintWindowDays,
  );
  d.corpAdd(at, sumFrom(w.adds, dayStartBucket));

  const cadence = w.recentAddTimes;
  const first = cadence[0];
  if (cadence.length >= p.plugin.addsPerMinute && first !== undefined && at - first < MINUTE_MS) {
    w.recentAddTimes = [];
    d.violation('plugin-use', {
      summary: `${cadence.length} contact adds within ${Math.round((at - first) / 1000)} s: machine cadence`,
      counts: [{ name: 'adds in 60 s', value: cadence.length, threshold: p.plugin.addsPerMinute }],
    });
    return;
  }
  const last24h = sumFrom(w.adds, Math.floor((at - DAY_MS) / ADD_BUCKET_MS) + 1);
  // The corp's trust only matters once the count passes the lowest limit any trust can give.
  if (last24h <= Math.round(p.contactAdds.basePerMemberPerDay * p.contactAdds.minTrust)) return;
  const limit = contactAddLimits(d.corp, p, at).contactAddsPerMemberPerDay;
  if (last24h > limit && (w.lastAddBreachAt === null || at - w.lastAddBreachAt >= DAY_MS)) {
    w.lastAddBreachAt = at;
    d.violation('malicious-contact-adds', {
      summary: `${last24h} contact adds in 24 h, over the member's daily limit of ${limit}`,
      counts: [{ name: 'adds in 24 h', value: last24h, threshold: limit }],
    });
  }
}

/**
 * A complaint or a deletion by a customer: harassment evidence, and for complaints, add abuse.
 * Windows of N days count whole days of the policy's zone back to day − N, so "within 7 days" of
 * a Monday 08:00 event still holds the following Monday (they reach up to a day beyond, never
 * short of it).
 */
function onNegativeFeedback(d: Draft, externalUserId: string, at: number, complaint: boolean): void {
  const p = d.policy;
  const day = dayOf(at, p.timeZone);
  const w = d.windows();
  d.corpNegativeFeedback(at);
  w.feedback = addToBucket(w.feedback, day, 1, day - p.harassment.windowDays);

  if (inDayFilters(w.marketingRecipients, externalUserId, day - p.harassment.windowDays)) {
    w.marketingFeedback = addToBucket(w.marketingFeedback, day, 1, day - p.harassment.windowDays);
    const total = sumFrom(w.marketingFeedback, day - p.harassment.windowDays);
    if (total >= p.harassment.minNegativeFeedback) {
      w.marketingFeedback = [];
      d.violation('harassing-marketing', {
        summary: `${total} complaints or deletions within ${p.harassment.windowDays} days from recipients of marketing`,
        counts: [
          {
            name: 'negative feedback from marketing recipients',
            value: total,
            threshold: p.harassment.minNegativeFeedback,
          },
        ],
        complaints: total,
      });
      return;
    }
  }
  const window = p.contactAdds.complaintWindowDays;
  if (complaint && inDayFilters(w.addedContacts, externalUserId, day - window)) {
    w.addedContactComplaints = addToBucket(w.addedContactComplaints, day, 1, day - window);
    const total = sumFrom(w.addedContactComplaints, day - window);
    if (
      total >= p.contactAdds.minComplaints &&
      (w.lastAddBreachAt === null || at - w.lastAddBreachAt >= DAY_MS)
    ) {
      w.lastAddBreachAt = at;
      w.addedContactComplaints = [];
      d.violation('malicious-contact-adds', {
        summary: `${total} complaints within ${window} days from contacts the member added`,
        counts: [
          { name: 'complaints from added contacts', value: total, threshold: p.contactAdds.minComplaints },
        ],
        complaints: total,
      });
    }
  }
}

function onMessageSent(
  d: Draft,
  event: Extract<DomainEvent, { type: 'message.sent' }>,
  classifier: Classifier,
): void {
  d.corpActivity(event.at);
  // A customer's message is evidence of nothing the member did.
  if (event.senderKind !== 'member' || event.text === null || event.text === '') return;
  const p = d.policy;
  const { at } = event;
  const day = dayOf(at, p.timeZone);
  const w = d.windows();
  const hits = classifier.classify(event.text);
  const hit = (category: ContentCategory) => hits.find((h) => h.category === category);

  if (hit('marketing') && event.recipients.length > 0) {
    w.marketingRecipients = addAllToDayFilters(
      w.marketingRecipients,
      day,
      event.recipients,
      day - p.harassment.windowDays,
    );
  }

  const recipients = event.recipients.length;
  // One message into a customer group is not a mass send; the same text sent one by one is.
  const massCount = event.roomId === null ? countMassSend(w, textKey(event.text), at, recipients) : 0;
  if (massCount > p.plugin.massRecipientsPerMinute) {
    w.massSends = w.massSends.filter((entry) => entry.key !== textKey(event.text ?? ''));
    d.violation('plugin-use', {
      summary: `the same text sent to ${massCount} recipients within a minute: dodging group-message limits`,
      counts: [
        {
          name: 'recipients of one text in 60 s',
          value: massCount,
          threshold: p.plugin.massRecipientsPerMinute,
        },
      ],
      recipients: massCount,
    });
    return;
  }
  const r3 = R3_CONTENT.find((category) => hit(category));
  if (r3) {
    d.violation(r3, contentEvidence(hits, r3, recipients, p));
    return;
  }
  if (hit('inducing-sharing'))
    d.violation('inducing-sharing', contentEvidence(hits, 'inducing-sharing', recipients, p));
}

/** Recipients of one text in the last 60 s (10-second buckets, so at most 10 s more). */
function countMassSend(w: MutableWindows, key: string, at: number, recipients: number): number {
  const bucket = Math.floor(at / MASS_SEND_BUCKET_MS);
  const oldest = bucket - MINUTE_MS / MASS_SEND_BUCKET_MS;
  const entry = w.massSends.find((e) => e.key === key);
  const buckets = addToBucket(entry?.buckets ?? [], bucket, recipients, oldest);
  // Texts not sent for a minute drop out; the most recent few are kept.
  const others = w.massSends.filter(
    (e) => e.key !== key && countBuckets(e.buckets, oldest, Number.MAX_SAFE_INTEGER) > 0,
  );
  w.massSends = [...others, { key, buckets }].slice(-MAX_MASS_SEND_KEYS);
  return sumFrom(buckets, oldest);
}

function contentEvidence(
  hits: Classification,
  category: ContentCategory,
  recipients: number,
  p: Policy,
): Evidence {
  const matched = hits.find((h) => h.category === category);
  return {
    // The terms are quoted once, bounded, in the evidence: the summary does not repeat them.
    summary: `message text classified ${category}`,
    matchedTerms: matched?.matchedTerms ?? [],
    contentCategories: hits.map((h) => h.category),
    counts: [{ name: 'recipients', value: recipients, threshold: p.badInfluence.minRecipients }],
    recipients,
  };
}

function onProfileChanged(
  d: Draft,
  event: Extract<DomainEvent, { type: 'member.profile-changed' }>,
  classifier: Classifier,
): void {
  d.corpActivity(event.at);
  const names = [event.changes.Name, event.changes.Alias].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (names.length === 0) return;
  const text = names.join(' ');
  const lowered = text.toLowerCase();
  const protectedHit = d.policy.accountInfo.protectedNames.find((name) =>
    lowered.includes(name.toLowerCase()),
  );
  const contentHits = classifier
    .classify(text)
    .filter((h) => (R3_CONTENT as readonly string[]).includes(h.category));
  if (!protectedHit && contentHits.length === 0) return;
  d.violation('account-info-violation', {
    summary: protectedHit
      ? `profile name or alias takes the protected name "${protectedHit}"`
      : `profile name or alias classified ${contentHits.map((h) => h.category).join(', ')}`,
    matchedTerms: protectedHit ? [protectedHit] : contentHits.flatMap((h) => h.matchedTerms),
    contentCategories: contentHits.map((h) => h.category),
  });
}

// ---- rule 2 -------------------------------------------------------------------------------------

function onWechatStatus(d: Draft, event: Extract<DomainEvent, { type: 'wechat.status-changed' }>): void {
  const member = d.member();
  const linked = member.linkedWeChat;
  if (isStaleStatus(linked, event)) {
    d.audit(
      { kind: 'linked-wechat', id: event.statusId, inputId: event.id },
      `linked WeChat ${event.status} of ${iso(event.at)} ignored: not newer than the change applied at ${iso(linked.changedAt ?? event.at)}`,
    );
    return;
  }
  const applied = { changedAt: event.at };
  if (event.status === 'banned') {
    if (linked.restoreAt !== null && linked.banId !== null)
      d.decisions.push({ type: 'schedule.cancel', name: restoreScheduleName(member, linked.banId) });
    const banId = event.statusId;
    const violationId = d.violationId();
    // One R2 penalty at a time: a new ban replaces the previous one (and its pending restore).
    member.penalties = member.penalties.filter((p) => p.rule !== 'R2');
    member.linkedWeChat = { status: 'banned', restoreAt: null, banId, ...applied };
    d.recordViolation(
      'linked-wechat-violation',
      false,
      {
        summary: 'the WeChat account linked to the member was banned by WeChat',
        reason: event.reason,
      },
      {
        id: `r2.${banId}`,
        scope: 'interop',
        kind: 'suspension',
        rule: 'R2',
        category: 'linked-wechat-violation',
        violationId,
        since: event.at,
        until: null,
        canApplyForUnblock: false,
      },
    );
    return;
  }
  // Unbanned: a stale unban (no ban in force) changes nothing.
  if (linked.status !== 'banned' || linked.banId === null) return;
  const restoreAt = event.at + d.policy.r2.restoreDelay;
  member.linkedWeChat = { status: 'normal', restoreAt, banId: linked.banId, ...applied };
  d.decisions.push({
    type: 'schedule.create',
    name: restoreScheduleName(member, linked.banId),
    at: restoreAt,
    input: restoreTimer(member, linked.banId, restoreAt),
  });
  d.audit(
    { kind: 'linked-wechat', id: event.statusId, inputId: event.id },
    `linked WeChat unbanned: interop restored at ${iso(restoreAt)}`,
  );
}

/**
 * Whether a status change is no newer than the last one applied (that one again, or older): a
 * captured `banned` replayed after the input markers expired must not ban the member again.
 */
function isStaleStatus(
  linked: MemberState['linkedWeChat'],
  event: Extract<DomainEvent, { type: 'wechat.status-changed' }>,
): boolean {
  return linked.changedAt !== undefined && event.at <= linked.changedAt;
}

function onTimer(d: Draft, command: Extract<EngineCommand, { type: 'timer.fired' }>): void {
  const member = d.member();
  const cause: Cause = { kind: 'schedule', id: command.id, inputId: command.id };
  const { timer } = command;
  if (timer.kind === 'unban') {
    const { penaltyId } = timer;
    const penalty = member.penalties.find((p) => p.id === penaltyId);
    // A stale timer (penalty already lifted, or lengthened past this time) changes nothing.
    if (!penalty || penalty.until === null || penalty.until > command.at) return;
    d.liftPenalty(penalty, cause, false);
    return;
  }
  const linked = member.linkedWeChat;
  if (
    linked.status !== 'normal' ||
    linked.banId !== timer.banId ||
    linked.restoreAt === null ||
    linked.restoreAt > command.at
  ) {
    return;
  }
  member.linkedWeChat = { ...linked, restoreAt: null, banId: null };
  const penalty = member.penalties.find((p) => p.id === `r2.${timer.banId}`);
  if (penalty) d.liftPenalty(penalty, cause, false);
}

// ---- reviewers' and administrators' actions ----------------------------------------------------

function onReported(d: Draft, command: Extract<EngineCommand, { type: 'violation.reported' }>): void {
  if (CATEGORY_RULES[command.category] === 'R2') {
    d.reject(400, 'linked-wechat-violation comes from WeChat status callbacks and cannot be reported');
    return;
  }
  d.violation(command.category, {
    summary: `reported by reviewer ${command.reviewer}${command.note ? `: ${quotedText(command.note, REPORT_NOTE_MAX_CHARS)}` : ''}`,
    reviewer: command.reviewer,
    badInfluence: command.badInfluence,
  });
}

function onUnblockRequested(d: Draft, command: Extract<EngineCommand, { type: 'unblock.requested' }>): void {
  const member = d.member();
  const penalty = member.penalties.find(
    (p) => p.canApplyForUnblock && (p.until === null || p.until > command.at),
  );
  if (!penalty) {
    d.reject(409, 'unblocking can be applied for only on a first rule-1 suspension, once');
    return;
  }
  const cause: Cause = { kind: 'unblock-application', id: command.id, inputId: command.id };
  if (d.policy.r1.autoApproveUnblock) {
    // The strike stays: only the suspension is lifted.
    d.liftPenalty(penalty, cause, true);
    return;
  }
  member.penalties = member.penalties.map((p) =>
    p.id === penalty.id ? { ...p, canApplyForUnblock: false } : p,
  );
  d.addAppeal({
    id: command.id,
    violationId: penalty.violationId ?? penalty.id,
    filedAt: command.at,
    status: 'open',
    kind: 'unblock',
  });
}

function onMemberAppeal(d: Draft, command: Extract<EngineCommand, { type: 'appeal.filed' }>): void {
  const member = d.member();
  const active = member.penalties.filter(
    (p) => p.violationId !== null && (p.until === null || p.until > command.at),
  );
  const penalty =
    command.violationId === undefined
      ? active.at(-1)
      : active.find((p) => p.violationId === command.violationId);
  if (!penalty || penalty.violationId === null) {
    d.reject(
      409,
      command.violationId
        ? `violation ${command.violationId} has no penalty in force`
        : 'the member has no penalty in force',
    );
    return;
  }
  if (penalty.rule === 'R2') {
    d.reject(409, 'a linked-WeChat suspension ends with the WeChat unban; appeal to WeChat');
    return;
  }
  if (member.appeals.some((a) => a.violationId === penalty.violationId && a.status === 'open')) {
    d.reject(409, `an appeal of violation ${penalty.violationId} is already open`);
    return;
  }
  const { violationId } = penalty;
  const permanent = active.some((p) => p.violationId === violationId && p.until === null);
  d.addAppeal({
    id: command.id,
    violationId: penalty.violationId,
    filedAt: command.at,
    status: 'open',
    kind: permanent ? 'mistaken-use' : 'penalty',
  });
}

function onEnterpriseAppeal(d: Draft, command: Extract<EngineCommand, { type: 'appeal.filed' }>): void {
  const documents = new Set(command.documents ?? []);
  const missing = ENTERPRISE_APPEAL_DOCUMENTS.filter((name) => !documents.has(name));
  if (missing.length > 0) {
    d.reject(400, `an enterprise appeal needs ${missing.join(', ')}`);
    return;
  }
  const corp = d.mutableCorp();
  if (corp.account.status !== 'blocked') {
    d.reject(409, 'the enterprise account is not blocked');
    return;
  }
  if (corp.appeals.some((a) => a.status === 'open')) {
    d.reject(409, 'an enterprise appeal is already open');
    return;
  }
  corp.appeals = keepAppeals([
    ...corp.appeals,
    { id: command.id, filedAt: command.at, status: 'open' as const },
  ]);
  d.decisions.push({
    type: 'appeal.recorded',
    appealId: command.id,
    subject: { kind: 'enterprise', corpId: corp.corpId },
    status: 'open',
  });
}

function onAppealDecided(d: Draft, command: Extract<EngineCommand, { type: 'appeal.decided' }>): void {
  const cause: Cause = { kind: 'appeal-decision', id: command.appealId, inputId: command.id };
  const status = command.approved ? ('approved' as const) : ('rejected' as const);
  if (command.userId === undefined) {
    const corp = d.mutableCorp();
    const appeal = corp.appeals.find((a) => a.id === command.appealId);
    if (!appeal) {
      d.reject(404, `no enterprise appeal ${command.appealId}`);
      return;
    }
    if (appeal.status !== 'open') {
      d.reject(409, `appeal ${command.appealId} is already ${appeal.status}`);
      return;
    }
    corp.appeals = corp.appeals.map((a) => (a.id === appeal.id ? { ...a, status } : a));
    d.decisions.push({
      type: 'appeal.recorded',
      appealId: appeal.id,
      subject: { kind: 'enterprise', corpId: corp.corpId },
      status,
    });
    if (command.approved) d.unblockCorp(cause);
    return;
  }
  const member = d.member();
  const appeal = member.appeals.find((a) => a.id === command.appealId);
  if (!appeal) {
    d.reject(404, `no appeal ${command.appealId} for member ${member.userId}`);
    return;
  }
  if (appeal.status !== 'open') {
    d.reject(409, `appeal ${command.appealId} is already ${appeal.status}`);
    return;
  }
  member.appeals = member.appeals.map((a) => (a.id === appeal.id ? { ...a, status } : a));
  d.decisions.push({ type: 'appeal.recorded', appealId: appeal.id, subject: d.subject(), status });
  if (!command.approved) return;
  // An approved unblock application lifts the first-step suspension only (a bad-influence block
  // of the same violation stays); an approved appeal lifts every penalty of the violation.
  const lifted = member.penalties.filter((p) =>
    appeal.kind === 'unblock'
      ? p.id === appeal.violationId && p.kind === 'suspension'
      : p.violationId === appeal.violationId,
  );
  for (const penalty of lifted) d.liftPenalty(penalty, cause, true);
  // An approved unblock application lifts the suspension and keeps the strike; an approved appeal
  // voids the violation, and its strike with it.
  if (appeal.kind !== 'unblock') d.voidViolation(appeal.violationId, cause);
}

function onCorpProfile(d: Draft, command: Extract<EngineCommand, { type: 'corp.profile-updated' }>): void {
  const corp = d.mutableCorp();
  if (corp.subjectVerified === command.subjectVerified) return;
  const before = contactAddLimits(d.corp, d.policy, command.at);
  corp.subjectVerified = command.subjectVerified;
  const after = contactAddLimits(d.corp, d.policy, command.at);
  if (
    before.contactAddsPerMemberPerDay !== after.contactAddsPerMemberPerDay ||
    before.contactAddsPerCorpPerDay !== after.contactAddsPerCorpPerDay
  ) {
    d.decisions.push({
      type: 'quota.changed',
      corpId: corp.corpId,
      ...after,
      policyVersion: d.policy.version,
    });
  }
}

// ---- the draft: working copies of the state, and the decisions so far ---------------------------

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableWindows = Mutable<MemberWindows>;
type MutableMember = Omit<Mutable<MemberState>, 'windows'> & { windows: MutableWindows };

/** Evidence of a violation as the detections gather it. */
interface Evidence {
  readonly summary: string;
  readonly counts?: readonly EvidenceCount[];
  readonly matchedTerms?: readonly string[];
  readonly contentCategories?: readonly ContentCategory[];
  readonly complaints?: number;
  readonly recipients?: number;
  readonly reviewer?: string;
  readonly badInfluence?: boolean;
  readonly reason?: string | undefined;
}

class Draft {
  readonly decisions: Decision[] = [];
  readonly policy: Policy;
  readonly #input: EngineInput;
  readonly #original: EngineState;
  #member: MutableMember | null = null;
  /** Whether a penalty was added or lifted: only then can the member's visible status change. */
  #penaltiesChanged = false;
  #corp: Mutable<CorpState> | null = null;

  readonly #inputKey: string;

  constructor(state: EngineState, input: EngineInput, policy: Policy) {
    this.#original = state;
    this.#input = input;
    this.#inputKey = inputKey(input);
    this.policy = policy;
  }

  /** The corp as it stands in this draft. */
  get corp(): CorpState {
    return this.#corp ?? this.#original.corp;
  }

  alreadyApplied(): boolean {
    const member = this.#original.member;
    if ('userId' in this.#input && this.#input.userId !== undefined) {
      if (!member || member.userId !== this.#input.userId || member.corpId !== this.#input.corpId) {
        throw new RangeError(
          `input ${this.#input.id} is for ${this.#input.corpId}/${this.#input.userId}, not this member`,
        );
      }
      return remembers(member.recentInputs, this.#inputKey);
    }
    return remembers(this.#original.corp.recentInputs, this.#inputKey);
  }

  member(): MutableMember {
    if (!this.#member) {
      const original = this.#original.member;
      if (!original) throw new RangeError(`input ${this.#input.id} needs a member`);
      this.#member = { ...original, windows: { ...original.windows } };
    }
    return this.#member;
  }

  windows(): MutableWindows {
    return this.member().windows;
  }

  mutableCorp(): Mutable<CorpState> {
    this.#corp ??= { ...this.#original.corp };
    return this.#corp;
  }

  subject(): Subject {
    const member = this.member();
    return { kind: 'member', corpId: member.corpId, userId: member.userId };
  }

  accountBlocked(at: number): boolean {
    return this.member().penalties.some((p) => p.kind === 'block' && (p.until === null || p.until > at));
  }

  reject(status: 400 | 404 | 409, message: string): void {
    this.decisions.push({ type: 'command.rejected', status, message });
  }

  /** Counts the corp's activity of the day (for the usage factor). */
  corpActivity(at: number): void {
    const day = dayOf(at, this.policy.timeZone);
    // Once a day per corp at most: most inputs leave the corp untouched (and unwritten).
    if (hasBucket(this.corp.daily, day)) return;
    const corp = this.mutableCorp();
    corp.daily = addToBucket(corp.daily, day, 0, day - this.#corpWindowDays() + 1);
  }

  corpAdd(at: number, memberAddsToday: number): void {
    const corp = this.mutableCorp();
    const day = dayOf(at, this.policy.timeZone);
    corp.daily = addToBucket(corp.daily, day, 1, day - this.#corpWindowDays() + 1);
    const today = corp.addsToday.day === day ? corp.addsToday : { day, total: 0, topUserId: '', topCount: 0 };
    const userId = this.member().userId;
    const top = memberAddsToday > today.topCount || today.topUserId === userId;
    corp.addsToday = {
      day,
      total: today.total + 1,
      topUserId: top ? userId : today.topUserId,
      topCount: top ? Math.max(memberAddsToday, today.topCount) : today.topCount,
    };
  }

  corpNegativeFeedback(at: number): void {
    const corp = this.mutableCorp();
    const day = dayOf(at, this.policy.timeZone);
    corp.negativeFeedback = addToBucket(
      corp.negativeFeedback,
      day,
      1,
      day - this.policy.contactAdds.feedbackWindowDays + 1,
    );
    this.corpActivity(at);
  }

  #corpWindowDays(): number {
    const p = this.policy.contactAdds;
    return Math.max(p.usageWindowDays, p.feedbackWindowDays);
  }

  /** An input yields at most one violation, so the input's id is the violation's (and its penalty's). */
  violationId(): string {
    return this.#input.id;
  }

  /** Applies a violation of `category` with its rule's penalty, bad influence and escalation. */
  violation(category: Category, evidence: Evidence): void {
    const rule = CATEGORY_RULES[category];
    const member = this.member();
    const p = this.policy;
    const at = this.#input.at;
    const violationId = this.violationId();
    // Once the account is blocked, what the member goes on doing is counted, not recorded: a strike
    // or a penalty would add nothing to the block. A reviewer's report is still recorded in full:
    // a reviewer decided it, it stands on its own if the block is voided, and its bad influence can
    // reach the enterprise.
    if (evidence.reviewer === undefined && this.accountBlocked(at)) {
      this.#countAfterBlock(category);
      return;
    }
    let penalty: Penalty | null = null;
    if (rule === 'R1') {
      const step = member.strikes + 1;
      // Unblocking is for the first violation only: a second one ends that chance.
      if (step > 1 && member.penalties.some((q) => q.canApplyForUnblock)) {
        member.penalties = member.penalties.map((q) =>
          q.canApplyForUnblock ? { ...q, canApplyForUnblock: false } : q,
        );
      }
      const duration = step === 1 ? p.r1.firstSuspension : step === 2 ? p.r1.secondSuspension : null;
      penalty = {
        id: violationId,
        scope: 'interop',
        kind: duration === null ? 'ban' : 'suspension',
        rule,
        category,
        violationId,
        since: at,
        until: duration === null ? null : at + duration,
        canApplyForUnblock: step === 1,
      };
    } else if (rule === 'R3') {
      penalty = {
        id: violationId,
        scope: 'account',
        kind: 'block',
        rule,
        category,
        violationId,
        since: at,
        until: null,
        canApplyForUnblock: false,
      };
    }
    // Complaints and blocks against the member in the window are evidence of any violation.
    const day = dayOf(at, p.timeZone);
    const complaints = Math.max(
      evidence.complaints ?? 0,
      sumFrom(member.windows.feedback, day - p.harassment.windowDays),
    );
    const recipients = evidence.recipients ?? 0;
    const badInfluence =
      evidence.badInfluence === true ||
      complaints >= p.badInfluence.minComplaints ||
      recipients >= p.badInfluence.minRecipients;
    const counts: EvidenceCount[] = [
      ...(evidence.counts ?? []).filter((c) => c.name !== 'recipients'),
      { name: 'complaints and blocks', value: complaints, threshold: p.badInfluence.minComplaints },
      { name: 'recipients', value: recipients, threshold: p.badInfluence.minRecipients },
    ];
    this.recordViolation(category, badInfluence, { ...evidence, counts }, penalty);
  }

  /**
   * Counts a detection for a blocked member: one small entry per category (how many, the latest
   * when), so the state stays bounded however long the member goes on.
   */
  #countAfterBlock(category: Category): void {
    const member = this.member();
    const at = this.#input.at;
    const entries = member.afterBlock ?? [];
    const entry = entries.find((e) => e.category === category);
    member.afterBlock = [
      ...entries.filter((e) => e.category !== category),
      {
        category,
        count: (entry?.count ?? 0) + 1,
        lastAt: Math.max(entry?.lastAt ?? at, at),
      },
    ];
  }

  /** Records a violation and its penalty (null when the rule adds none), with bad influence. */
  recordViolation(
    category: Category,
    badInfluence: boolean,
    evidence: Evidence,
    penalty: Penalty | null,
  ): void {
    const rule = CATEGORY_RULES[category];
    const member = this.member();
    const at = this.#input.at;
    const violationId = penalty?.violationId ?? this.violationId();
    // Evidence is bounded here, in the domain, so the record, the events and the views all get it so.
    const terms = quoteAll(evidence.matchedTerms ?? []);
    const strike = rule === 'R1';
    if (strike) member.strikes += 1;
    const summary: ViolationSummary = {
      id: violationId,
      rule,
      category,
      at,
      status: 'standing',
      strike,
      badInfluence,
      penaltyId: penalty?.id ?? null,
    };
    member.violations = keepViolations([...member.violations, summary], member.penalties, penalty);
    const cause: Cause = {
      kind: rule === 'R2' ? 'linked-wechat' : 'violation',
      id: violationId,
      inputId: this.#input.id,
    };
    const violation: Violation = {
      id: violationId,
      corpId: member.corpId,
      userId: member.userId,
      rule,
      category,
      at,
      badInfluence,
      strikes: rule === 'R1' ? member.strikes : 0,
      penalty: penalty ? { kind: penalty.kind, scope: penalty.scope, until: penalty.until } : null,
      explanation: {
        rule,
        category,
        policyVersion: this.policy.version,
        summary: evidence.reason ? `${evidence.summary} (${quotedText(evidence.reason)})` : evidence.summary,
        evidence: {
          inputIds: [this.#input.id],
          matchedTerms: terms.quotes,
          matchedTermCount: terms.count,
          contentCategories: evidence.contentCategories ?? [],
          counts: evidence.counts ?? [],
          ...(evidence.reviewer ? { reviewer: evidence.reviewer } : {}),
        },
      },
    };
    this.decisions.push({ type: 'violation.recorded', violation });
    if (penalty) this.addPenalty(penalty, cause);
    if (badInfluence) {
      this.addPenalty(
        {
          id: `${violationId}.b`,
          scope: 'account',
          kind: 'block',
          rule,
          category,
          violationId,
          since: at,
          until: null,
          canApplyForUnblock: false,
        },
        cause,
      );
      this.#escalate(rule, category, violationId, cause);
    }
    const corp = this.mutableCorp();
    const day = dayOf(at, this.policy.timeZone);
    corp.violations = addToBucket(
      corp.violations,
      day,
      1,
      day - this.policy.contactAdds.complianceWindowDays + 1,
    );
  }

  /** Bad influence reaches the enterprise: on R3, or when enough members have it within the window. */
  #escalate(rule: Rule, category: Category, violationId: string, cause: Cause): void {
    const corp = this.mutableCorp();
    const at = this.#input.at;
    const p = this.policy.badInfluence;
    const userId = this.member().userId;
    const recent = corp.badInfluence.filter((b) => b.at > at - p.corpWindowDays * DAY_MS);
    // Two entries per member at most (so a voided one still leaves the other), members by recency.
    const mine = recent.filter((b) => b.userId === userId).slice(-1);
    const others = recent.filter((b) => b.userId !== userId);
    corp.badInfluence = [...others, ...mine, { userId, violationId, at }].slice(
      -(p.corpMembers * MAX_CORP_BAD_INFLUENCE_PER_THRESHOLD),
    );
    const members = new Set(corp.badInfluence.map((b) => b.userId)).size;
    if (rule !== 'R3' && members < p.corpMembers) return;
    const reason: PenaltyReason = { rule, category, violationId };
    for (const [kind, key] of [
      ['enterprise', 'account'],
      ['admin', 'adminAccount'],
    ] as const) {
      if (corp[key].status === 'blocked') continue;
      corp[key] = { status: 'blocked', reason };
      this.decisions.push({
        type: 'penalty.applied',
        subject: { kind, corpId: corp.corpId },
        penaltyId: `${violationId}.${kind}`,
        reason,
        until: null,
        cause,
        policyVersion: this.policy.version,
      });
    }
  }

  unblockCorp(cause: Cause): void {
    const corp = this.mutableCorp();
    for (const [kind, key] of [
      ['enterprise', 'account'],
      ['admin', 'adminAccount'],
    ] as const) {
      if (corp[key].status !== 'blocked') continue;
      corp[key] = { status: 'active', reason: null };
      this.decisions.push({
        type: 'penalty.lifted',
        subject: { kind, corpId: corp.corpId },
        penaltyId: `${corp.corpId}.${kind}`,
        cause,
        policyVersion: this.policy.version,
      });
    }
    // The members whose bad influence blocked the corp no longer count towards blocking it again.
    corp.badInfluence = [];
  }

  /** Adds a penalty; a timed one gets its unban schedule. Longer penalties in force are untouched. */
  addPenalty(penalty: Penalty, cause: Cause): void {
    const member = this.member();
    if (member.penalties.some((p) => p.id === penalty.id)) return;
    // Beyond a few permanent penalties of the same kind and scope another is moot, and the list
    // stays bounded for a member who goes on violating after a ban.
    const samePermanent = member.penalties.filter(
      (p) =>
        p.until === null && p.kind === penalty.kind && p.scope === penalty.scope && p.kind !== 'suspension',
    ).length;
    if (samePermanent >= MAX_SAME_PERMANENT) return;
    member.penalties = [...member.penalties, penalty];
    this.#penaltiesChanged = true;
    this.decisions.push({
      type: 'penalty.applied',
      subject: this.subject(),
      penaltyId: penalty.id,
      reason: { rule: penalty.rule, category: penalty.category, violationId: penalty.violationId },
      until: penalty.until,
      cause,
      policyVersion: this.policy.version,
    });
    if (penalty.until !== null) {
      this.decisions.push({
        type: 'schedule.create',
        name: unbanScheduleName(member, penalty.id),
        at: penalty.until,
        input: unbanTimer(member, penalty.id, penalty.until),
      });
    }
  }

  /** Lifts one penalty; `cancelTimer` when it is lifted before its own unban schedule fires. */
  liftPenalty(penalty: Penalty, cause: Cause, cancelTimer: boolean): void {
    const member = this.member();
    member.penalties = member.penalties.filter((p) => p.id !== penalty.id);
    this.#penaltiesChanged = true;
    this.decisions.push({
      type: 'penalty.lifted',
      subject: this.subject(),
      penaltyId: penalty.id,
      cause,
      policyVersion: this.policy.version,
    });
    if (penalty.until !== null && cancelTimer) {
      this.decisions.push({ type: 'schedule.cancel', name: unbanScheduleName(member, penalty.id) });
    }
  }

  /**
   * Ends the timed penalties whose time has passed (their own timer may not have fired yet): the
   * state stays bounded, and the lift is recorded as that timer's, whose later firing is then stale.
   */
  endExpiredPenalties(): void {
    const original = this.#original.member;
    const at = this.#input.at;
    if (!original?.penalties.some((p) => p.until !== null && p.until <= at)) return;
    const member = this.member();
    for (const penalty of member.penalties) {
      if (penalty.until === null || penalty.until > at) continue;
      const cause: Cause = {
        kind: 'schedule',
        id: unbanScheduleName(member, penalty.id),
        inputId: this.#input.id,
      };
      this.liftPenalty(penalty, cause, true);
    }
  }

  voidViolation(violationId: string, cause: Cause): void {
    const member = this.member();
    const summary = member.violations.find((v) => v.id === violationId);
    if (!summary || summary.status === 'void') return;
    if (summary.strike) member.strikes = Math.max(0, member.strikes - 1);
    if (summary.badInfluence) {
      const corp = this.mutableCorp();
      corp.badInfluence = corp.badInfluence.filter((b) => b.violationId !== violationId);
    }
    member.violations = member.violations.map((v) =>
      v.id === violationId ? { ...v, status: 'void' as const } : v,
    );
    this.decisions.push({
      type: 'violation.voided',
      violationId,
      violationAt: summary.at,
      cause,
      policyVersion: this.policy.version,
    });
  }

  addAppeal(appeal: MemberAppeal): void {
    const member = this.member();
    member.appeals = keepAppeals([...member.appeals, appeal]);
    this.decisions.push({
      type: 'appeal.recorded',
      appealId: appeal.id,
      subject: this.subject(),
      status: appeal.status,
    });
  }

  audit(cause: Cause, change: string): void {
    this.decisions.push({
      type: 'audit',
      subject: this.subject(),
      at: this.#input.at,
      change,
      cause,
      policyVersion: this.policy.version,
    });
  }

  /** The new state: versions bumped where something changed, the input remembered, audit entries added. */
  finish(): Outcome {
    const input = this.#input;
    const memberScoped = 'userId' in input && input.userId !== undefined;
    let member = this.#original.member;
    if (memberScoped) {
      const draft = this.member();
      draft.recentInputs = remember(draft.recentInputs, this.#inputKey);
      draft.version += 1;
      this.#auditStatusChange(draft);
      member = draft;
    }
    let corp = this.#original.corp;
    if (this.#corp || !memberScoped) {
      const draft = this.mutableCorp();
      if (!memberScoped) draft.recentInputs = remember(draft.recentInputs, this.#inputKey);
      draft.version += 1;
      corp = draft;
    }
    return { member, corp, decisions: this.decisions };
  }

  /** One audit entry when the member's visible status changed, naming the cause and policy version. */
  #auditStatusChange(after: MemberState): void {
    const before = this.#original.member;
    if (!before || !this.#penaltiesChanged) return;
    const at = this.#input.at;
    const was = memberView(before, at);
    const now = memberView(after, at);
    const describe = (v: typeof was) =>
      `interop ${v.interop.status}${v.interop.until !== null ? ` until ${iso(v.interop.until)}` : ''}, account ${v.account.status}`;
    if (describe(was) === describe(now)) return;
    const causeDecision = this.decisions.find(
      (d) => d.type === 'penalty.applied' || d.type === 'penalty.lifted',
    );
    const cause: Cause =
      causeDecision && 'cause' in causeDecision
        ? causeDecision.cause
        : { kind: 'schedule', id: this.#input.id, inputId: this.#input.id };
    this.decisions.push({
      type: 'audit',
      subject: this.subject(),
      at,
      change: `${describe(was)} → ${describe(now)}`,
      cause,
      policyVersion: this.policy.version,
    });
  }
}

/** Summaries of violations with a penalty in force, and the latest few others. */
function keepViolations(
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
function keepAppeals<T extends { readonly status: string }>(appeals: readonly T[]): T[] {
  const decided = appeals.filter((a) => a.status !== 'open').slice(-MAX_APPEALS);
  return appeals.filter((a) => a.status === 'open' || decided.includes(a));
}

/**
 * Inputs are remembered by 64 bits of their id: a domain event's id is already a hash (40 hex
 * digits), so its last 16 digits serve; other ids are hashed to 64 bits.
 */
function inputKey(input: EngineInput): string {
  return 'v' in input ? input.id.slice(-INPUT_KEY_LENGTH) : textKey64(input.id);
}

const INPUT_KEY_LENGTH = 16;

/** Whether the concatenated keys hold `key` at a key boundary. */
function remembers(keys: string, key: string): boolean {
  for (let i = keys.indexOf(key); i !== -1; i = keys.indexOf(key, i + 1)) {
    if (i % INPUT_KEY_LENGTH === 0) return true;
  }
  return false;
}

/** Appends `key`, keeping the latest RECENT_INPUTS keys. */
function remember(keys: string, key: string): string {
  const all = keys + key;
  return all.length > RECENT_INPUTS * INPUT_KEY_LENGTH ? all.slice(-RECENT_INPUTS * INPUT_KEY_LENGTH) : all;
}

function iso(at: number): string {
  return new Date(at).toISOString();
}

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
