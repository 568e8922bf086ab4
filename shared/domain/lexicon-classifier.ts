import * as z from 'zod/mini';
import { PatternAutomaton } from '../classifier/automaton.js';
import { mayHoldLink } from '../classifier/link-hint.js';
import {
  matchesWholeWords,
  type NormalizedPattern,
  type NormalizedText,
  normalizeForMatching,
  normalizePattern,
  originalSpan,
} from '../classifier/normalize.js';
import { SpanCover } from '../classifier/span-cover.js';
import {
  type CategoryHit,
  type Classification,
  type Classifier,
  CONTENT_CATEGORIES,
  type ContentCategory,
} from './classification.js';
import defaultLexiconJson from './default-lexicon.json' with { type: 'json' };
import { DomainError } from './errors.js';
import { type FoundUrl, findUrls, URL_SIGNAL_KINDS, type UrlSignalKind } from './url-signals.js';

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

/** A lexicon (or a corp's additions to one) is malformed; the message names the field. */
export class InvalidLexiconError extends DomainError {}

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
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])];
  if (issue?.code === 'unrecognized_keys') path.push(issue.keys[0] ?? '');
  const problem =
    issue?.code === 'unrecognized_keys' ? 'is not a known field' : `is invalid (${issue?.code})`;
  throw new InvalidLexiconError(`invalid lexicon: ${path.join('.') || 'value'} ${problem}`, {
    cause: result.error,
  });
}

/** Validates a lexicon read from data; throws InvalidLexiconError naming the first bad field. */
export function parseLexicon(json: unknown): Lexicon {
  const lexicon = validate(lexiconSchema, json, []);
  const groups = new Set(Object.keys(lexicon.groups ?? {}));
  for (const category of CONTENT_CATEGORIES) {
    checkReferences(lexicon.categories[category].combinations, groups, `categories.${category}.combinations`);
  }
  return lexicon;
}

const URL_ELEMENT = 'url:';

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

// ---- compiling: every phrase of every category in one automaton ---------------------------------

/** Roles a pattern of the automaton can play (one pattern can play several, for several owners). */
const TERM = 0;
const EXCEPTION = 1;
const GROUP = 2;

/** What an occurrence of a pattern is to one category, or to one group. */
interface Role {
  readonly kind: typeof TERM | typeof EXCEPTION | typeof GROUP;
  /** TERM and EXCEPTION: the category's index in CONTENT_CATEGORIES; GROUP: the group's index. */
  readonly owner: number;
  /** TERM: the term's index in its category; GROUP: the phrase's position in its group. */
  readonly index: number;
}

/** One element of a compiled combination: a group (by index), or a link signal. */
type CompiledElement =
  | { readonly kind: 'group'; readonly group: number }
  | { readonly kind: 'url'; readonly signal: UrlSignalKind };

interface CompiledCombination {
  readonly elements: readonly CompiledElement[];
  readonly weight: number;
}

interface CompiledCategory {
  readonly category: ContentCategory;
  readonly threshold: number;
  /** Per term index: its weight (the highest given to terms that fold to the same text). */
  readonly weights: readonly number[];
  readonly combinations: readonly CompiledCombination[];
  readonly urlSignals: readonly (readonly [UrlSignalKind, number])[];
}

/** A lexicon (and a corp's additions) ready to classify: one automaton, and what each pattern is. */
interface CompiledLexicon {
  readonly automaton: PatternAutomaton;
  /** Per pattern index of the automaton: the folded phrase, with its word-boundary needs. */
  readonly patterns: readonly NormalizedPattern[];
  /** Per pattern index: the roles it plays. */
  readonly roles: readonly (readonly Role[])[];
  readonly categories: readonly CompiledCategory[];
  readonly groupCount: number;
}

function foldPhrase(raw: string, field: string): NormalizedPattern {
  const pattern = normalizePattern(raw);
  if (pattern.text === '')
    throw new InvalidLexiconError(`invalid lexicon: ${field} has no letters or digits`);
  return pattern;
}

