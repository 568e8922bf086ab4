/**
 * Random streams of a corp's inputs for the domain's properties: steps drawn with weights, turned
 * into inputs against the run's state, and played through a run that fires its timers when due.
 */
import fc from 'fast-check';
import type { Category, EngineInput } from '../../shared/domain/types.js';
import { NEUTRAL_TEXT, TERMS } from './domain-classifier.js';
import {
  aCaseDecision,
  aComplaint,
  aContactAdded,
  aCorpProfile,
  aCustomerDeletion,
  aMessage,
  anAppeal,
  anAppealDecision,
  anEnterpriseAppeal,
  anExternalUserId,
  anUnblockRequest,
  aProfileChange,
  aReport,
  aTimer,
  aWechatStatus,
  DAY,
  ENTERPRISE_DOCUMENTS,
  HOUR,
  MINUTE,
  SECOND,
  T0,
} from './domain-inputs.js';
import type { DomainRun } from './domain-run.js';

/** One step of a random stream, before it gets its ids and time. */
export type Step =
  | {
      readonly kind: 'add';
      readonly member: number;
      readonly contact: number;
      readonly viaContactMe: boolean;
    }
  | {
      readonly kind: 'message';
      readonly member: number;
      readonly text: string;
      readonly contacts: readonly number[];
    }
  | {
      readonly kind: 'mass-message';
      readonly member: number;
      readonly text: string;
      readonly recipients: number;
    }
  | { readonly kind: 'complaint' | 'deletion'; readonly member: number; readonly contact: number }
  | { readonly kind: 'wechat'; readonly member: number; readonly status: 'banned' | 'unbanned' }
  | {
      readonly kind: 'report';
      readonly member: number;
      readonly category: Category;
      readonly badInfluence: boolean;
    }
  | { readonly kind: 'unblock' | 'appeal'; readonly member: number }
  | { readonly kind: 'decide'; readonly member: number; readonly approved: boolean }
  | { readonly kind: 'profile'; readonly member: number; readonly name: string }
  | { readonly kind: 'timer'; readonly member: number; readonly pick: number; readonly offset: number }
  | { readonly kind: 'enterprise-appeal'; readonly member: number; readonly documents: number }
  | { readonly kind: 'enterprise-decide'; readonly member: number; readonly approved: boolean }
  | { readonly kind: 'corp-profile'; readonly member: number; readonly subjectVerified: boolean }
  /** A reviewer decides one of the member's undecided cases (or, with none, an unknown one). */
  | {
      readonly kind: 'review';
      readonly member: number;
      readonly pick: number;
      readonly decision: 'confirm' | 'overturn';
    };

export interface TimedStep {
  readonly step: Step;
  /** Time since the previous step. */
  readonly gap: number;
}

export const MEMBERS = ['m0', 'm1', 'm2'] as const;
/** A small pool of customers, so that complaints come from the members' own contacts and recipients. */
const CONTACTS = Array.from({ length: 12 }, (_, i) => `wmPOOL${i.toString().padStart(4, '0')}`);

const TEXTS: readonly string[] = [
  NEUTRAL_TEXT,
  `${TERMS.marketing} today only`,
  `${TERMS.marketing} today only`,
  `${TERMS['inducing-sharing']} for a gift`,
  `${TERMS.fraud}, join now`,
];
const REPORTED: readonly Category[] = [
  'harassing-marketing',
  'inducing-sharing',
  'malicious-registration',
  'other-illegal',
];

const gapArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 5 * SECOND }), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 30 * MINUTE }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 12 * HOUR }), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 3 * DAY }), weight: 1 },
);

function stepArb(members: number, weights: Partial<Record<Step['kind'], number>> = {}): fc.Arbitrary<Step> {
  const member = fc.integer({ min: 0, max: members - 1 });
  const contact = fc.integer({ min: 0, max: CONTACTS.length - 1 });
  const w = (kind: Step['kind'], fallback: number) => weights[kind] ?? fallback;
  const options: { arbitrary: fc.Arbitrary<Step>; weight: number }[] = [
    {
      weight: w('add', 4),
      arbitrary: fc.record({ kind: fc.constant('add'), member, contact, viaContactMe: fc.boolean() }),
    },
    {
      weight: w('message', 4),
      arbitrary: fc.record({
        kind: fc.constant('message'),
        member,
        text: fc.constantFrom(...TEXTS),
        contacts: fc.uniqueArray(contact, { minLength: 1, maxLength: 6 }),
      }),
    },
    {
      weight: w('mass-message', 1),
      arbitrary: fc.record({
        kind: fc.constant('mass-message'),
        member,
        text: fc.constantFrom(...TEXTS),
        recipients: fc.integer({ min: 20, max: 260 }),
      }),
    },
    { weight: w('complaint', 3), arbitrary: fc.record({ kind: fc.constant('complaint'), member, contact }) },
    { weight: w('deletion', 2), arbitrary: fc.record({ kind: fc.constant('deletion'), member, contact }) },
    {
      weight: w('wechat', 1),
      arbitrary: fc.record({
        kind: fc.constant('wechat'),
        member,
        status: fc.constantFrom('banned', 'unbanned'),
      }),
    },
    {
      weight: w('report', 1),
      arbitrary: fc.record({
        kind: fc.constant('report'),
        member,
        category: fc.constantFrom(...REPORTED),
        badInfluence: fc.boolean(),
      }),
    },
    { weight: w('unblock', 1), arbitrary: fc.record({ kind: fc.constant('unblock'), member }) },
    { weight: w('appeal', 1), arbitrary: fc.record({ kind: fc.constant('appeal'), member }) },
    {
      weight: w('decide', 1),
      arbitrary: fc.record({ kind: fc.constant('decide'), member, approved: fc.boolean() }),
    },
    {
      weight: w('profile', 1),
      arbitrary: fc.record({
        kind: fc.constant('profile'),
        member,
        name: fc.constantFrom('Zhang San', `${TERMS.gambling} king`, 'Li Si'),
      }),
    },
    {
      weight: w('timer', 1),
      arbitrary: fc.record({
        kind: fc.constant('timer'),
        member,
        pick: fc.nat(),
        offset: fc.integer({ min: -2 * DAY, max: 2 * DAY }),
      }),
    },
    {
      weight: w('enterprise-appeal', 1),
      // Mostly all four documents; sometimes one fewer
      arbitrary: fc.record({
        kind: fc.constant('enterprise-appeal'),
        member,
        documents: fc.integer({ min: 3, max: 6 }),
      }),
    },
    {
      weight: w('enterprise-decide', 1),
      arbitrary: fc.record({ kind: fc.constant('enterprise-decide'), member, approved: fc.boolean() }),
    },
    {
      weight: w('corp-profile', 1),
      arbitrary: fc.record({ kind: fc.constant('corp-profile'), member, subjectVerified: fc.boolean() }),
    },
    {
      // None unless asked: the streams of the rules' properties have no reviewer in them.
      weight: w('review', 0),
      arbitrary: fc.record({
        kind: fc.constant('review'),
        member,
        pick: fc.nat(),
        decision: fc.constantFrom('confirm', 'overturn'),
      }),
    },
  ];
  return fc.oneof(...options.filter((option) => option.weight > 0));
}

