import type { CategoryHit, Classifier, ContentCategory } from '../../shared/domain/classification.js';

/**
 * A classifier over a fixed table of `substring → category`: a real implementation of the port,
 * small enough that a test names the very term it expects as evidence. Matching ignores case.
 */
export function aTableClassifier(
  table: Readonly<Record<string, ContentCategory>>,
  lexiconVersion = 'test-table.1',
): Classifier {
  const entries = Object.entries(table).map(([term, category]) => ({
    term,
    lowered: term.toLowerCase(),
    category,
  }));
  return {
    lexiconVersion,
    classify(text) {
      const lowered = text.toLowerCase();
      const byCategory = new Map<ContentCategory, string[]>();
      for (const { term, lowered: needle, category } of entries) {
        if (!lowered.includes(needle)) continue;
        byCategory.set(category, [...(byCategory.get(category) ?? []), term]);
      }
      return [...byCategory].map(
        ([category, matchedTerms]): CategoryHit => ({ category, score: matchedTerms.length, matchedTerms }),
      );
    },
  };
}

/** One term per content category; a text holding it is classified so by `testClassifier`. */
export const TERMS = {
  marketing: 'flash sale',
  'inducing-sharing': 'share to your moments',
  'fake-order-content': 'fake reviews',
  'security-threat': 'verify your account',
  infringement: 'doxx',
  pornography: 'escort service',
  violence: 'guns for sale',
  gambling: 'online casino',
  'gang-terror': 'debt collection by force',
  'illegal-trade': 'counterfeit money',
  fraud: 'guaranteed returns',
  'false-information': 'secret rumour',
} as const satisfies Record<ContentCategory, string>;

/** The classifier the domain tests use: each of `TERMS` classified into its category. */
export const testClassifier: Classifier = aTableClassifier(
  Object.fromEntries(Object.entries(TERMS).map(([category, term]) => [term, category as ContentCategory])),
);

/** A text that `testClassifier` finds nothing in. */
export const NEUTRAL_TEXT = 'Your parcel ships tomorrow morning';
