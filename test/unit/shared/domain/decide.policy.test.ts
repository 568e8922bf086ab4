import { describe, expect, it } from 'vitest';
import { durationMs, parsePolicySet } from '../../../../shared/domain/policy.js';
import { CATEGORY_RULES, type Category } from '../../../../shared/domain/types.js';
import {
  addsFrom,
  ENFORCEMENTS,
  inducingSharing,
  marketing,
  policy,
  theViolation,
} from '../../../helpers/decide-scenarios.js';
import { TERMS } from '../../../helpers/domain-classifier.js';
import {
  aComplaint,
  aContactAdded,
  aMessage,
  aProfileChange,
  aReport,
  aWechatStatus,
  CORP_ID,
  DAY,
  externalUserIds,
  HOUR,
  SECOND,
  T0,
} from '../../../helpers/domain-inputs.js';
import { aPolicyDocument, aPolicySet, DEFAULT_POLICY } from '../../../helpers/domain-policy.js';
import { decisionsOfType } from '../../../helpers/domain-run.js';

describe('POLICY.md: the categories and the default policy', () => {
  it('maps every category of the table to its rule', () => {
    // Given the table of POLICY.md
    const table: Record<Category, 'R1' | 'R2' | 'R3'> = {
      'harassing-marketing': 'R1',
      'inducing-sharing': 'R1',
      'malicious-contact-adds': 'R1',
      'linked-wechat-violation': 'R2',
      'plugin-use': 'R3',
      'malicious-registration': 'R3',
      'account-info-violation': 'R3',
      'fake-order-content': 'R3',
      'security-threat': 'R3',
      infringement: 'R3',
      pornography: 'R3',
      violence: 'R3',
      gambling: 'R3',
      'gang-terror': 'R3',
      'illegal-trade': 'R3',
      fraud: 'R3',
      'false-information': 'R3',
      'other-illegal': 'R3',
    };

    // Then the engine knows exactly those categories, each under its rule
    expect(CATEGORY_RULES).toEqual(table);
  });

  it('holds the defaults POLICY.md names', () => {
    // Given the default policy
    const p = DEFAULT_POLICY;

    // Then every number is the documented default
    expect(p.r1).toEqual({ firstSuspension: DAY, secondSuspension: 7 * DAY, autoApproveUnblock: true });
    expect(p.r2.restoreDelay).toBe(24 * HOUR);
    expect(p.harassment).toEqual({ windowDays: 7, minNegativeFeedback: 3 });
    expect(p.contactAdds).toMatchObject({
      basePerMemberPerDay: 100,
      basePerCorpPerDay: 2000,
      minTrust: 0.2,
      maxTrust: 3,
      minComplaints: 3,
      complaintWindowDays: 7,
      concentrationShare: 0.5,
      concentrationMinAdds: 10,
    });
    expect(p.plugin).toEqual({ addsPerMinute: 20, massRecipientsPerMinute: 200 });
    expect(p.badInfluence).toEqual({
      minComplaints: 10,
      minRecipients: 500,
      corpMembers: 3,
      corpWindowDays: 30,
    });
  });
});
describe('Policy documents', () => {
  function policyError(patch: Record<string, unknown>): string {
    try {
      parsePolicySet(aPolicyDocument(patch));
    } catch (error) {
      expect((error as Error).name).toBe('PolicyError');
      return (error as Error).message;
    }
    throw new Error('expected a PolicyError');
  }

  it.each([
    ['harassment.windowDays', { harassment: { windowDays: 0 } }],
    ['harassment.windowDays', { harassment: { windowDays: 366 } }],
    ['harassment.minNegativeFeedback', { harassment: { minNegativeFeedback: 2.5 } }],
    ['r1.firstSuspension', { r1: { firstSuspension: '1 day' } }],
    ['r1.firstSuspension', { r1: { firstSuspension: 'P' } }],
    ['r2.restoreDelay', { r2: { restoreDelay: 'PT' } }],
    ['r1.autoApproveUnblock', { r1: { autoApproveUnblock: 'yes' } }],
    ['contactAdds.concentrationShare', { contactAdds: { concentrationShare: 1.5 } }],
    ['contactAdds', { contactAdds: { minTrust: 1.2 } }],
    ['accountInfo.protectedNames', { accountInfo: { protectedNames: ['x'] } }],
    ['corps.wwx.r9', { corps: { wwx: { r9: { firstSuspension: 'P1D' } } } }],
    ['corps.wwx.harassment.windowDays', { corps: { wwx: { harassment: { windowDays: 0 } } } }],
    ['corps.wwx.harassment.windowDay', { corps: { wwx: { harassment: { windowDay: 3 } } } }],
    ['corps.wwx.r1.firstSuspension', { corps: { wwx: { r1: { firstSuspension: 'tomorrow' } } } }],
    ['corps.wwx.harassment', { corps: { wwx: { harassment: 3 } } }],
    ['timeZone', { timeZone: 8 }],
    ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
    ['corps.wwx.timeZone', { corps: { wwx: { timeZone: 'China/Beijing' } } }],
  ])('rejects an invalid %s, naming it', (field, patch) => {
    // Given a policy document with one invalid value, when it is parsed, then the error names the field
    expect(policyError(patch)).toContain(field);
  });

  it('says what an unknown time zone should be', () => {
    // Given a policy with a time zone that is not an IANA name, when it is parsed, then the error says so
    expect(policyError({ timeZone: 'Mars/Olympus_Mons' })).toBe(
      'timeZone: must be an IANA time zone name such as Asia/Shanghai or UTC',
    );
  });

  it("counts days in WeCom's zone, Asia/Shanghai, when a document names none", () => {
    // Given a policy document without a time zone (one written before there was one)
    const { timeZone: _zone, ...document } = aPolicyDocument({});

    // When it is parsed, then its days are Shanghai's, as the default policy's are
    expect(parsePolicySet(document).base.timeZone).toEqual(DEFAULT_POLICY.timeZone);
    expect(DEFAULT_POLICY.timeZone.name).toBe('Asia/Shanghai');
  });

  it("gives a corp its own time zone, under the corp's own version", () => {
    // Given an override of the time zone for one corp
    const set = aPolicySet({ corps: { wwx: { timeZone: 'Asia/Tokyo' } } });

    // Then that corp counts Tokyo's days, and every other corp the base's
    expect(set.forCorp('wwx')).toMatchObject({
      version: `${policy.version}+wwx`,
      timeZone: { name: 'Asia/Tokyo' },
    });
    expect(set.forCorp('wwy').timeZone.name).toBe('Asia/Shanghai');
  });

  it('reads durations of days, hours, minutes and seconds', () => {
    // Given ISO-8601 durations, when read, then they are milliseconds
    expect([durationMs('P1D'), durationMs('PT24H'), durationMs('P7DT12H'), durationMs('PT1M30S')]).toEqual([
      DAY,
      DAY,
      7.5 * DAY,
      90 * SECOND,
    ]);
  });

  it("changes only the overridden corp's policy, under its own version", () => {
    // Given an override of one field for one corp
    const set = aPolicySet({
      corps: { wwx: { harassment: { windowDays: 3 }, r1: { secondSuspension: 'P14D' } } },
    });

    // When the corps' policies are read
    const overridden = set.forCorp('wwx');
    const other = set.forCorp('wwy');

    // Then the corp has the override and the base's other fields, under `<version>+<corpId>`
    expect(overridden.version).toBe(`${policy.version}+wwx`);
    expect(overridden.harassment).toEqual({ windowDays: 3, minNegativeFeedback: 3 });
    expect(overridden.r1).toEqual({
      firstSuspension: DAY,
      secondSuspension: 14 * DAY,
      autoApproveUnblock: true,
    });
    expect(overridden.contactAdds).toEqual(set.base.contactAdds);
    // And every other corp has the base, unchanged
    expect(other).toEqual(set.base);
    expect(set.base).toEqual(DEFAULT_POLICY);
  });
});

