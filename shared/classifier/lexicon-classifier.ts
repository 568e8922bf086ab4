import { readFileSync } from 'node:fs';
import type { Classifier } from '../domain/index.js';
import { classifierOf } from './classify-text.js';
import { compileLexicon } from './compile-lexicon.js';
import defaultLexiconJson from './data/default-lexicon.json' with { type: 'json' };
import { type Lexicon, type LexiconExtra, parseLexicon, parseLexiconExtra } from './lexicon.js';
import { createModel, type Model } from './model.js';

// Built once per lexicon version and corp extra.

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
export function createLexiconClassifier(lexicon: Lexicon, extra?: LexiconExtra, model?: Model): Classifier {
  let lexiconJson: string;
  let extraJson: string;
  let key: string;
  try {
    const fingerprint = fingerprintOf(lexicon);
    lexiconJson = fingerprint.json;
    extraJson = extra === undefined ? '' : canonicalJson(extra);
    key = `${String(lexicon.version)}\u0000${fingerprint.hash}\u0000${hashOf(extraJson)}\u0000${model?.version ?? ''}`;
  } catch {
    // Not JSON at all (a cycle, a BigInt): not worth keeping; validation says what is wrong.
    return buildClassifier(lexicon, extra, model);
  }
  const known = built.get(key);
  if (known && known.lexiconJson === lexiconJson && known.extraJson === extraJson) {
    built.delete(key);
    built.set(key, known);
    return known.classifier;
  }
  const classifier = buildClassifier(lexicon, extra, model);
  built.delete(key);
  built.set(key, { lexiconJson, extraJson, classifier });
  if (built.size > BUILT_LIMIT) built.delete(built.keys().next().value as string);
  return classifier;
}

function buildClassifier(lexicon: Lexicon, extra: LexiconExtra | undefined, model?: Model): Classifier {
  // Lexicons built in code skip parseLexicon; checking them costs little, once per build (one
  // parseLexicon returned is not checked again).
  const checked = parseLexicon(lexicon);
  const added = extra && parseLexiconExtra(extra, checked);
  const classify = classifierOf(compileLexicon(checked, added), model);
  return { lexiconVersion: model ? `${checked.version}+${model.version}` : checked.version, classify };
}

/** The lexicon shipped with the engine (`data/default-lexicon.json`), validated at module load. */
export const defaultLexicon: Lexicon = parseLexicon(defaultLexiconJson);

/** The learned model's file (`data/default-model.json`). */
export const DEFAULT_MODEL_FILE = new URL('./data/default-model.json', import.meta.url);

/**
 * The learned model shipped with the engine, validated at module load. The engine itself reads
 * both compiled, from the classifier image (default-classifier.ts); this is for the tools that
 * build that image, train, and measure.
 */
export const defaultModel: Model = createModel(JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')));
