import type { Cause } from '../decisions.js';
import { RULES } from '../rules/rule-registry.js';
import type { EngineCommand } from '../types.js';
import { unblockCorp } from './corp-escalation.js';
import type { Draft } from './draft.js';
import { keepAppeals } from './kept-records.js';
import { liftPenalty } from './penalty-set.js';
import { voidViolation } from './record-violation.js';

/** The documents an enterprise appeal must carry (POLICY.md, unblocking and appeals). */
export const ENTERPRISE_APPEAL_DOCUMENTS = [
  'business-license',
  'legal-person-id',
  'legal-person-handheld-id',
  'seal-authorization-letter',
] as const;

/** A member's appeal of a penalty in force (or of the named violation's). */
export function onMemberAppeal(d: Draft, command: Extract<EngineCommand, { type: 'appeal.filed' }>): void {
  const member = d.member();
  const held = member.cases?.find((c) => c.violationId === command.violationId && c.kind === 'violation');
  if (held) {
    d.reject(
      409,
      `violation ${command.violationId} is held for review in case ${held.id}: a reviewer decides it`,
    );
    return;
  }
  // A provisional measure is not a penalty to appeal: its case's reviewer decides it.
  const active = member.penalties.filter(
    (p) => p.violationId !== null && p.caseId === undefined && (p.until === null || p.until > command.at),
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
  const { notAppealable } = RULES[penalty.rule];
  if (notAppealable !== null) {
    d.reject(409, notAppealable);
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

/** An enterprise appeal of the corp's block, with its documents. */
export function onEnterpriseAppeal(
  d: Draft,
  command: Extract<EngineCommand, { type: 'appeal.filed' }>,
): void {
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

/** A reviewer's decision on an appeal: approved, it lifts the penalties and voids the violation. */
export function onAppealDecided(d: Draft, command: Extract<EngineCommand, { type: 'appeal.decided' }>): void {
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
    if (command.approved) unblockCorp(d, cause);
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
  for (const penalty of lifted) liftPenalty(d, penalty, cause, true);
  // An approved unblock application lifts the suspension and keeps the strike; an approved appeal
  // voids the violation, and its strike with it.
  if (appeal.kind !== 'unblock') voidViolation(d, appeal.violationId, cause);
}
