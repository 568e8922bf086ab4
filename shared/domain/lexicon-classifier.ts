import * as z from 'zod/mini';
import {
  type CategoryHit,
  type Classification,
  type Classifier,
  CONTENT_CATEGORIES,
  type ContentCategory,
} from './classification.js';
import defaultLexiconJson from './default-lexicon.json' with { type: 'json' };
import { DomainError } from './errors.js';

/** One weighted term of a category. */
export interface LexiconTerm {
  readonly term: string;
  readonly weight: number;
}

/** A category's terms, the score that makes it fire, and the phrases that neutralise its terms. */
export interface LexiconCategory {
  readonly threshold: number;
  readonly terms: readonly LexiconTerm[];
  /** A term occurrence lying wholly inside an occurrence of one of these does not count. */
  readonly exceptions: readonly string[];
}

/** A versioned lexicon with an entry for every content category. */
export interface Lexicon {
  readonly version: string;
  readonly categories: Readonly<Record<ContentCategory, LexiconCategory>>;
}

/** What a corp adds to a lexicon: its own terms and exceptions, per category. */
export interface LexiconExtra {
  readonly terms?: Partial<Record<ContentCategory, readonly LexiconTerm[]>>;
  readonly exceptions?: Partial<Record<ContentCategory, readonly string[]>>;
}

/** A lexicon (or a corp's additions to one) is malformed; the message names the field. */
export class InvalidLexiconError extends DomainError {}

const termSchema = z.strictObject({
  term: z.string().check(z.minLength(1)),
  weight: z.number().check(z.positive()),
});
const phrasesSchema = z.array(z.string().check(z.minLength(1)));
const categorySchema = z.strictObject({
  threshold: z.number().check(z.positive()),
  terms: z.array(termSchema),
  exceptions: phrasesSchema,
});
const categoryKeySchema = z.enum(CONTENT_CATEGORIES);
const lexiconSchema = z.object({
  version: z.string().check(z.minLength(1)),
  // An enum-keyed record is exhaustive: a missing or misspelt category is refused.
  categories: z.record(categoryKeySchema, categorySchema),
});
const extraSchema = z.strictObject({
  terms: z.optional(z.partialRecord(categoryKeySchema, z.array(termSchema))),
  exceptions: z.optional(z.partialRecord(categoryKeySchema, phrasesSchema)),
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
  return validate(lexiconSchema, json, []);
}

// Traditional forms of the characters the default lexicon uses, folded to simplified so a term
// written once matches both scripts. Incomplete by design: the Aho-Corasick classifier that
// replaces this one is where a full variant table belongs.
const VARIANT_PAIRS =
  '銷销 殺杀 費费 時时 優优 搶抢 購购 倉仓 賣卖 掃扫 碼码 領领 點点 擊击 買买 場场 價价 郵邮 稅税 轉转 發发 ' +
  '讚赞 贊赞 禮礼 獎奖 運运 圖图 給给 請请 單单 評评 現现 譽誉 虛虚 補补 嚴严 絕绝 詐诈 騙骗 釣钓 魚鱼 ' +
  '網网 鏈链 馬马 電电 腦脑 機机 驗验 證证 帳账 賬账 號号 異异 錄录 戶户 凍冻 結结 遠远 軟软 執执 謹谨 ' +
  '範范 話话 洩泄 隱隐 盜盗 個个 權权 舉举 報报 臺台 約约 砲炮 視视 頻频 黃黄 務务 門门 槍枪 藥药 預预 ' +
  '攜携 帶带 賭赌 樂乐 錢钱 賠赔 氣气 離离 會会 護护 襲袭 討讨 債债 幫帮 聖圣 戰战 惡恶 譴谴 責责 開开 ' +
  '幣币 煙烟 辦办 腎肾 銀银 識识 廳厅 傳传 穩稳 賺赚 額额 頭头 線线 資资 財财 續续 內内 稱称 緊紧 擴扩 ' +
  '將将 刪删 國国 對对 實实 謠谣 聞闻 驚惊 萬万 確确 闢辟 於于';
const VARIANTS: ReadonlyMap<string, string> = new Map(
  VARIANT_PAIRS.split(' ').map((pair) => [pair.charAt(0), pair.charAt(1)] as const),
);

// Spaces, zero-width and other format characters, punctuation, symbols (emoji included) and
// leftover combining marks: what gets slipped between characters to dodge a lexicon.
const SEPARATOR = /[\p{Z}\p{Cc}\p{Cf}\p{P}\p{S}\p{M}]/u;
const COMBINING_MARK = /\p{M}/u;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{Nd}]/u;