// The published rules' explanations and per-corp policies hold whether a detection acts at once or
// waits for a reviewer who confirms it.
describe.each(ENFORCEMENTS)('$name', ({ run, policy, aPolicySet }) => {
  describe('Explanations', () => {
    it('gives every violation its rule, category, evidence and policy version', () => {
      // Given a run that finds a violation of each kind the engine detects or is told of
      const r = run();
      const customers = externalUserIds(3);
      const contacts = externalUserIds(3);
      const inputs = [
        marketing(customers, T0, 'm1'),
        ...customers.map((id, i) =>
          aComplaint({ userId: 'm1', externalUserId: id, at: T0 + (i + 1) * HOUR }),
        ),
        inducingSharing({ userId: 'm2', at: T0 }),
        ...contacts.map((id, i) => aContactAdded({ userId: 'm3', externalUserId: id, at: T0 + i * HOUR })),
        ...contacts.map((id, i) => aComplaint({ userId: 'm3', externalUserId: id, at: T0 + DAY + i * HOUR })),
        aWechatStatus('banned', { userId: 'm4', at: T0 }),
        aMessage({ userId: 'm5', text: TERMS['security-threat'], at: T0 }),
        ...addsFrom(T0, 20, SECOND, { userId: 'm6' }),
        aProfileChange({ userId: 'm7', changes: { Name: `${TERMS.pornography} girl` }, at: T0 }),
        aReport('malicious-registration', { userId: 'm8', at: T0 }),
      ];
      r.apply(...inputs);
      const ids = new Set(inputs.map((input) => input.id));

      // Then each explanation checks against POLICY.md
      const violations = r.violations();
      expect(violations.map((v) => v.category).sort()).toEqual(
        [
          'harassing-marketing',
          'inducing-sharing',
          'malicious-contact-adds',
          'linked-wechat-violation',
          'security-threat',
          'plugin-use',
          'account-info-violation',
          'malicious-registration',
        ].sort(),
      );
      for (const violation of violations) {
        const { explanation } = violation;
        expect(explanation).toMatchObject({
          rule: violation.rule,
          category: violation.category,
          policyVersion: policy.version,
        });
        expect(explanation.summary).not.toBe('');
        expect(explanation.evidence.inputIds.length).toBeGreaterThan(0);
        for (const id of explanation.evidence.inputIds) expect(ids.has(id)).toBe(true);
        if (violation.rule !== 'R2') {
          const { matchedTerms, counts, reviewer } = explanation.evidence;
          expect(matchedTerms.length > 0 || counts.length > 0 || reviewer !== undefined).toBe(true);
        }
        for (const count of explanation.evidence.counts) {
          expect(Number.isFinite(count.value) && Number.isFinite(count.threshold)).toBe(true);
        }
      }
    });

    it('gives a violation of another rule a strike count of 0', () => {
      // Given a member with an R1 strike
      const r = run([inducingSharing({ at: T0 })]);

      // When the member commits an R3 violation, and WeChat bans the linked account
      const r3 = theViolation(r.apply(aReport('fraud', { at: T0 + HOUR })));
      const r2 = theViolation(r.apply(aWechatStatus('banned', { at: T0 + 2 * HOUR })));

      // Then those violations carry 0 strikes (decisions.ts: "0 for other rules"); the member keeps 1
      expect([r3.strikes, r2.strikes]).toEqual([0, 0]);
      expect(r.member().strikes).toBe(1);
    });
  });

  describe('Per-corp policies in decisions', () => {
    it("decides under the corp's own policy and names its version", () => {
      // Given a corp whose first suspension is 3 days
      const corpPolicy = aPolicySet({ corps: { [CORP_ID]: { r1: { firstSuspension: 'P3D' } } } }).forCorp(
        CORP_ID,
      );
      const r = run([], { policy: corpPolicy });

      // When a member commits a first R1 violation
      const decisions = r.apply(inducingSharing({ at: T0 }));

      // Then the suspension is 3 days, and the decisions name the corp's policy version
      expect(theViolation(decisions)).toMatchObject({
        penalty: { until: T0 + 3 * DAY },
        explanation: { policyVersion: `${policy.version}+${CORP_ID}` },
      });
      expect(decisionsOfType(decisions, 'penalty.applied')[0]?.policyVersion).toBe(
        `${policy.version}+${CORP_ID}`,
      );
    });
  });
});
