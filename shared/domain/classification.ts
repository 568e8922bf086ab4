/** Content categories the classifier can name: the content-visible R3 categories, plus R1's. */
export const CONTENT_CATEGORIES = [
  'marketing',
  'inducing-sharing',
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
] as const;
export type ContentCategory = (typeof CONTENT_CATEGORIES)[number];

/** One category a text was classified into, with the evidence. */
export interface CategoryHit {
  readonly category: ContentCategory;
  /** The score against the category's threshold (both from the lexicon data). */
  readonly score: number;
  /** The terms that matched, as they stand in the original text. */
  readonly matchedTerms: readonly string[];
}

/** What a text was classified as; an empty list means nothing was found. */
export type Classification = readonly CategoryHit[];

/**
 * The classification port of the policy engine: pure and synchronous, so `decide` can call it.
 * Implementations are built once per lexicon version and reused.
 */
export interface Classifier {
  /** Identifies the lexicon (and its version) the classifier was built from, for explanations. */
  readonly lexiconVersion: string;
  classify(text: string): Classification;
}
