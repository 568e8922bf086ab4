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

// Traditional forms of the characters the default lexicon uses (a test checks every term against
// OpenCC's conversions), folded to simplified so a term written once matches both scripts.
// Incomplete by design: the Aho-Corasick classifier that replaces this one is where a full
// variant table belongs.
const VARIANT_PAIRS =
  '銷销 殺杀 費费 時时 優优 搶抢 購购 倉仓 賣卖 掃扫 碼码 領领 點点 擊击 買买 場场 價价 郵邮 稅税 轉转 發发 ' +
  '讚赞 贊赞 禮礼 獎奖 運运 圖图 給给 請请 單单 評评 現现 譽誉 虛虚 補补 嚴严 絕绝 詐诈 騙骗 釣钓 魚鱼 網网 ' +
  '鏈链 馬马 電电 腦脑 機机 驗验 證证 帳账 賬账 號号 異异 錄录 戶户 凍冻 結结 遠远 軟软 執执 謹谨 範范 話话 ' +
  '洩泄 隱隐 盜盗 個个 權权 舉举 報报 臺台 約约 砲炮 視视 頻频 黃黄 務务 門门 槍枪 藥药 預预 攜携 帶带 賭赌 ' +
  '樂乐 錢钱 賠赔 氣气 離离 會会 護护 襲袭 討讨 債债 幫帮 聖圣 戰战 惡恶 譴谴 責责 開开 幣币 煙烟 辦办 腎肾 ' +
  '銀银 識识 廳厅 傳传 穩稳 賺赚 額额 頭头 線线 資资 財财 續续 內内 稱称 緊紧 擴扩 將将 刪删 國国 對对 實实 ' +
  '謠谣 聞闻 驚惊 萬万 確确 闢辟 於于 醜丑 專专 業业 兩两 產产 僅仅 們们 夥伙 偽伪 傭佣 償偿 關关 寫写 軍军 ' +
  '衝冲 減减 幾几 鳳凤 別别 動动 勵励 醫医 壓压 後后 聽听 員员 團团 圍围 塊块 墊垫 牆墙 復复 娛娱 學学 賓宾 ' +
  '導导 盡尽 師师 幹干 慶庆 彈弹 歸归 徵征 態态 撲扑 掛挂 換换 據据 擺摆 數数 斷断 無无 舊旧 曬晒 條条 來来 ' +
  '極极 檢检 稜棱 樓楼 檻槛 歡欢 汙污 沒没 潑泼 滿满 災灾 煩烦 燒烧 獨独 獵猎 貓猫 環环 監监 盤盘 著着 瞞瞒 ' +
  '種种 積积 竊窃 紅红 納纳 組组 織织 經经 綁绑 繞绕 維维 繳缴 罰罚 羣群 職职 脅胁 膠胶 腳脚 豔艳 薦荐 裝装 ' +
  '計计 訂订 認认 讓让 記记 許许 論论 訴诉 說说 説说 調调 負负 敗败 貨货 販贩 貼贴 贓赃 賴赖 贈赠 贏赢 趕赶 ' +
  '車车 轟轰 輕轻 邊边 過过 還还 這这 進进 遞递 遙遥 裡里 裏里 鑑鉴 針针 鈔钞 鋼钢 鎖锁 錯错 鍵键 長长 閉闭 ' +
  '間间 陸陆 隨随 黴霉 頁页 齊齐 書书 爭争 虧亏 親亲 劃划 歷历 雙双 疊叠 婦妇 媽妈 寵宠 層层 廣广 擾扰 撐撑 ' +
  '鬥斗 術术 標标 歐欧 殘残 畢毕 潤润 競竞 簡简 籃篮 級级 統统 勝胜 髒脏 節节 獲获 覺觉 議议 訊讯 試试 諾诺 ' +
  '課课 謂谓 賽赛 載载 遺遗 鉅钜 鐵铁 鋪铺 鬧闹 險险 顏颜 館馆 饋馈 駛驶 駕驾 騷骚 週周 製制 傢家 複复 鬆松 ' +
  '佈布';
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

/** One element of a compiled combination: the patterns of a group, or a link signal. */
type CompiledElement =
  | { readonly kind: 'group'; readonly patterns: readonly Pattern[] }
  | { readonly kind: 'url'; readonly signal: UrlSignalKind };

interface CompiledCombination {
  readonly elements: readonly CompiledElement[];
  readonly weight: number;
}

