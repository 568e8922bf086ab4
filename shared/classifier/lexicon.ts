import * as z from 'zod/mini';
import { CONTENT_CATEGORIES, type ContentCategory } from '../domain/index.js';
import { parseWith } from '../parse-with.js';
import { InvalidLexiconError } from './errors.js';
import { URL_SIGNAL_KINDS, type UrlSignalKind } from './url-signals.js';

/** One weighted term of a category. */
export interface LexiconTerm {
  readonly term: string;
  readonly weight: number;
}

/**
 * Weight a category gains when every element of `all` is present in the text: a group of
 * phrases (`groups`), at least one of which occurs outside the category's exceptions, or a link
 * signal, written `url:<signal>` (see `URL_SIGNAL_KINDS`). It counts once, however often its
 * elements occur, and adds to the category's terms, so weak words that mean little alone (a
 * link, "password", "within 24 hours") can make a category fire together.
 */
export interface LexiconCombination {
  readonly all: readonly string[];
  readonly weight: number;
}

/** A category's terms, the score that makes it fire, and the phrases that neutralise its terms. */
export interface LexiconCategory {
  readonly threshold: number;
  readonly terms: readonly LexiconTerm[];
  /** A term occurrence lying wholly inside an occurrence of one of these does not count. */
  readonly exceptions: readonly string[];
  /** Weights added when groups of words (or link signals) occur together. */
  readonly combinations?: readonly LexiconCombination[];
  /** Weight per link signal found in the text, each signal counted once (evidence: the link as written). */
  readonly urlSignals?: Readonly<Partial<Record<UrlSignalKind, number>>>;
}

/** A versioned lexicon with an entry for every content category. */
export interface Lexicon {
  readonly version: string;
  readonly description?: string;
  /** Named lists of phrases that combinations refer to; matched like terms. */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  /**
   * Cues that the writer keeps a distance from what the text names: a warning (谨防, beware of), a
   * negation (我们从不, we never), news, training, a report. The learned model's fusion weighs a
   * category's lexicon evidence less in a text that holds one (how much less, per category, it
   * learns from the labeled data); without a model they change nothing.
   */
  readonly distancing?: readonly string[];
  readonly categories: Readonly<Record<ContentCategory, LexiconCategory>>;
}

/**
 * What a corp adds to a lexicon: its own terms, exceptions and combinations per category, and
 * phrases for groups (added to a group of the lexicon, or a new group).
 */
export interface LexiconExtra {
  readonly terms?: Partial<Record<ContentCategory, readonly LexiconTerm[]>>;
  readonly exceptions?: Partial<Record<ContentCategory, readonly string[]>>;
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  readonly combinations?: Partial<Record<ContentCategory, readonly LexiconCombination[]>>;
}

const termSchema = z.strictObject({
  term: z.string().check(z.minLength(1)),
  weight: z.number().check(z.positive()),
});
const phrasesSchema = z.array(z.string().check(z.minLength(1)));
const weightSchema = z.number().check(z.positive());
const combinationSchema = z.strictObject({
  all: z.array(z.string().check(z.minLength(1))).check(z.minLength(2)),
  weight: weightSchema,
});
const groupsSchema = z.record(
  z.string().check(z.regex(/^[a-z][a-z0-9-]*$/)),
  phrasesSchema.check(z.minLength(1)),
);
const categorySchema = z.strictObject({
  threshold: z.number().check(z.positive()),
  terms: z.array(termSchema),
  exceptions: phrasesSchema,
  combinations: z.optional(z.array(combinationSchema)),
  urlSignals: z.optional(z.partialRecord(z.enum(URL_SIGNAL_KINDS), weightSchema)),
});
const categoryKeySchema = z.enum(CONTENT_CATEGORIES);
const lexiconSchema = z.strictObject({
  version: z.string().check(z.minLength(1)),
  description: z.optional(z.string()),
  groups: z.optional(groupsSchema),
  distancing: z.optional(phrasesSchema),
  // An enum-keyed record is exhaustive: a missing or misspelt category is refused.
  categories: z.record(categoryKeySchema, categorySchema),
});
const extraSchema = z.strictObject({
  terms: z.optional(z.partialRecord(categoryKeySchema, z.array(termSchema))),
  exceptions: z.optional(z.partialRecord(categoryKeySchema, phrasesSchema)),
  groups: z.optional(groupsSchema),
  combinations: z.optional(z.partialRecord(categoryKeySchema, z.array(combinationSchema))),
});

function validate<T extends z.ZodMiniType>(schema: T, value: unknown, prefix: string[]): z.output<T> {
  return parseWith(schema, value, (issue, cause) => {
    const path = [...prefix, ...(issue?.path ?? []).map(String)];
    if (issue?.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
    const problem =
      issue?.code === 'unrecognized_keys' ? 'is not a known field' : `is invalid (${issue?.code})`;
    return new InvalidLexiconError(`invalid lexicon: ${path.join('.') || 'value'} ${problem}`, { cause });
  });
}

/** Lexicons parseLexicon returned: taken as unchanging, and not validated again. */
const parsed = new WeakSet<object>();

/**
 * Validates a lexicon read from data; throws InvalidLexiconError naming the first bad field. A
 * lexicon it returned comes back as it is (building a classifier checks its lexicon again, and the
 * default one's validation is a fair part of a cold start).
 */
export function parseLexicon(json: unknown): Lexicon {
  if (typeof json === 'object' && json !== null && parsed.has(json)) return json as Lexicon;
  const lexicon = validate(lexiconSchema, json, []);
  const groups = new Set(Object.keys(lexicon.groups ?? {}));
  for (const category of CONTENT_CATEGORIES) {
    checkReferences(lexicon.categories[category].combinations, groups, `categories.${category}.combinations`);
  }
  parsed.add(lexicon);
  return lexicon;
}

/** Validates a corp's additions to a lexicon; throws InvalidLexiconError naming the first bad field. */
export function parseLexiconExtra(json: unknown, lexicon: Lexicon): LexiconExtra {
  const added = validate(extraSchema, json, ['extra']);
  const groups = new Set([...Object.keys(lexicon.groups ?? {}), ...Object.keys(added.groups ?? {})]);
  for (const category of CONTENT_CATEGORIES) {
    checkReferences(added.combinations?.[category], groups, `extra.combinations.${category}`);
  }
  return added;
}

/** How a combination names a link signal: `url:<signal>`. */
export const URL_ELEMENT = 'url:';

// Every element of a combination must name a group or a link signal.
function checkReferences(
  combinations: readonly LexiconCombination[] | undefined,
  groups: ReadonlySet<string>,
  field: string,
): void {
  for (const [index, combination] of (combinations ?? []).entries()) {
    for (const [position, element] of combination.all.entries()) {
      const known = element.startsWith(URL_ELEMENT)
        ? (URL_SIGNAL_KINDS as readonly string[]).includes(element.slice(URL_ELEMENT.length))
        : groups.has(element);
      if (!known) {
        throw new InvalidLexiconError(
          `invalid lexicon: ${field}.${index}.all.${position} names no group or url:<signal> ("${element}")`,
        );
      }
    }
  }
}