/** The lexicon's groups with the corp's phrases added, each folded once; duplicates dropped. */
function foldGroups(lexicon: Lexicon, extra: LexiconExtra | undefined): Map<string, NormalizedPattern[]> {
  const groups = new Map<string, Map<string, NormalizedPattern>>();
  const add = (source: Readonly<Record<string, readonly string[]>> | undefined, field: string): void => {
    for (const [name, phrases] of Object.entries(source ?? {})) {
      const patterns = groups.get(name) ?? new Map<string, NormalizedPattern>();
      for (const [index, phrase] of phrases.entries()) {
        const pattern = foldPhrase(phrase, `${field}.${name}.${index}`);
        if (!patterns.has(pattern.text)) patterns.set(pattern.text, pattern);
      }
      groups.set(name, patterns);
    }
  };
  add(lexicon.groups, 'groups');
  add(extra?.groups, 'extra.groups');
  return new Map([...groups].map(([name, patterns]) => [name, [...patterns.values()]]));
}

function compile(lexicon: Lexicon, extra: LexiconExtra | undefined): CompiledLexicon {
  const patterns: NormalizedPattern[] = [];
  const roles: Role[][] = [];
  const ids = new Map<string, number>();
  const idOf = (pattern: NormalizedPattern): number => {
    let id = ids.get(pattern.text);
    if (id === undefined) {
      id = patterns.length;
      ids.set(pattern.text, id);
      patterns.push(pattern);
      roles.push([]);
    }
    return id;
  };

  // Every group is folded (a bad phrase is refused even when no combination names its group), but
  // only the groups some combination names go into the automaton.
  const groups = foldGroups(lexicon, extra);
  const groupIndex = new Map<string, number>();
  const groupOf = (name: string): number => {
    let index = groupIndex.get(name);
    if (index === undefined) {
      index = groupIndex.size;
      groupIndex.set(name, index);
      for (const [rank, pattern] of (groups.get(name) ?? []).entries()) {
        roles[idOf(pattern)]?.push({ kind: GROUP, owner: index, index: rank });
      }
    }
    return index;
  };

  const categories = CONTENT_CATEGORIES.map((category, owner): CompiledCategory => {
    const entry = lexicon.categories[category];
    // Terms that fold to the same text are one term, at the highest weight given.
    const terms = new Map<number, number>();
    const addTerms = (list: readonly LexiconTerm[] | undefined, field: string): void => {
      for (const [index, term] of (list ?? []).entries()) {
        const id = idOf(foldPhrase(term.term, `${field}.${index}.term`));
        terms.set(id, Math.max(terms.get(id) ?? 0, term.weight));
      }
    };
    addTerms(entry.terms, `categories.${category}.terms`);
    addTerms(extra?.terms?.[category], `extra.terms.${category}`);
    for (const [index, id] of [...terms.keys()].entries()) roles[id]?.push({ kind: TERM, owner, index });

    const exceptions = new Set<number>();
    const addExceptions = (list: readonly string[] | undefined, field: string): void => {
      for (const [index, phrase] of (list ?? []).entries())
        exceptions.add(idOf(foldPhrase(phrase, `${field}.${index}`)));
    };
    addExceptions(entry.exceptions, `categories.${category}.exceptions`);
    addExceptions(extra?.exceptions?.[category], `extra.exceptions.${category}`);
    for (const id of exceptions) roles[id]?.push({ kind: EXCEPTION, owner, index: 0 });

    const combinations = [...(entry.combinations ?? []), ...(extra?.combinations?.[category] ?? [])].map(
      (combination): CompiledCombination => ({
        weight: combination.weight,
        elements: combination.all.map((element): CompiledElement => {
          if (element.startsWith(URL_ELEMENT)) {
            return { kind: 'url', signal: element.slice(URL_ELEMENT.length) as UrlSignalKind };
          }
          return { kind: 'group', group: groupOf(element) };
        }),
      }),
    );
    return {
      category,
      threshold: entry.threshold,
      weights: [...terms.values()],
      combinations,
      urlSignals: URL_SIGNAL_KINDS.flatMap((kind) => {
        const weight = entry.urlSignals?.[kind];
        return weight === undefined ? [] : [[kind, weight] as const];
      }),
    };
  });

  return {
    automaton: PatternAutomaton.build(patterns.map((pattern) => pattern.text)),
    patterns,
    roles,
    categories,
    groupCount: groupIndex.size,
  };
}

