import { describe, expect, it } from 'vitest';
import { CONTENT_CATEGORIES } from '../../../../shared/domain/classification.js';
import { MODAL_CATEGORIES, parsePolicySet } from '../../../../shared/domain/policy.js';
import { TERMS } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import {
  aPolicyDocument,
  aPolicySet,
  DEFAULT_POLICY,
  FAITHFUL_POLICY,
  faithfulPolicyDocument,
} from '../../../helpers/domain-policy.js';
import { decisionsOfType, run } from '../../../helpers/domain-run.js';

/** What POLICY.md's enforcement modes hold for: the categories read from message or profile text. */
const TEXT_DETECTED = [...CONTENT_CATEGORIES.filter((c) => c !== 'marketing'), 'account-info-violation'];

describe('POLICY.md: enforcement modes', () => {
  it('holds for review every category detected from text, and the enterprise block', () => {
    // Given the default policy
    const e = DEFAULT_POLICY.enforcement;

    // Then text detections (inducing sharing and account info included) wait for a reviewer
    for (const category of TEXT_DETECTED)
      expect([category, e[category as keyof typeof e]]).toEqual([category, 'review']);
    expect(e.enterpriseBlock).toBe('review');
    // And what is counted or reported acts at once
    for (const category of [
      'harassing-marketing',
      'malicious-contact-adds',
      'plugin-use',
      'malicious-registration',
      'other-illegal',
    ] as const)
      expect([category, e[category]]).toEqual([category, 'act']);
    // And meanwhile interop is suspended, with 72 hours to decide and no score acting at once
    expect(e).toMatchObject({ provisional: 'suspend-interop', reviewWithin: 72 * HOUR, actAtScore: {} });
  });

  it('ships policies/wecom-faithful.json with every mode act', () => {
    // Given the faithful policy, parsed as POLICY_FILE would be
    const e = parsePolicySet(faithfulPolicyDocument()).base.enforcement;

    // Then every category and the enterprise block act at once, and only enforcement differs from the default
    for (const category of MODAL_CATEGORIES) expect([category, e[category]]).toEqual([category, 'act']);
    expect(e.enterpriseBlock).toBe('act');
    const { enforcement: _f, version: _fv, ...faithful } = FAITHFUL_POLICY;
    const { enforcement: _d, version: _dv, ...base } = DEFAULT_POLICY;
    expect(faithful).toEqual(base);
  });

  it("applies a corp's override to that corp only, under its own version", () => {
    // Given gambling acting at once for one corp
    const set = aPolicySet({ corps: { [CORP_ID]: { enforcement: { gambling: 'act' } } } });
    const corpPolicy = set.forCorp(CORP_ID);

    // Then that corp's policy names it and keeps every other mode of the base
    expect(corpPolicy.version).toBe(`${DEFAULT_POLICY.version}+${CORP_ID}`);
    expect(corpPolicy.enforcement).toEqual({ ...DEFAULT_POLICY.enforcement, gambling: 'act' });
    expect(set.forCorp('wwother').enforcement.gambling).toBe('review');

    // And a gambling message there blocks at once, while elsewhere it opens a case
    const message = aMessage({ text: TERMS.gambling, at: T0 });
    const here = run([], { policy: corpPolicy });
    const elsewhere = run([], { policy: set.forCorp('wwother') });
    expect(decisionsOfType(here.apply(message), 'case.opened')).toEqual([]);
    expect(here.view().account.status).toBe('blocked');
    expect(decisionsOfType(elsewhere.apply(message), 'case.opened')).toHaveLength(1);
  });

  it.each([
    ['enforcement.gambling', { enforcement: { gambling: 'hold' } }],
    ['enforcement.enterpriseBlock', { enforcement: { enterpriseBlock: 'shadow' } }],
    ['enforcement.provisional', { enforcement: { provisional: 'ban' } }],
    ['enforcement.reviewWithin', { enforcement: { reviewWithin: 'three days' } }],
    ['enforcement.actAtScore', { enforcement: { actAtScore: { gambling: 0 } } }],
    ['enforcement.actAtScore', { enforcement: { actAtScore: { 'plugin-use': 1 } } }],
    ['enforcement.no-such-category', { enforcement: { 'no-such-category': 'act' } }],
    ['enforcement.linked-wechat-violation', { enforcement: { 'linked-wechat-violation': 'review' } }],
    ['corps.wwx.enforcement.fraud', { corps: { wwx: { enforcement: { fraud: 'later' } } } }],
  ])('rejects an invalid %s, naming it', (field, patch) => {
    // Given a policy document with one invalid enforcement value, when parsed, then the error names the field
    let message = '';
    try {
      parsePolicySet(aPolicyDocument(patch));
    } catch (error) {
      expect((error as Error).name).toBe('PolicyError');
      message = (error as Error).message;
    }
    expect(message).toContain(field);
  });
});