/** Text folded for matching, with each folded code unit's span in the original text. */
interface Folded {
  readonly text: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

function fold(original: string): Folded {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < original.length) {
    const code = original.charCodeAt(i);
    if (code < 0x80) {
      // ASCII needs no NFKC; anything but a letter or digit is a separator.
      if (code >= 0x41 && code <= 0x5a) {
        text += String.fromCharCode(code + 0x20);
        starts.push(i);
        ends.push(i + 1);
      } else if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) {
        text += original.charAt(i);
        starts.push(i);
        ends.push(i + 1);
      }
      i += 1;
      continue;
    }
    // A code point and its combining marks fold together, so NFKC can compose them.
    let end = i + codePointLength(original, i);
    while (end < original.length) {
      const next = original.codePointAt(end) ?? 0;
      if (next < 0x300 || !COMBINING_MARK.test(String.fromCodePoint(next))) break;
      end += next > 0xffff ? 2 : 1;
    }
    for (const char of original.slice(i, end).normalize('NFKC').toLowerCase()) {
      if (SEPARATOR.test(char)) continue;
      const kept = VARIANTS.get(char) ?? char;
      for (let unit = 0; unit < kept.length; unit += 1) {
        starts.push(i);
        ends.push(end);
      }
      text += kept;
    }
    i = end;
  }
  return { text, starts, ends };
}

function codePointLength(text: string, index: number): number {
  return (text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
}

function isWordUnit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
  return LATIN_OR_DIGIT.test(text.charAt(index));
}

// Latin words must match whole ("sale" is not in "wholesale"); a removed separator counts as a
// boundary so that "c-a-s-i-n-o" still matches "casino".
function isBoundary(folded: Folded, index: number): boolean {
  if (index <= 0 || index >= folded.text.length) return true;
  if (!isWordUnit(folded.text, index - 1) || !isWordUnit(folded.text, index)) return true;
  return (folded.starts[index] ?? 0) > (folded.ends[index - 1] ?? 0);
}

interface Pattern {
  readonly text: string;
  readonly wordStart: boolean;
  readonly wordEnd: boolean;
}

interface CompiledTerm extends Pattern {
  readonly weight: number;
}

interface CompiledCategory {
  readonly category: ContentCategory;
  readonly threshold: number;
  readonly terms: readonly CompiledTerm[];
  readonly exceptions: readonly Pattern[];
}

interface Occurrence {
  readonly term: CompiledTerm;
  readonly start: number;
  readonly end: number;
}

function compilePattern(raw: string, field: string): Pattern {
  const text = fold(raw).text;
  if (text === '') throw new InvalidLexiconError(`invalid lexicon: ${field} has no letters or digits`);
  return { text, wordStart: isWordUnit(text, 0), wordEnd: isWordUnit(text, text.length - 1) };
}

function compileCategory(
  category: ContentCategory,
  entry: LexiconCategory,
  extra: LexiconExtra | undefined,
): CompiledCategory {
  // Terms that fold to the same text are one term, at the highest weight given.
  const terms = new Map<string, CompiledTerm>();
  const addTerms = (list: readonly LexiconTerm[] | undefined, field: string): void => {
    for (const [index, term] of (list ?? []).entries()) {
      const pattern = compilePattern(term.term, `${field}.${index}.term`);
      const known = terms.get(pattern.text);
      if (!known || known.weight < term.weight) terms.set(pattern.text, { ...pattern, weight: term.weight });
    }
  };
  addTerms(entry.terms, `categories.${category}.terms`);
  addTerms(extra?.terms?.[category], `extra.terms.${category}`);

  const exceptions = new Map<string, Pattern>();
  const addExceptions = (list: readonly string[] | undefined, field: string): void => {
    for (const [index, phrase] of (list ?? []).entries()) {
      const pattern = compilePattern(phrase, `${field}.${index}`);
      exceptions.set(pattern.text, pattern);
    }
  };
  addExceptions(entry.exceptions, `categories.${category}.exceptions`);
  addExceptions(extra?.exceptions?.[category], `extra.exceptions.${category}`);
  return {
    category,
    threshold: entry.threshold,
    terms: [...terms.values()],
    exceptions: [...exceptions.values()],
  };
}

