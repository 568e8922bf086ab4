import type { Cause, Decision, Subject } from '../decisions.js';
import type { Policy } from '../policy.js';
import type {
  AddsCount,
  CorpState,
  EngineInput,
  MemberAppeal,
  MemberState,
  MemberWindows,
} from '../types.js';
import { memberView } from '../views.js';
import { addToBucket, hasBucket } from '../windows.js';
import { dayOf } from '../zone-rule.js';
import { withAdds } from './adds-today.js';
import type { EngineState, Outcome } from './engine-state.js';
import { inputKey, remember, remembers } from './input-memory.js';
import { iso } from './iso-time.js';
import { keepAppeals } from './kept-records.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A member's windows as a draft changes them. */
export type MutableWindows = Mutable<MemberWindows>;
/** A member as a draft changes it. */
export type MutableMember = Omit<Mutable<MemberState>, 'windows'> & { windows: MutableWindows };
/** A corp as a draft changes it. */
export type MutableCorp = Mutable<CorpState>;

/**
 * The state being built while one input is decided: working copies of the member and the corp,
 * made on first change, and the decisions so far.
 */
export class Draft {
  readonly decisions: Decision[] = [];
  readonly policy: Policy;
  readonly input: EngineInput;
  readonly original: EngineState;
  /** Whether a penalty was added or lifted: only then can the member's visible status change. */
  penaltiesChanged = false;
  #member: MutableMember | null = null;
  #corp: MutableCorp | null = null;
  readonly #inputKey: string;

  constructor(state: EngineState, input: EngineInput, policy: Policy) {
    this.original = state;
    this.input = input;
    this.#inputKey = inputKey(input);
    this.policy = policy;
  }

  /** The corp as it stands in this draft. */
  get corp(): CorpState {
    return this.#corp ?? this.original.corp;
  }

  /** Whether the member or corp already remembers this input (a redelivery). */
  alreadyApplied(): boolean {
    const member = this.original.member;
    if ('userId' in this.input && this.input.userId !== undefined) {
      if (!member || member.userId !== this.input.userId || member.corpId !== this.input.corpId) {
        throw new RangeError(
          `input ${this.input.id} is for ${this.input.corpId}/${this.input.userId}, not this member`,
        );
      }
      return remembers(member.recentInputs, this.#inputKey);
    }
    return remembers(this.original.corp.recentInputs, this.#inputKey);
  }

  /** The member's working copy. */
  member(): MutableMember {
    if (!this.#member) {
      const original = this.original.member;
      if (!original) throw new RangeError(`input ${this.input.id} needs a member`);
      this.#member = { ...original, windows: { ...original.windows } };
    }
    return this.#member;
  }

  /** The member's windows' working copy. */
  windows(): MutableWindows {
    return this.member().windows;
  }

  /** The corp's working copy. */
  mutableCorp(): MutableCorp {
    this.#corp ??= { ...this.original.corp };
    return this.#corp;
  }

  /** The member as a decision's subject. */
  subject(): Subject {
    const member = this.member();
    return { kind: 'member', corpId: member.corpId, userId: member.userId };
  }

  /** Whether the member's account is blocked at `at`. */
  accountBlocked(at: number): boolean {
    return this.member().penalties.some((p) => p.kind === 'block' && (p.until === null || p.until > at));
  }

  /** Rejects the command, with the status the admin API answers. */
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

  /** Counts a contact add for the corp, and its top adder of the day. */
  corpAdd(at: number, memberAddsToday: number): void {
    const corp = this.mutableCorp();
    const day = dayOf(at, this.policy.timeZone);
    corp.daily = addToBucket(corp.daily, day, 1, day - this.#corpWindowDays() + 1);
    // A late add of a day before the one kept counts for its day, but today's adds stay today's.
    if (day < corp.addsToday.day) return;
    const today =
      corp.addsToday.day === day
        ? corp.addsToday
        : { day, total: 0, topUserId: '', topCount: 0, members: [] as readonly AddsCount[] };
    const userId = this.member().userId;
    const top = memberAddsToday > today.topCount || today.topUserId === userId;
    corp.addsToday = {
      day,
      total: today.total + 1,
      topUserId: top ? userId : today.topUserId,
      topCount: top ? Math.max(memberAddsToday, today.topCount) : today.topCount,
      members: withAdds(today.members ?? [], userId, memberAddsToday),
    };
  }

  /** Counts a complaint or a deletion by a customer for the corp. */
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
    return this.input.id;
  }

  /** Records a member's appeal or unblock application. */
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

  /** An audit entry on the member. */
  audit(cause: Cause, change: string): void {
    this.decisions.push({
      type: 'audit',
      subject: this.subject(),
      at: this.input.at,
      change,
      cause,
      policyVersion: this.policy.version,
    });
  }

  /** The new state: versions bumped where something changed, the input remembered, audit entries added. */
  finish(): Outcome {
    const input = this.input;
    const memberScoped = 'userId' in input && input.userId !== undefined;
    let member = this.original.member;
    if (memberScoped) {
      const draft = this.member();
      draft.recentInputs = remember(draft.recentInputs, this.#inputKey);
      draft.version += 1;
      this.#auditStatusChange(draft);
      member = draft;
    }
    let corp = this.original.corp;
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
    const before = this.original.member;
    if (!before || !this.penaltiesChanged) return;
    const at = this.input.at;
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
        : { kind: 'schedule', id: this.input.id, inputId: this.input.id };
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
