import { describe, expect, it } from 'vitest';
import type { ContentCategory } from '../../../../shared/domain/classification.js';
import type { Category } from '../../../../shared/domain/types.js';
import { addsFrom, ENFORCEMENTS, inducingSharing, theViolation } from '../../../helpers/decide-scenarios.js';
import { aTableClassifier, NEUTRAL_TEXT, TERMS } from '../../../helpers/domain-classifier.js';
import {
  aContactAdded,
  aMessage,
  aProfileChange,
  aReport,
  aWechatStatus,
  CORP_ID,
  DAY,
  externalUserIds,
  HOUR,
  MEMBER_ID,
  MINUTE,
  SECOND,
  T0,
} from '../../../helpers/domain-inputs.js';
import { decisionsOfType, defined, violationsIn } from '../../../helpers/domain-run.js';

const R3_CONTENT_CATEGORIES = [
  'fake-order-content',
  'security-threat',
  'infringement',
  'pornography',
  'violence',
  'gambling',
  'gang-terror',
  'illegal-trade',
  'fraud',
  'false-information',
] as const satisfies readonly (ContentCategory & Category)[];

describe.each(ENFORCEMENTS)('$name', ({ run, policy, aPolicySet }) => {
  describe('Rule 3: the member account blocked', () => {
    it.each(R3_CONTENT_CATEGORIES)('blocks the account on a %s message', (category) => {
      // Given a member
      const r = run();

      // When the member sends a text the classifier files under the category
      const message = aMessage({ text: `Hello, ${TERMS[category]} here`, at: T0 });
      const violation = theViolation(r.apply(message));

      // Then the account is blocked permanently, interop with it
      expect(violation).toMatchObject({
        rule: 'R3',
        category,
        penalty: { kind: 'block', scope: 'account', until: null },
      });
      expect(violation.explanation.evidence).toMatchObject({
        inputIds: [message.id],
        matchedTerms: [{ text: TERMS[category], truncated: false }],
      });
      expect(r.view(MEMBER_ID, T0 + 1000 * DAY)).toMatchObject({
        interop: { status: 'banned', reason: { rule: 'R3', category } },
        account: { status: 'blocked', reason: { rule: 'R3', category, violationId: violation.id } },
        strikes: 0,
      });
      expect(r.corpView().account.status).toBe('active');
    });

    it('finds plugin-use in 20 adds within 60 s', () => {
      // Given a member who made 19 adds two seconds apart
      const r = run(addsFrom(T0, 19, 2 * SECOND));
      expect(r.violations()).toEqual([]);

      // When the 20th comes within the minute
      const violation = theViolation(r.apply(aContactAdded({ at: T0 + 38 * SECOND })));

      // Then it is plugin-use: adds in 60 s against the threshold
      expect(violation).toMatchObject({ rule: 'R3', category: 'plugin-use', penalty: { kind: 'block' } });
      expect(violation.explanation.evidence.counts).toContainEqual(
        expect.objectContaining({ value: 20, threshold: policy.plugin.addsPerMinute }),
      );
      expect(r.view().account.status).toBe('blocked');
    });

    it('does not find plugin-use in 20 adds spread over more than 60 s', () => {
      // Given a member
      const r = run();

      // When the member makes 20 adds 3.2 s apart (60.8 s from first to last)
      const decisions = r.apply(...addsFrom(T0, 20, 3200));

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    it('finds plugin-use in the same text sent to more than 200 recipients within a minute', () => {
      // Given a member who sent one text to 140 customers in two messages
      const r = run([
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(70), at: T0 }),
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(70), at: T0 + 10 * SECOND }),
      ]);
      expect(r.violations()).toEqual([]);

      // When a third message of the same text goes to 70 more within the minute
      const violation = theViolation(
        r.apply(aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(70), at: T0 + 20 * SECOND })),
      );

      // Then it is plugin-use: recipients of one text against the threshold
      expect(violation).toMatchObject({ rule: 'R3', category: 'plugin-use' });
      expect(violation.explanation.evidence.counts).toContainEqual(
        expect.objectContaining({ value: 210, threshold: policy.plugin.massRecipientsPerMinute }),
      );
    });

    it('does not take one message into a large customer group for a mass send', () => {
      // Given a member in a customer group of 300
      const r = run([]);

      // When the member writes one ordinary line into the group
      const decisions = r.apply(
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(300), roomId: 'wrGroup0001', at: T0 }),
      );

      // Then nothing is found
      expect(decisions.filter((d) => d.type === 'violation.recorded')).toEqual([]);
    });

    it('finds plugin-use across a minute boundary', () => {
      // Given a member who sent a text to 150 customers at 08:00:50
      const r = run([
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(150), at: T0 + 50 * SECOND }),
      ]);

      // When the same text goes to 100 more at 08:01:10
      const decisions = r.apply(
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 + 70 * SECOND }),
      );

      // Then 250 recipients within 20 s are plugin-use
      expect(theViolation(decisions).category).toBe('plugin-use');
    });

    it('finds plugin-use in 250 recipients within 60 s that straddle two minutes', () => {
      // Given a member who sent a text to 150 customers at 08:00:59
      const r = run([
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(150), at: T0 + 59 * SECOND }),
      ]);

      // When the same text goes to 100 more at 08:01:58, 59 s later
      const decisions = r.apply(
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 + 118 * SECOND }),
      );

      // Then 250 recipients in 60 s are more than 200: plugin-use
      expect(violationsIn(decisions).map((v) => v.category)).toEqual(['plugin-use']);
    });

    it('does not find plugin-use at 200 recipients, or in different texts', () => {
      // Given a member
      const r = run();

      // When one text goes to exactly 200 and three different texts to 90 each, within a minute
      const decisions = r.apply(
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 }),
        aMessage({ text: NEUTRAL_TEXT, recipients: externalUserIds(100), at: T0 + 5 * SECOND }),
        ...[1, 2, 3].map((n) =>
          aMessage({
            text: `Your order ${n} ships today`,
            recipients: externalUserIds(90),
            at: T0 + n * 10 * SECOND,
          }),
        ),
      );

      // Then there is no violation
      expect(violationsIn(decisions)).toEqual([]);
    });

    describe('account-info-violation', () => {
      const policySet = aPolicySet({
        corps: { [CORP_ID]: { accountInfo: { protectedNames: ['Acme Official'] } } },
      });

      it("is found when a profile name takes one of the corp's protected names", () => {
        // Given a corp whose policy protects its brand name
        const corpPolicy = policySet.forCorp(CORP_ID);
        const r = run([], { policy: corpPolicy });

        // When a member renames themself after it, in another case
        const change = aProfileChange({ changes: { Name: 'ACME official support' }, at: T0 });
        const violation = theViolation(r.apply(change));

        // Then it is account-info-violation, with the protected name as evidence, under the corp's policy
        expect(violation).toMatchObject({
          rule: 'R3',
          category: 'account-info-violation',
          penalty: { kind: 'block', scope: 'account' },
        });
        expect(violation.explanation).toMatchObject({
          policyVersion: `${policy.version}+${CORP_ID}`,
          evidence: { inputIds: [change.id], matchedTerms: [{ text: 'Acme Official' }] },
        });
        expect(r.view().account.status).toBe('blocked');
      });

      it('is not found in another corp, whose policy protects nothing', () => {
        // Given another corp under the base policy
        const other = 'wwother0000000002';
        const r = run([], { policy: policySet.forCorp(other), corpId: other });

        // When its member takes the same name
        const decisions = r.apply(
          aProfileChange({ corpId: other, changes: { Name: 'Acme Official' }, at: T0 }),
        );

        // Then there is no violation
        expect(violationsIn(decisions)).toEqual([]);
      });

      it('is found when a name or alias holds R3 content', () => {
        // Given a member
        const r = run();

        // When the member takes an alias the classifier files under gambling
        const violation = theViolation(
          r.apply(aProfileChange({ changes: { Alias: `${TERMS.gambling} king` }, at: T0 })),
        );

        // Then it is account-info-violation, with the content category as evidence
        expect(violation).toMatchObject({ rule: 'R3', category: 'account-info-violation' });
        expect(violation.explanation.evidence).toMatchObject({
          contentCategories: ['gambling'],
          matchedTerms: [{ text: TERMS.gambling }],
        });
      });

      it('ignores an ordinary name, a marketing-like name and other profile fields', () => {
        // Given a member
        const r = run([], { policy: policySet.forCorp(CORP_ID) });

        // When the member changes name, alias and position
        const decisions = r.apply(
          aProfileChange({ changes: { Name: 'Zhang San' }, at: T0 }),
          aProfileChange({ changes: { Alias: `${TERMS.marketing} Zhang` }, at: T0 + MINUTE }),
          aProfileChange({ changes: { Position: 'Acme Official spokesperson' }, at: T0 + 2 * MINUTE }),
        );

        // Then there is no violation
        expect(violationsIn(decisions)).toEqual([]);
      });
    });

    it.each([
      'malicious-registration',
      'account-info-violation',
      'infringement',
      'false-information',
      'other-illegal',
    ] as const)('blocks the account on a reported %s', (category) => {
      // Given a member
      const r = run();

      // When a reviewer reports the violation
      const report = aReport(category, { at: T0, reviewer: 'reviewer-wang', note: 'batch registered' });
      const violation = theViolation(r.apply(report));

      // Then the account is blocked, with the reviewer as evidence
      expect(violation).toMatchObject({
        rule: 'R3',
        category,
        badInfluence: false,
        penalty: { kind: 'block', scope: 'account', until: null },
      });
      expect(violation.explanation.evidence).toMatchObject({
        inputIds: [report.id],
        reviewer: 'reviewer-wang',
      });
      expect(r.view().account.status).toBe('blocked');
      expect(r.corpView().account.status).toBe('active');
    });

    it('counts what a blocked member goes on doing per category, without strikes or violation records', () => {
      // Given a member blocked under rule 3
      const r = run([aMessage({ text: TERMS['security-threat'], at: T0 })]);

      // When the member sends six messages inducing sharing and two of fraud
      const decisions = r.apply(
        ...Array.from({ length: 6 }, (_, i) => inducingSharing({ at: T0 + (i + 1) * HOUR })),
        aMessage({ text: TERMS.fraud, at: T0 + 7 * HOUR }),
        aMessage({ text: TERMS.fraud, at: T0 + 8 * HOUR }),
      );

      // Then no strike, violation or penalty is added: each category is counted once, with its times
      expect(violationsIn(decisions)).toEqual([]);
      expect(decisionsOfType(decisions, 'penalty.applied')).toEqual([]);
      expect(r.view().strikes).toBe(0);
      expect(r.member().violations).toHaveLength(1);
      expect(r.member().afterBlock).toEqual([
        { category: 'inducing-sharing', count: 6, lastAt: T0 + 6 * HOUR },
        { category: 'fraud', count: 2, lastAt: T0 + 8 * HOUR },
      ]);
    });

    it('stops detecting for a blocked account', () => {
      // Given a blocked member
      const r = run([aReport('other-illegal', { at: T0 })]);

      // When the member sends R3 content
      const decisions = r.apply(aMessage({ text: TERMS.fraud, at: T0 + HOUR }));

      // Then nothing more is found
      expect(violationsIn(decisions)).toEqual([]);
    });
  });
  describe('Evidence is bounded', () => {
    it('quotes a huge matched span once, cut to 120 characters, with its full length', () => {
      // Given a classifier that finds a 200,000-character link as written
      const link = `http://phish.example/${'a'.repeat(200_000)}`;
      const r = run([], { classifier: aTableClassifier({ [link]: 'security-threat' }) });

      // When the member sends it
      const [violation] = violationsIn(r.apply(aMessage({ text: `login here ${link}`, at: T0 })));

      // Then the evidence quotes its start and end, states its length, and nothing else repeats it
      const { evidence, summary } = defined(violation, 'violation').explanation;
      expect(evidence.matchedTerms).toEqual([
        {
          text: expect.stringMatching(/^http:\/\/phish\.example\/a+…a+$/),
          length: link.length,
          truncated: true,
        },
      ]);
      expect([...(evidence.matchedTerms[0]?.text ?? '')]).toHaveLength(120);
      expect(evidence.matchedTermCount).toBe(1);
      expect(summary).toBe('message text classified security-threat');
      expect(JSON.stringify(violation).length).toBeLessThan(2_000);
    });

    it('quotes the first eight of many matched terms and counts them all', () => {
      // Given a classifier with thirty fraud terms, all in one message
      const terms = Array.from({ length: 30 }, (_, i) => `scam phrase ${String(i).padStart(2, '0')}`);
      const r = run([], { classifier: aTableClassifier(Object.fromEntries(terms.map((t) => [t, 'fraud']))) });

      // When the member sends them
      const [violation] = violationsIn(r.apply(aMessage({ text: terms.join(' and '), at: T0 })));

      // Then eight are quoted, thirty counted
      const { evidence } = defined(violation, 'violation').explanation;
      expect(evidence.matchedTerms.map((q) => q.text)).toEqual(terms.slice(0, 8));
      expect(evidence.matchedTermCount).toBe(30);
    });

    it("cuts a linked WeChat ban's reason in the summary", () => {
      // Given a member
      const r = run();

      // When WeChat bans the linked account with a 100,000-character reason
      const [violation] = violationsIn(
        r.apply(aWechatStatus('banned', { reason: 'x'.repeat(100_000), at: T0 })),
      );

      // Then the summary quotes it cut, with its length
      const { summary } = defined(violation, 'violation').explanation;
      expect(summary.length).toBeLessThan(300);
      expect(summary).toContain('[100000 characters]');
    });
  });
});