// ---- classifying ----------------------------------------------------------------------------------

/** Whether the occurrence [start, end) lies wholly inside an occurrence of one of the category's exceptions. */
function excepted(exceptions: SpanCover | undefined, start: number, end: number): boolean {
  return exceptions?.covers(start, end) === true;
}

/**
 * The classify function of a compiled lexicon: per text, one normalization and one scan; the
 * whole-word occurrences go to their categories and groups, and each category is scored from them.
 *
 * All of a text is classified, however long: no prefix is cut off, so a term cannot be hidden
 * behind padding. The cost has a ceiling because every stage is linear in the text (times
 * constants of the lexicon): the folding (normalizeForMatching) is one pass, each pending group of
 * lookalikes settled once; the automaton scan is amortised linear, and reports at most a
 * lexicon-bounded number of patterns per position; the whole-word test is O(1) per occurrence;
 * links are found only when mayHoldLink says so, by findUrls, whose two expressions cannot retry
 * within a run (see url-signals.ts); exceptions are looked up in O(log n) (SpanCover);
 * occurrences are sorted once; combinations look at each group's occurrences once. Texts come from
 * callbacks of at most 256 KiB; the bench's `hostile` section times crafted 256 KB texts (at most
 * about 0.2 s, for tens of thousands of distinct astral characters or of links) beside benign ones.
 */
function classifierOf(compiled: CompiledLexicon): (text: string) => Classification {
  const { automaton, patterns, roles, categories, groupCount } = compiled;
  // Scratch of one call (classify is synchronous, and nothing it calls classifies again).
  const empty = normalizeForMatching('');
  /** The text being scanned, for onMatch (then let go, so a long text is not kept). */
  let normalized = empty;
  /** Per category: term index, start, end of each occurrence of one of its terms. */
  const termsOf: number[][] = categories.map(() => []);
  /** Per category: start, end of each occurrence of one of its exceptions. */
  const exceptionsOf: number[][] = categories.map(() => []);
  /** Per group: rank, start, end of each occurrence of one of its phrases. */
  const groupsOf: number[][] = Array.from({ length: groupCount }, () => []);
  /** The lists above that are not empty. */
  const filled: number[][] = [];

  const onMatch = (patternIndex: number, end: number): void => {
    const start = end - automaton.patternLength(patternIndex);
    if (!matchesWholeWords(normalized, patterns[patternIndex] as NormalizedPattern, start, end)) return;
    for (const role of roles[patternIndex] as readonly Role[]) {
      let list: number[];
      if (role.kind === EXCEPTION) {
        list = exceptionsOf[role.owner] as number[];
        if (list.length === 0) filled.push(list);
        list.push(start, end);
        continue;
      }
      list = (role.kind === TERM ? termsOf : groupsOf)[role.owner] as number[];
      if (list.length === 0) filled.push(list);
      list.push(role.index, start, end);
    }
  };

  return (text: string): Classification => {
    for (const list of filled) list.length = 0;
    filled.length = 0;
    const folded = normalizeForMatching(text);
    normalized = folded;
    automaton.scan(folded.text, onMatch);
    normalized = empty;
    const context: TextContext = { text, normalized: folded, groupsOf, urls: undefined };
    const hits: CategoryHit[] = [];
    for (let index = 0; index < categories.length; index++) {
      const hit = classifyCategory(
        context,
        categories[index] as CompiledCategory,
        termsOf[index] as readonly number[],
        exceptionsOf[index] as readonly number[],
      );
      if (hit) hits.push(hit);
    }
    return hits;
  };
}

/** What one text offers every category: its folded form, the occurrences of group phrases, its links. */
interface TextContext {
  readonly text: string;
  readonly normalized: NormalizedText;
  readonly groupsOf: readonly (readonly number[])[];
  /** The links of the text, found on first use (see linkWith). */
  urls: readonly FoundUrl[] | undefined;
}

// Plain functions rather than closures made per call: classify runs them for every message.

/** The first link of the text that shows `signal`. */
function linkWith(context: TextContext, signal: UrlSignalKind): FoundUrl | undefined {
  context.urls ??= mayHoldLink(context.text) ? findUrls(context.text) : [];
  for (const url of context.urls) if (url.signals.includes(signal)) return url;
  return undefined;
}

