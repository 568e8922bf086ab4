import { onCorpProfile, onReported, onUnblockRequested } from './decider/admin-commands.js';
import { onAppealDecided, onEnterpriseAppeal, onMemberAppeal } from './decider/appeals.js';
import { onCaseReviewed } from './decider/cases.js';
import { onContactAdded, onNegativeFeedback } from './decider/contact-detections.js';
import { onMessageSent, onProfileChanged } from './decider/content-detections.js';
import { Draft } from './decider/draft.js';
import type { DecideContext, EngineState, Outcome } from './decider/engine-state.js';
import { onTimer, onWechatStatus } from './decider/linked-wechat-status.js';
import { endExpiredPenalties } from './decider/penalty-set.js';
import type { EngineInput } from './types.js';

// The engine's types and the appeal documents keep their old home, so callers import them as before.
export { ENTERPRISE_APPEAL_DOCUMENTS } from './decider/appeals.js';
export type { DecideContext, EngineState, Outcome } from './decider/engine-state.js';

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

/**
 * Routes an input to its detections or command handler. Which rule a violation falls under, and
 * what it then brings, is the rules' business (`rules/rule-registry.ts`); the detections only
 * choose a category, because one input yields at most one violation and the choice between
 * rules (a mass send before its content, R3 content before R1's) is made per input.
 */
function apply(d: Draft, input: EngineInput, context: DecideContext): void {
  if ('userId' in input && input.userId !== undefined) endExpiredPenalties(d);
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
    case 'case.reviewed':
      onCaseReviewed(d, input);
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

function assertNever(value: never): never {
  throw new Error(`unhandled input ${JSON.stringify(value)}`);
}