function forEachOccurrence(
  folded: Folded,
  pattern: Pattern,
  visit: (start: number, end: number) => void,
): void {
  let start = folded.text.indexOf(pattern.text);
  while (start !== -1) {
    const end = start + pattern.text.length;
    if ((!pattern.wordStart || isBoundary(folded, start)) && (!pattern.wordEnd || isBoundary(folded, end))) {
      visit(start, end);
    }
    start = folded.text.indexOf(pattern.text, start + 1);
  }
}

// reach[i] is the furthest end of an exception occurrence starting at or before i, so a term
// occurrence [s, e) lies inside one exactly when reach[s] >= e.
function exceptionReach(folded: Folded, exceptions: readonly Pattern[]): number[] {
  const reach = new Array<number>(folded.text.length + 1).fill(-1);
  for (const exception of exceptions) {
    forEachOccurrence(folded, exception, (start, end) => {
      if ((reach[start] ?? -1) < end) reach[start] = end;
    });
  }
  for (let i = 1; i < reach.length; i += 1) reach[i] = Math.max(reach[i] ?? -1, reach[i - 1] ?? -1);
  return reach;
}

function classifyCategory(
  folded: Folded,
  original: string,
  compiled: CompiledCategory,
): CategoryHit | undefined {
  const found: Occurrence[] = [];
  let reach: number[] | undefined;
  for (const term of compiled.terms) {
    forEachOccurrence(folded, term, (start, end) => {
      reach ??= exceptionReach(folded, compiled.exceptions);
      if ((reach[start] ?? -1) < end) found.push({ term, start, end });
    });
  }
  if (found.length === 0) return undefined;

  // A shorter term inside a longer one that matched (优惠 in 限时优惠) adds nothing: the longer
  // term is the evidence. Folded terms are distinct, so equal spans cannot occur.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const scored = new Map<CompiledTerm, Occurrence>();
  let furthestEnd = -1;
  for (const occurrence of found) {
    const nested = furthestEnd >= occurrence.end;
    furthestEnd = Math.max(furthestEnd, occurrence.end);
    if (!nested && !scored.has(occurrence.term)) scored.set(occurrence.term, occurrence);
  }

  let score = 0;
  const matchedTerms: string[] = [];
  for (const { term, start, end } of scored.values()) {
    score += term.weight;
    matchedTerms.push(original.slice(folded.starts[start] ?? 0, folded.ends[end - 1] ?? original.length));
  }
  // Rounding keeps 0.1 + 0.2 from falling short of a 0.3 threshold.
  score = Math.round(score * 1e9) / 1e9;
  return score >= compiled.threshold ? { category: compiled.category, score, matchedTerms } : undefined;
}

/** Builds a classifier from a lexicon plus a corp's own terms and exceptions; folds terms once, here. */
export function createLexiconClassifier(lexicon: Lexicon, extra?: LexiconExtra): Classifier {
  // Lexicons built in code skip parseLexicon; checking again costs little, once per build.
  const checked = parseLexicon(lexicon);
  const added = extra && validate(extraSchema, extra, ['extra']);
  const categories = CONTENT_CATEGORIES.map((category) =>
    compileCategory(category, checked.categories[category], added),
  );
  return {
    lexiconVersion: checked.version,
    classify(text: string): Classification {
      const folded = fold(text);
      const hits: CategoryHit[] = [];
      for (const compiled of categories) {
        const hit = classifyCategory(folded, text, compiled);
        if (hit) hits.push(hit);
      }
      return hits;
    },
  };
}

/** The lexicon shipped with the engine (`default-lexicon.json`), validated at module load. */
export const defaultLexicon: Lexicon = parseLexicon(defaultLexiconJson);

/** The classifier over the default lexicon, built once per process. */
export const defaultClassifier: Classifier = createLexiconClassifier(defaultLexicon);
