import { describe, expect, it } from 'vitest';
import { CONTACT_HARASSMENT_CATEGORIES } from '../../../../../shared/domain/rules/contact-harassment.js';
import type { PenaltyContext } from '../../../../../shared/domain/rules/rule-module.js';
import { RULES, ruleOf, VIOLATING_CONTENT } from '../../../../../shared/domain/rules/rule-registry.js';
import { CATEGORY_RULES, type Category, type Penalty } from '../../../../../shared/domain/types.js';
import { DEFAULT_POLICY } from '../../../../helpers/domain-policy.js';

const AT = Date.UTC(2026, 0, 5);

function context(category: Category, strikes: number, penalties: readonly Penalty[] = []): PenaltyContext {
  return { penalties, strikes, policy: DEFAULT_POLICY, category, violationId: 'v1', at: AT };
}

describe('the rule registry', () => {
  it('gives every category the module of its rule', () => {
    // Prepare
    const categories = Object.keys(CATEGORY_RULES) as Category[];

    // Act
    const modules = categories.map((category) => ruleOf(category));

    // Assess
    expect(modules).toEqual(categories.map((category) => RULES[CATEGORY_RULES[category]]));
    for (const category of CONTACT_HARASSMENT_CATEGORIES) expect(CATEGORY_RULES[category]).toBe('R1');
  });

  it("climbs rule 1's ladder by strikes, the first step alone with an unblock right", () => {
    // Prepare
    const first = RULES.R1.penalty(context('inducing-sharing', 0)).penalty;

    // Act
    const second = RULES.R1.penalty(context('inducing-sharing', 1, first ? [first] : []));
    const third = RULES.R1.penalty(context('inducing-sharing', 2)).penalty;

    // Assess
    expect(first).toMatchObject({
      kind: 'suspension',
      until: AT + DEFAULT_POLICY.r1.firstSuspension,
      canApplyForUnblock: true,
    });
    expect(second.penalty).toMatchObject({
      kind: 'suspension',
      until: AT + DEFAULT_POLICY.r1.secondSuspension,
      canApplyForUnblock: false,
    });
    expect(second.penalties.map((p) => p.canApplyForUnblock)).toEqual([false]);
    expect(third).toMatchObject({ kind: 'ban', scope: 'interop', until: null });
  });

  it('blocks the account on rule 3, and only rule 3 blocks the enterprise on one bad influence', () => {
    // Act
    const step = RULES.R3.penalty(context('fraud', 5));

    // Assess
    expect(step.penalty).toMatchObject({ kind: 'block', scope: 'account', rule: 'R3', until: null });
    expect(
      Object.entries(RULES)
        .filter(([, m]) => m.badInfluenceBlocksCorp)
        .map(([rule]) => rule),
    ).toEqual(['R3']);
    expect(
      Object.entries(RULES)
        .filter(([, m]) => m.strikes)
        .map(([rule]) => rule),
    ).toEqual(['R1']);
  });

  it("checks message content rule by rule: rule 3's prohibited content, most severe first, then rule 1's", () => {
    // Act
    const order = [...VIOLATING_CONTENT];

    // Assess
    expect(order.slice(0, 3)).toEqual(['security-threat', 'gang-terror', 'violence']);
    expect(order.at(-1)).toBe('inducing-sharing');
    expect(new Set(order.map((category): string => CATEGORY_RULES[category]))).toEqual(new Set(['R1', 'R3']));
    expect(new Set(order).size).toBe(order.length);
  });
});