export function streamArb(
  members: number,
  length: { min: number; max: number },
  weights?: Partial<Record<Step['kind'], number>>,
) {
  return fc.array(fc.record({ step: stepArb(members, weights), gap: gapArb }), {
    minLength: length.min,
    maxLength: length.max,
  });
}

function memberId(index: number): string {
  return MEMBERS[index % MEMBERS.length] ?? 'm0';
}

function contactId(index: number): string {
  return CONTACTS[index % CONTACTS.length] ?? 'wmPOOL0000';
}

/**
 * The input of a step at time `at`. Steps that refer to state (an appeal to decide, a timer for a
 * penalty) look at the run: a timer names one of the member's penalties or its WeChat ban, at any
 * time around its end, so that early, late and stale timers all occur.
 */
export function inputOf(step: Step, at: number, r: DomainRun): EngineInput {
  const userId = memberId(step.member);
  switch (step.kind) {
    case 'add':
      return aContactAdded({
        userId,
        at,
        externalUserId: contactId(step.contact),
        viaContactMe: step.viaContactMe,
      });
    case 'message':
      return aMessage({ userId, at, text: step.text, recipients: step.contacts.map(contactId) });
    case 'mass-message':
      return aMessage({
        userId,
        at,
        text: step.text,
        recipients: Array.from({ length: step.recipients }, () => anExternalUserId()),
      });
    case 'complaint':
      return aComplaint({ userId, at, externalUserId: contactId(step.contact) });
    case 'deletion':
      return aCustomerDeletion({ userId, at, externalUserId: contactId(step.contact) });
    case 'wechat':
      return aWechatStatus(step.status, { userId, at });
    case 'report':
      return aReport(step.category, { userId, at, badInfluence: step.badInfluence });
    case 'unblock':
      return anUnblockRequest({ userId, at });
    case 'appeal':
      return anAppeal({ userId, at });
    case 'decide': {
      const open = r.member(userId).appeals.find((appeal) => appeal.status === 'open');
      return anAppealDecision({
        userId,
        at,
        appealId: open?.id ?? 'no-such-appeal',
        approved: step.approved,
      });
    }
    case 'profile':
      return aProfileChange({ userId, at, changes: { Name: step.name } });
    case 'timer': {
      const member = r.member(userId);
      const penalty = member.penalties[step.pick % Math.max(member.penalties.length, 1)];
      const banId = member.linkedWeChat.banId;
      if (step.pick % 3 === 0 && banId !== null) {
        const due = member.linkedWeChat.restoreAt ?? at;
        return aTimer({ kind: 'r2-restore', banId }, { userId, at: Math.max(at, due + step.offset) });
      }
      const due = penalty?.until ?? at;
      return aTimer(
        { kind: 'unban', penaltyId: penalty?.id ?? 'no-such-penalty' },
        { userId, at: Math.max(at, due + step.offset) },
      );
    }
    case 'enterprise-appeal':
      return anEnterpriseAppeal({ at, documents: ENTERPRISE_DOCUMENTS.slice(0, step.documents) });
    case 'enterprise-decide': {
      const open = r.corp.appeals.find((appeal) => appeal.status === 'open');
      return anAppealDecision({
        enterprise: true,
        at,
        appealId: open?.id ?? 'no-such-appeal',
        approved: step.approved,
      });
    }
    case 'corp-profile':
      return aCorpProfile({ at, subjectVerified: step.subjectVerified });
    case 'review': {
      const cases = r.member(userId).cases ?? [];
      const picked = cases[step.pick % Math.max(cases.length, 1)];
      return aCaseDecision(picked?.id ?? 'case-none', { userId, at, decision: step.decision });
    }
    default:
      return assertNever(step);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected step ${JSON.stringify(value)}`);
}

/** Plays a stream through a run that fires its timers when due; returns the run. */
export function play(stream: readonly TimedStep[], r: DomainRun, start = T0): DomainRun {
  let at = start;
  for (const { step, gap } of stream) {
    at += gap;
    const input = inputOf(step, at, r);
    r.apply(input);
    // A hand-made timer may carry a time past `at`: later steps keep time moving forward from it.
    at = Math.max(at, input.at);
  }
  return r;
}