/** Units [start, end) of the folded text, as the original text has them (the evidence). */
function spanOf(context: TextContext, start: number, end: number): string {
  const [from, to] = originalSpan(context.normalized, start, end);
  return context.text.slice(from, to);
}

function cite(matchedTerms: string[], evidence: string): void {
  if (!matchedTerms.includes(evidence)) matchedTerms.push(evidence);
}

function classifyCategory(
  context: TextContext,
  compiled: CompiledCategory,
  terms: readonly number[],
  exceptionSpans: readonly number[],
): CategoryHit | undefined {
  let score = 0;
  const matchedTerms: string[] = [];
  const exceptions = exceptionSpans.length > 0 ? SpanCover.of(exceptionSpans) : undefined;

  if (terms.length > 0) {
    // The occurrences no exception covers, by start, and at one start the longest first.
    const found: number[] = [];
    for (let k = 0; k < terms.length; k += 3) {
      if (!excepted(exceptions, terms[k + 1] as number, terms[k + 2] as number)) found.push(k);
    }
    found.sort(
      (a, b) =>
        (terms[a + 1] as number) - (terms[b + 1] as number) ||
        (terms[b + 2] as number) - (terms[a + 2] as number),
    );
    // A shorter term inside a longer one that matched (优惠 in 限时优惠) adds nothing: the longer
    // term is the evidence. A term scores once, at its first occurrence that is not inside another.
    // Folded terms are distinct, so equal spans cannot occur.
    const scored = new Set<number>();
    let furthestEnd = -1;
    for (const k of found) {
      const term = terms[k] as number;
      const end = terms[k + 2] as number;
      const nested = furthestEnd >= end;
      if (end > furthestEnd) furthestEnd = end;
      if (nested || scored.has(term)) continue;
      scored.add(term);
      score += compiled.weights[term] as number;
      cite(matchedTerms, spanOf(context, terms[k + 1] as number, end));
    }
  }
  for (const combination of compiled.combinations) {
    const evidence = combinationEvidence(context, combination, exceptions);
    if (evidence === undefined) continue;
    score += combination.weight;
    for (const item of evidence) cite(matchedTerms, item);
  }
  for (const [signal, weight] of compiled.urlSignals) {
    const url = linkWith(context, signal);
    if (url === undefined) continue;
    score += weight;
    cite(matchedTerms, url.written);
  }
  if (matchedTerms.length === 0) return undefined;
  // Rounding keeps 0.1 + 0.2 from falling short of a 0.3 threshold.
  score = Math.round(score * 1e9) / 1e9;
  return score >= compiled.threshold ? { category: compiled.category, score, matchedTerms } : undefined;
}

/**
 * The earliest occurrence (its offset in `occurrences`: rank, start, end triples) of any of a
 * group's phrases that no exception covers, and at one start the phrase the group lists first; -1
 * when there is none.
 */
function firstOccurrence(occurrences: readonly number[], exceptions: SpanCover | undefined): number {
  let best = -1;
  for (let k = 0; k < occurrences.length; k += 3) {
    const start = occurrences[k + 1] as number;
    if (best >= 0) {
      const bestStart = occurrences[best + 1] as number;
      if (
        start > bestStart ||
        (start === bestStart && (occurrences[k] as number) > (occurrences[best] as number))
      ) {
        continue;
      }
    }
    if (!excepted(exceptions, start, occurrences[k + 2] as number)) best = k;
  }
  return best;
}

/** The evidence of a combination (one occurrence per element, as written), or undefined when one is missing. */
function combinationEvidence(
  context: TextContext,
  combination: CompiledCombination,
  exceptions: SpanCover | undefined,
): string[] | undefined {
  const { elements } = combination;
  // Groups first: most combinations fail on one, at the cost of a look at a list that is mostly empty.
  for (const element of elements) {
    if (element.kind === 'group' && (context.groupsOf[element.group] as readonly number[]).length === 0) {
      return undefined;
    }
  }
  const evidence: string[] = [];
  for (const element of elements) {
    if (element.kind === 'url') {
      const url = linkWith(context, element.signal);
      if (url === undefined) return undefined;
      evidence.push(url.written);
      continue;
    }
    const occurrences = context.groupsOf[element.group] as readonly number[];
    const first = firstOccurrence(occurrences, exceptions);
    if (first < 0) return undefined;
    evidence.push(spanOf(context, occurrences[first + 1] as number, occurrences[first + 2] as number));
  }
  return evidence;
}

