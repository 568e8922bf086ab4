import type { CorpState, MemberState } from './types.js';

/** The state of a member the engine has never seen: everything active, no strikes. */
export function initialMemberState(corpId: string, userId: string): MemberState {
  return {
    corpId,
    userId,
    version: 0,
    penalties: [],
    strikes: 0,
    violations: [],
    appeals: [],
    linkedWeChat: { status: 'normal', restoreAt: null, banId: null },
    windows: {
      adds: [],
      recentAddTimes: [],
      addedContacts: [],
      marketingRecipients: [],
      feedback: [],
      marketingFeedback: [],
      addedContactComplaints: [],
      massSends: [],
      lastAddBreachAt: null,
    },
    recentInputs: '',
  };
}

/** The state of a corp the engine has never seen. */
export function initialCorpState(corpId: string): CorpState {
  return {
    corpId,
    version: 0,
    account: { status: 'active', reason: null },
    adminAccount: { status: 'active', reason: null },
    subjectVerified: false,
    badInfluence: [],
    daily: [],
    negativeFeedback: [],
    violations: [],
    addsToday: { day: 0, total: 0, topUserId: '', topCount: 0, members: [] },
    appeals: [],
    recentInputs: '',
  };
}