interface CompiledCategory {
  readonly category: ContentCategory;
  readonly threshold: number;
  readonly terms: readonly CompiledTerm[];
  readonly exceptions: readonly Pattern[];
  readonly combinations: readonly CompiledCombination[];
  readonly urlSignals: readonly (readonly [UrlSignalKind, number])[];
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

/** The lexicon's groups with the corp's phrases added, each folded once; duplicates dropped. */
function compileGroups(lexicon: Lexicon, extra: LexiconExtra | undefined): Map<string, Pattern[]> {
  const groups = new Map<string, Map<string, Pattern>>();
  const add = (source: Readonly<Record<string, readonly string[]>> | undefined, field: string): void => {
    for (const [name, phrases] of Object.entries(source ?? {})) {
      const patterns = groups.get(name) ?? new Map<string, Pattern>();
      for (const [index, phrase] of phrases.entries()) {
        const pattern = compilePattern(phrase, `${field}.${name}.${index}`);
        patterns.set(pattern.text, pattern);
      }
      groups.set(name, patterns);
    }
  };
  add(lexicon.groups, 'groups');
  add(extra?.groups, 'extra.groups');
  return new Map([...groups].map(([name, patterns]) => [name, [...patterns.values()]]));
}

function compileCategory(
  category: ContentCategory,
  entry: LexiconCategory,
  extra: LexiconExtra | undefined,
  groups: ReadonlyMap<string, readonly Pattern[]>,
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

  const combinations = [...(entry.combinations ?? []), ...(extra?.combinations?.[category] ?? [])].map(
    (combination): CompiledCombination => ({
      weight: combination.weight,
      elements: combination.all.map((element): CompiledElement => {
        if (element.startsWith(URL_ELEMENT)) {
          return { kind: 'url', signal: element.slice(URL_ELEMENT.length) as UrlSignalKind };
        }
        return { kind: 'group', patterns: groups.get(element) ?? [] };
      }),
    }),
  );
  return {
    category,
    threshold: entry.threshold,
    terms: [...terms.values()],
    exceptions: [...exceptions.values()],
    combinations,
    urlSignals: URL_SIGNAL_KINDS.flatMap((kind) => {
      const weight = entry.urlSignals?.[kind];
      return weight === undefined ? [] : [[kind, weight] as const];
    }),
  };
}

function forEachOccurrence(
  folded: Folded,
  pattern: Pattern,
  /** Returns true to stop at this occurrence. */
  visit: (start: number, end: number) => boolean,
): void {
  let start = folded.text.indexOf(pattern.text);
  while (start !== -1) {
    const end = start + pattern.text.length;
    if ((!pattern.wordStart || isBoundary(folded, start)) && (!pattern.wordEnd || isBoundary(folded, end))) {
      if (visit(start, end)) return;
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
      return false;
    });
  }
  for (let i = 1; i < reach.length; i += 1) reach[i] = Math.max(reach[i] ?? -1, reach[i - 1] ?? -1);
  return reach;
}

/** What one text offers every category: the folded text, and its links, found on first use. */
interface TextContext {
  readonly original: string;
  readonly folded: Folded;
  readonly urls: () => readonly FoundUrl[];
}

function classifyCategory(context: TextContext, compiled: CompiledCategory): CategoryHit | undefined {
  const { folded, original } = context;
  let reach: number[] | undefined;
  const counts = (start: number, end: number): boolean => {
    reach ??= exceptionReach(folded, compiled.exceptions);
    return (reach[start] ?? -1) < end;
  };
  const found: Occurrence[] = [];
  for (const term of compiled.terms) {
    forEachOccurrence(folded, term, (start, end) => {
      if (counts(start, end)) found.push({ term, start, end });
      return false;
    });
  }

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
  const cite = (evidence: string): void => {
    if (!matchedTerms.includes(evidence)) matchedTerms.push(evidence);
  };
  const span = (start: number, end: number): string =>
    original.slice(folded.starts[start] ?? 0, folded.ends[end - 1] ?? original.length);
  for (const { term, start, end } of scored.values()) {
    score += term.weight;
    cite(span(start, end));
  }
  for (const combination of compiled.combinations) {
    const evidence = combinationEvidence(context, combination, counts, span);
    if (evidence === undefined) continue;
    score += combination.weight;
    evidence.forEach(cite);
  }
  for (const [signal, weight] of compiled.urlSignals) {
    const url = context.urls().find((candidate) => candidate.signals.includes(signal));
    if (url === undefined) continue;
    score += weight;
    cite(url.written);
  }
  if (matchedTerms.length === 0) return undefined;
  // Rounding keeps 0.1 + 0.2 from falling short of a 0.3 threshold.
  score = Math.round(score * 1e9) / 1e9;
  return score >= compiled.threshold ? { category: compiled.category, score, matchedTerms } : undefined;
}

/** The evidence of a combination (one occurrence per element, as written), or undefined when one is missing. */
function combinationEvidence(
  context: TextContext,
  combination: CompiledCombination,
  counts: (start: number, end: number) => boolean,
  span: (start: number, end: number) => string,
): string[] | undefined {
  const evidence: string[] = [];
  for (const element of combination.elements) {
    let first: string | undefined;
    if (element.kind === 'url') {
      first = context.urls().find((url) => url.signals.includes(element.signal))?.written;
    } else {
      let firstStart = Number.POSITIVE_INFINITY;
      for (const pattern of element.patterns) {
        // The earliest occurrence of any of the group's phrases that no exception covers.
        forEachOccurrence(context.folded, pattern, (start, end) => {
          if (start >= firstStart) return true;
          if (!counts(start, end)) return false;
          firstStart = start;
          first = span(start, end);
          return true;
        });
      }
    }
    if (first === undefined) return undefined;
    evidence.push(first);
  }
  return evidence;
}

/**
 * Builds a classifier from a lexicon plus a corp's own terms, exceptions, group phrases and
 * combinations; folds terms once, here.
 */
export function createLexiconClassifier(lexicon: Lexicon, extra?: LexiconExtra): Classifier {
  // Lexicons built in code skip parseLexicon; checking again costs little, once per build.
  const checked = parseLexicon(lexicon);
  const added = extra && validate(extraSchema, extra, ['extra']);
  if (added) {
    const groups = new Set([...Object.keys(checked.groups ?? {}), ...Object.keys(added.groups ?? {})]);
    for (const category of CONTENT_CATEGORIES) {
      checkReferences(added.combinations?.[category], groups, `extra.combinations.${category}`);
    }
  }
  const groups = compileGroups(checked, added);
  const categories = CONTENT_CATEGORIES.map((category) =>
    compileCategory(category, checked.categories[category], added, groups),
  );
  return {
    lexiconVersion: checked.version,
    classify(text: string): Classification {
      let urls: readonly FoundUrl[] | undefined;
      const context: TextContext = {
        original: text,
        folded: fold(text),
        urls: () => {
          urls ??= findUrls(text);
          return urls;
        },
      };
      const hits: CategoryHit[] = [];
      for (const compiled of categories) {
        const hit = classifyCategory(context, compiled);
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
