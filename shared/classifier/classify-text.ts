import type { CategoryHit, Classification } from '../domain/index.js';
import {
  type CompiledCategory,
  type CompiledCombination,
  type CompiledLexicon,
  EXCEPTION,
  type Role,
  type SoundRole,
  TERM,
} from './compile-lexicon.js';
import { fusedScore, rivalLogits, stackedLogit } from './fusion.js';
import { mayHoldLink } from './link-hint.js';
import type { Model } from './model.js';
import { type NormalizedPattern, type NormalizedText, normalizeForMatching, SEPARATED } from './normalize.js';
import { SpanCover } from './span-cover.js';
import { type FoundUrl, findUrls, type UrlSignalKind } from './url-signals.js';
import { matchesWholeWords, originalSpan } from './word-boundary.js';

/** Whether text[start..] differs from `term` but shares at least one unit with it, in place. */
function sharesCharacter(text: string, start: number, term: string): boolean {
  let shared = 0;
  for (let i = 0; i < term.length; i++) if (text.charCodeAt(start + i) === term.charCodeAt(i)) shared++;
  return shared > 0 && shared < term.length;
}

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
export function classifierOf(compiled: CompiledLexicon, model?: Model): (text: string) => Classification {
  const read = lexiconEvidenceOf(compiled);
  const { categories } = compiled;
  // Per category: its index in the model (-1 where the model has none: the lexicon alone decides).
  const inModel = categories.map((category) => model?.categories.indexOf(category.category) ?? -1);
  /** The model's rival logit per category for the text at hand (fusion.ts). */
  const rivals = new Float64Array(model?.categories.length ?? 0);
  return (text: string): Classification => {
    const evidence = read(text);
    const hits: CategoryHit[] = [];
    const logits = model?.score(text, evidence.normalized);
    if (logits !== undefined) rivalLogits(logits, rivals);
    for (let index = 0; index < categories.length; index++) {
      const category = categories[index] as CompiledCategory;
      const found = evidence.found[index];
      const c = inModel[index] as number;
      if (model === undefined || logits === undefined || c < 0) {
        if (found && found.score >= category.threshold) hits.push(found);
        continue;
      }
      const hit = fuse(model, c, logits, rivals[c] as number, category, found, evidence);
      if (hit) hits.push(hit);
    }
    return hits;
  };
}

/** What the lexicon finds in a text: per category its evidence (below the threshold too), and context. */
export interface LexiconEvidence {
  readonly text: string;
  readonly normalized: NormalizedText;
  /** Per category of CONTENT_CATEGORIES: its score and matched terms, or undefined when none matched. */
  readonly found: readonly (CategoryHit | undefined)[];
  /** Whether the text holds a distancing cue of the lexicon (a warning, a negation, news, training). */
  readonly distanced: boolean;
}

/** The lexicon's side of classification: one normalization and one scan per text (see classifierOf). */
export function lexiconEvidenceOf(compiled: CompiledLexicon): (text: string) => LexiconEvidence {
  const { automaton, patterns, roles, categories, groupCount, sounds, distancingGroup } = compiled;
  // Scratch of one call (classify is synchronous, and nothing it calls classifies again).
  const empty = normalizeForMatching('');
  /** The text being scanned, for onMatch (then let go, so a long text is not kept). */
  let normalized = empty;
  /** Per category: term index, start, end of each occurrence of one of its terms (or of a homophone of one). */
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

  // A homophone of a Chinese term: heard in the sound text, not the term itself but sharing at least
  // one character with it in place (so 堵博 is 赌博, while 独播, which shares none, is not), and
  // written as one word (no separator dropped inside: 捅你 is not heard in 沟通”，你).
  const onSound = (patternIndex: number, end: number): void => {
    const start = end - sounds.automaton.patternLength(patternIndex);
    for (let i = start + 1; i < end; i++) if ((normalized.flags[i] as number) & SEPARATED) return;
    for (const role of sounds.roles[patternIndex] as readonly SoundRole[]) {
      if (!sharesCharacter(normalized.text, start, role.text)) continue;
      const list = termsOf[role.owner] as number[];
      if (list.length === 0) filled.push(list);
      list.push(role.index, start, end);
    }
  };

  return (text: string): LexiconEvidence => {
    for (const list of filled) list.length = 0;
    filled.length = 0;
    const folded = normalizeForMatching(text);
    normalized = folded;
    automaton.scan(folded.text, onMatch);
    // The sounds' automaton reads the folded text as its sound text.
    if (sounds.automaton.patternCount > 0) sounds.automaton.scan(folded.text, onSound);
    normalized = empty;
    const context: TextContext = { text, normalized: folded, groupsOf, urls: undefined };
    const found = categories.map((category, index) =>
      classifyCategory(
        context,
        category,
        termsOf[index] as readonly number[],
        exceptionsOf[index] as readonly number[],
      ),
    );
    const distanced = distancingGroup >= 0 && (groupsOf[distancingGroup] as number[]).length > 0;
    return { text, normalized: folded, found, distanced };
  };
}

/**
 * Category c's hit when the lexicon's evidence and the model's are weighed together (fusion.ts,
 * with the model file's weights and thresholds). The evidence is the lexicon's terms, then the
 * model's heaviest spans that no term already quotes.
 */
function fuse(
  model: Model,
  c: number,
  logits: Float64Array,
  rival: number,
  category: CompiledCategory,
  found: CategoryHit | undefined,
  evidence: LexiconEvidence,
): CategoryHit | undefined {
  const { fusion } = model;
  const lexicon = Math.min(found?.score ?? 0, fusion.lexiconCap) / category.threshold;
  const logit = logits[c] as number;
  const score = fusedScore(
    stackedLogit(fusion, c, lexicon, evidence.distanced, logit, rival),
    fusion.fireAt[c] as number,
    lexicon,
    evidence.distanced,
    logit,
    model.bias[c] as number,
    () => model.sentenceBest()[c] as number,
    fusion.model[c] as number,
    evidence.normalized.text.length,
  );
  if (score === Number.NEGATIVE_INFINITY) return undefined;
  const matchedTerms = [...(found?.matchedTerms ?? [])];
  if ((fusion.model[c] as number) * logit > 0 || matchedTerms.length === 0) {
    for (const span of model.evidence(evidence.text, evidence.normalized, c)) {
      if (!matchedTerms.some((term) => term.includes(span))) matchedTerms.push(span);
    }
  }
  if (matchedTerms.length === 0) return undefined;
  return { category: category.category, score: Math.round(score * 1000) / 1000, matchedTerms };
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
  // Below the threshold too: the fusion with the model weighs partial evidence.
  return { category: compiled.category, score, matchedTerms };
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
