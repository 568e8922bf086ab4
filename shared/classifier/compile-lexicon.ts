import { CONTENT_CATEGORIES, type ContentCategory } from '../domain/index.js';
import { PatternAutomaton } from './automaton.js';
import { InvalidLexiconError } from './errors.js';
import { type Lexicon, type LexiconExtra, type LexiconTerm, URL_ELEMENT } from './lexicon.js';
import { type NormalizedPattern, normalizePattern } from './normalize.js';
import { allChinese, soundText, soundUnit, spelledInPinyin } from './sound.js';
import { URL_SIGNAL_KINDS, type UrlSignalKind } from './url-signals.js';

// Every phrase of every category in one automaton.

/** The internal name of the distancing cues' group (not a name a lexicon's groups can have). */
const DISTANCING = '§distancing';

/** Roles a pattern of the automaton can play (one pattern can play several, for several owners). */
export const TERM = 0;
export const EXCEPTION = 1;
export const GROUP = 2;

/** What an occurrence of a pattern is to one category, or to one group. */
export interface Role {
  readonly kind: typeof TERM | typeof EXCEPTION | typeof GROUP;
  /** TERM and EXCEPTION: the category's index in CONTENT_CATEGORIES; GROUP: the group's index. */
  readonly owner: number;
  /** TERM: the term's index in its category; GROUP: the phrase's position in its group. */
  readonly index: number;
}

/** One element of a compiled combination: a group (by index), or a link signal. */
export type CompiledElement =
  | { readonly kind: 'group'; readonly group: number }
  | { readonly kind: 'url'; readonly signal: UrlSignalKind };

export interface CompiledCombination {
  readonly elements: readonly CompiledElement[];
  readonly weight: number;
}

export interface CompiledCategory {
  readonly category: ContentCategory;
  readonly threshold: number;
  /** Per term index: its weight (the highest given to terms that fold to the same text). */
  readonly weights: readonly number[];
  readonly combinations: readonly CompiledCombination[];
  readonly urlSignals: readonly (readonly [UrlSignalKind, number])[];
}

/** A Chinese term heard in a text by its sound: which category's term, and how it is written. */
export interface SoundRole {
  readonly owner: number;
  readonly index: number;
  /** The term as folded: a homophone must share at least one character with it, in place. */
  readonly text: string;
}

/** The sounds of the Chinese terms (sound.ts): an automaton of their sound texts, and whose each pattern is. */
export interface CompiledSounds {
  /**
   * Reads a folded text as its sound text (each Chinese character as its syllable: soundUnit), so
   * a scan of the folded text finds the terms' sounds without the sound text being written out
   * (which cost as much as the scan: 3.7 µs of 7.1 on 1 KB messages).
   */
  readonly automaton: PatternAutomaton;
  readonly roles: readonly (readonly SoundRole[])[];
}

/** A lexicon (and a corp's additions) ready to classify: one automaton, and what each pattern is. */
export interface CompiledLexicon {
  readonly sounds: CompiledSounds;
  /** The group of the lexicon's distancing cues, or -1 when it has none. */
  readonly distancingGroup: number;
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

/** A lexicon and a corp's additions compiled: every phrase folded once, into one automaton. */
// About 85 lines: the pattern ids and roles are shared by the groups', terms' and exceptions'
// closures below; splitting them apart would mean passing those tables to each.
export function compileLexicon(lexicon: Lexicon, extra: LexiconExtra | undefined): CompiledLexicon {
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

  const sounds = addSpellings(patterns, roles, idOf, categories);
  let distancingGroup = -1;
  if ((lexicon.distancing ?? []).length > 0) {
    distancingGroup = groupIndex.size;
    groupIndex.set(DISTANCING, distancingGroup);
    for (const [rank, phrase] of (lexicon.distancing ?? []).entries()) {
      roles[idOf(foldPhrase(phrase, `distancing.${rank}`))]?.push({
        kind: GROUP,
        owner: distancingGroup,
        index: rank,
      });
    }
  }
  return {
    sounds,
    distancingGroup,
    automaton: PatternAutomaton.build(patterns.map((pattern) => pattern.text)),
    patterns,
    roles,
    categories,
    groupCount: groupIndex.size,
  };
}

/** Pinyin spellings shorter than this many letters are not matched (they read as English too often). */
const PINYIN_MIN_LETTERS = 4;

/**
 * The evasions of Chinese terms by sound (sound.ts): each strong term (one that fires its category
 * alone) of two or more Chinese characters is also matched spelt in pinyin (赌博 as dubo, du bo), and
 * heard as its sound, for homophones (堵博), in an automaton of its own. Weaker terms are not: their
 * sounds and spellings (地址 dizhi, 扑克 puke) meet ordinary words and English too often. Every
 * Chinese exception is spelt in pinyin too, so that it keeps neutralising (du bo zui is 赌博罪).
 */
function addSpellings(
  patterns: NormalizedPattern[],
  roles: Role[][],
  idOf: (pattern: NormalizedPattern) => number,
  categories: readonly CompiledCategory[],
): CompiledSounds {
  const soundIds = new Map<string, number>();
  const soundRoles: SoundRole[][] = [];
  const count = patterns.length;
  for (let id = 0; id < count; id++) {
    const { text } = patterns[id] as NormalizedPattern;
    const own = (roles[id] as Role[]).filter((role) => {
      if (role.kind === EXCEPTION) return true;
      const category = categories[role.owner] as CompiledCategory;
      return role.kind === TERM && (category.weights[role.index] as number) >= category.threshold;
    });
    if (own.length === 0 || text.length < 2 || !allChinese(text)) continue;
    const spelled = spelledInPinyin(text);
    if (spelled.length >= PINYIN_MIN_LETTERS) {
      const target = roles[idOf({ text: spelled, wordStart: true, wordEnd: true })] as Role[];
      for (const role of own) {
        if (!target.some((r) => r.kind === role.kind && r.owner === role.owner && r.index === role.index)) {
          target.push(role);
        }
      }
    }
    if (!own.some((role) => role.kind === TERM)) continue;
    const sound = soundText(text);
    let soundId = soundIds.get(sound);
    if (soundId === undefined) {
      soundId = soundRoles.length;
      soundIds.set(sound, soundId);
      soundRoles.push([]);
    }
    for (const role of own) {
      if (role.kind === TERM) soundRoles[soundId]?.push({ owner: role.owner, index: role.index, text });
    }
  }
  return {
    automaton: PatternAutomaton.build([...soundIds.keys()]).readingUnitsAs(soundUnit),
    roles: soundRoles,
  };
}