// ---- building, once per lexicon version and corp extra ---------------------------------------------

/** Classifiers kept at most (the least recently used goes first). */
const BUILT_LIMIT = 32;

interface Built {
  /** The canonical JSON of the lexicon and of the extra ('' for none) it was built from. */
  readonly lexiconJson: string;
  readonly extraJson: string;
  readonly classifier: Classifier;
}

/** Built classifiers by lexicon version, a hash of the lexicon's content and a hash of the extra. */
const built = new Map<string, Built>();

/** A lexicon's canonical JSON and its hash, worked out once per lexicon object. */
interface Fingerprint {
  readonly json: string;
  readonly hash: string;
}

const fingerprints = new WeakMap<Lexicon, Fingerprint>();

function fingerprintOf(lexicon: Lexicon): Fingerprint {
  let fingerprint = fingerprints.get(lexicon);
  if (fingerprint === undefined) {
    const json = canonicalJson(lexicon);
    fingerprint = { json, hash: hashOf(json) };
    fingerprints.set(lexicon, fingerprint);
  }
  return fingerprint;
}

/** JSON with every object's keys sorted, so that equal values give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** A 53-bit hash of a string (cyrb53), in base 36. */
function hashOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ unit, 2654435761);
    h2 = Math.imul(h2 ^ unit, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * A classifier over a lexicon plus a corp's own terms, exceptions, group phrases and combinations.
 * Built once per lexicon version and extra: every term, exception and group phrase is folded with
 * `normalizePattern` into one `PatternAutomaton`, and later calls with the same lexicon (the same
 * object, or an equal one) and an equal extra get the same classifier back, without validating or
 * building again. A lexicon object is taken as unchanging once given here (its content is read
 * once). At most BUILT_LIMIT classifiers are kept.
 */
export function createLexiconClassifier(lexicon: Lexicon, extra?: LexiconExtra): Classifier {
  let lexiconJson: string;
  let extraJson: string;
  let key: string;
  try {
    const fingerprint = fingerprintOf(lexicon);
    lexiconJson = fingerprint.json;
    extraJson = extra === undefined ? '' : canonicalJson(extra);
    key = `${String(lexicon.version)}\u0000${fingerprint.hash}\u0000${hashOf(extraJson)}`;
  } catch {
    // Not JSON at all (a cycle, a BigInt): not worth keeping; validation says what is wrong.
    return buildClassifier(lexicon, extra);
  }
  const known = built.get(key);
  if (known && known.lexiconJson === lexiconJson && known.extraJson === extraJson) {
    built.delete(key);
    built.set(key, known);
    return known.classifier;
  }
  const classifier = buildClassifier(lexicon, extra);
  built.delete(key);
  built.set(key, { lexiconJson, extraJson, classifier });
  if (built.size > BUILT_LIMIT) built.delete(built.keys().next().value as string);
  return classifier;
}

function buildClassifier(lexicon: Lexicon, extra: LexiconExtra | undefined): Classifier {
  // Lexicons built in code skip parseLexicon; checking again costs little, once per build.
  const checked = parseLexicon(lexicon);
  const added = extra && validate(extraSchema, extra, ['extra']);
  if (added) {
    const groups = new Set([...Object.keys(checked.groups ?? {}), ...Object.keys(added.groups ?? {})]);
    for (const category of CONTENT_CATEGORIES) {
      checkReferences(added.combinations?.[category], groups, `extra.combinations.${category}`);
    }
  }
  const classify = classifierOf(compile(checked, added));
  return { lexiconVersion: checked.version, classify };
}

/** The lexicon shipped with the engine (`default-lexicon.json`), validated at module load. */
export const defaultLexicon: Lexicon = parseLexicon(defaultLexiconJson);

/** The classifier over the default lexicon, built once per process. */
export const defaultClassifier: Classifier = createLexiconClassifier(defaultLexicon);
