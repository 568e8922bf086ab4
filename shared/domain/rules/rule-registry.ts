import type { ContentCategory } from '../classification.js';
import { CATEGORY_RULES, type Category, type Rule } from '../types.js';
import { contactHarassment } from './contact-harassment.js';
import { linkedWechatBan } from './linked-wechat-ban.js';
import { prohibitedConduct } from './prohibited-conduct.js';
import type { RuleModule } from './rule-module.js';

/**
 * Every penalty rule and its module: a rule added to `Rule` without its module does not compile
 * here, and the shared machinery reads each rule's differences only from this table.
 */
export const RULES = {
  R1: contactHarassment,
  R2: linkedWechatBan,
  R3: prohibitedConduct,
} as const satisfies Record<Rule, RuleModule>;

/**
 * Every content category that is a violation, in the order a message is checked: by the rules'
 * content precedence, then each rule's own order (most severe first).
 */
export const VIOLATING_CONTENT: readonly (ContentCategory & Category)[] = Object.values(RULES)
  .map((rule): RuleModule => rule)
  .sort((a, b) => a.contentPrecedence - b.contentPrecedence)
  .flatMap((rule) => rule.contentCategories);

/** The module of a category's rule. */
export function ruleOf(category: Category): RuleModule {
  return RULES[CATEGORY_RULES[category]];
}
