/**
 * The classifier image (data/default-classifier.bin): the default lexicon already compiled (its
 * two automata's tables and what each pattern is to each category) and the model's lookup tables
 * (model-tables.ts's LookupTables: its rows of weights padded as inference reads them, and the hash table
 * of its feature keys), in one file derived from data/default-lexicon.json and
 * data/default-model.json by `npm run classifier-image`. A cold start reads it instead of
 * validating and compiling the lexicon and hashing the model's keys: that work was about 120 ms
 * of the penalty evaluator's import. Format 2 keeps the lookup tables rather than the file's
 * weights, whose padding and hashing into a table took 16-23 ms of a cold start (model-13): reading
 * the image now takes 8-11 ms, for 2.19 MB rather than 1.54 (802 kB gzipped rather than 619).
 * Format 3's sounds automaton reads a folded text as its sound text (compile-lexicon.ts,
 * CompiledSounds): a format 2 image's would read it as written and hear nothing; 2.26 MB. A unit
 * test checks that the committed image is what the two files compile to, and that it classifies
 * as they do.
 *
 * The layout is described at MAGIC below: a JSON header, then the typed arrays as they lie in
 * memory, which a little-endian machine (every Lambda architecture) reads in place.
 */
import type { Classifier } from '../domain/index.js';
import { PatternAutomaton } from './automaton.js';
import { classifierOf } from './classify-text.js';
import type { CompiledLexicon } from './compile-lexicon.js';
import { InvalidLexiconError } from './errors.js';
import { type ModelHead, modelOf } from './model.js';
import type { ModelData } from './model-file.js';
import { fileLookupTables } from './model-tables.js';

/**
 * The image of the default lexicon and model, read beside the code rather than bundled into it
 * (inlined, it would be a base64 literal that every cold start compiles and decodes). A deployed
 * bundle carries it at `data/default-classifier.bin` beside
 * `index.mjs` (infra/constructs/wecom-function.ts, `carriesClassifier`).
 */
export const DEFAULT_IMAGE_FILE = new URL('./data/default-classifier.bin', import.meta.url);

/** The image layout this code reads; an image of another is refused (build it again). */
export const IMAGE_FORMAT = 3;

/** Where a table is in the image's binary part: its element type, byte offset and length in elements. */
interface Section {
  readonly type: 'u16' | 'i16' | 'i32';
  readonly offset: number;
  readonly length: number;
}

/** An automaton's tables; its symbol table as its non-zero entries. */
interface EncodedAutomaton {
  /** The code units that occur in some pattern, ascending. */
  readonly units: Section;
  /** Their symbol ids, in the same order. */
  readonly symbols: Section;
  readonly records: Section;
  readonly nextOutput: Section;
  readonly pattern: Section;
  readonly samePattern: Section;
  readonly lengths: Section;
  readonly stateCount: number;
  readonly alphabetSize: number;
}

type EncodedLexicon = Omit<CompiledLexicon, 'automaton' | 'sounds'> & {
  readonly automaton: EncodedAutomaton;
  readonly sounds: {
    readonly roles: CompiledLexicon['sounds']['roles'];
    readonly automaton: EncodedAutomaton;
  };
};

/** The image's header: everything but the tables, which it places in the binary part. */
interface ImageHeader {
  /** The lexicon's version (the classifier's is `<lexicon>+<model>`). */
  readonly lexiconVersion: string;
  readonly lexicon: EncodedLexicon;
  readonly model: ModelHead & {
    /** The model's lookup tables (model-tables.ts's LookupTables): its rows of weights, padded. */
    readonly rows: Section;
    /** And its hash table of the features' key hashes. */
    readonly slots: Section;
  };
}

/**
 * The file: MAGIC, the format and the header's length (32-bit little-endian each), the header
 * (JSON, ASCII only: every other character escaped, so that it is read as Latin-1 with no UTF-8
 * decoding), then, from the next multiple of 8, the tables (little-endian), each at a multiple of 8.
 */
const MAGIC = 'WCCLSIMG';
const PREAMBLE = MAGIC.length + 8;
const ALIGN = 8;

const SIZE = { u16: 2, i16: 2, i32: 4 } as const;

function aligned(offset: number): number {
  return Math.ceil(offset / ALIGN) * ALIGN;
}

/** Collects tables into the binary part as an image is written. */
class Tables {
  readonly #chunks: Buffer[] = [];
  #size = 0;

  add(type: Section['type'], values: ArrayLike<number>): Section {
    const size = SIZE[type];
    const bytes = Buffer.alloc(aligned(values.length * size));
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      if (type === 'i32') bytes.writeInt32LE(value, i * 4);
      else if (type === 'i16') bytes.writeInt16LE(value, i * 2);
      else bytes.writeUInt16LE(value, i * 2);
    }
    const section = { type, offset: this.#size, length: values.length };
    this.#chunks.push(bytes);
    this.#size += bytes.length;
    return section;
  }

  get bytes(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** Whether this machine stores an integer's low byte first, as the image does. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const KINDS = { u16: Uint16Array, i16: Int16Array, i32: Int32Array } as const;

/** Reads the tables of an image's binary part: views on the file's bytes where it can, else copies. */
class TableReader {
  readonly #bytes: Uint8Array;
  readonly #base: number;

  constructor(bytes: Uint8Array, base: number) {
    this.#bytes = bytes;
    this.#base = base;
  }

  read<T extends Section['type']>(section: Section, type: T): InstanceType<(typeof KINDS)[T]> {
    if (section?.type !== type)
      throw new InvalidLexiconError(`invalid classifier image: a table is not of ${type}`);
    const Kind = KINDS[type];
    const size = SIZE[type];
    const at = this.#base + section.offset;
    const { length } = section;
    if (
      !Number.isInteger(at) ||
      !Number.isInteger(length) ||
      length < 0 ||
      at + length * size > this.#bytes.length
    ) {
      throw new InvalidLexiconError('invalid classifier image: a table lies outside the file');
    }
    const start = this.#bytes.byteOffset + at;
    if (LITTLE_ENDIAN && start % size === 0) {
      return new Kind(this.#bytes.buffer as ArrayBuffer, start, length) as InstanceType<(typeof KINDS)[T]>;
    }
    const view = new DataView(this.#bytes.buffer as ArrayBuffer, start, length * size);
    const values = new Kind(length);
    for (let i = 0; i < length; i++) {
      values[i] =
        size === 4
          ? view.getInt32(i * 4, true)
          : type === 'i16'
            ? view.getInt16(i * 2, true)
            : view.getUint16(i * 2, true);
    }
    return values as InstanceType<(typeof KINDS)[T]>;
  }
}

function encodeAutomaton(automaton: PatternAutomaton, tables: Tables): EncodedAutomaton {
  const parts = automaton.parts();
  const units: number[] = [];
  parts.symbols.forEach((symbol, unit) => {
    if (symbol !== 0) units.push(unit);
  });
  return {
    units: tables.add('u16', units),
    symbols: tables.add(
      'u16',
      units.map((unit) => parts.symbols[unit] as number),
    ),
    records: tables.add('i32', parts.records),
    nextOutput: tables.add('i32', parts.nextOutput),
    pattern: tables.add('i32', parts.pattern),
    samePattern: tables.add('i32', parts.samePattern),
    lengths: tables.add('i32', parts.lengths),
    stateCount: parts.stateCount,
    alphabetSize: parts.alphabetSize,
  };
}

function decodeAutomaton(encoded: EncodedAutomaton, tables: TableReader): PatternAutomaton {
  const units = tables.read(encoded.units, 'u16');
  const ids = tables.read(encoded.symbols, 'u16');
  if (units.length !== ids.length) throw new InvalidLexiconError('invalid classifier image: symbol table');
  const symbols = new Uint16Array(0x10000);
  for (let i = 0; i < units.length; i++) symbols[units[i] as number] = ids[i] as number;
  const int32 = (section: Section): Int32Array => tables.read(section, 'i32');
  try {
    return PatternAutomaton.fromParts({
      symbols,
      records: int32(encoded.records),
      nextOutput: int32(encoded.nextOutput),
      pattern: int32(encoded.pattern),
      samePattern: int32(encoded.samePattern),
      lengths: int32(encoded.lengths),
      stateCount: encoded.stateCount,
      alphabetSize: encoded.alphabetSize,
    });
  } catch (error) {
    throw new InvalidLexiconError('invalid classifier image: automaton', { cause: error });
  }
}

/**
 * The image of a lexicon compiled with no corp extra (`compileLexicon(lexicon, undefined)`) and a
 * validated model file: the file's bytes, the same for the same inputs.
 */
export function encodeImage(lexiconVersion: string, compiled: CompiledLexicon, model: ModelData): Buffer {
  const lookup = fileLookupTables(model);
  const tables = new Tables();
  const header: ImageHeader = {
    lexiconVersion,
    lexicon: {
      ...compiled,
      automaton: encodeAutomaton(compiled.automaton, tables),
      sounds: { roles: compiled.sounds.roles, automaton: encodeAutomaton(compiled.sounds.automaton, tables) },
    },
    model: {
      version: model.version,
      categories: model.categories,
      bias: model.bias,
      fusion: model.fusion,
      rows: tables.add('i16', lookup.rows),
      slots: tables.add('i32', lookup.slots),
    },
  };
  const json = JSON.stringify(header).replace(
    /[^\x20-\x7e]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const preamble = Buffer.alloc(PREAMBLE);
  preamble.write(MAGIC, 0, 'latin1');
  preamble.writeUInt32LE(IMAGE_FORMAT, MAGIC.length);
  preamble.writeUInt32LE(json.length, MAGIC.length + 4);
  const head = Buffer.concat([preamble, Buffer.from(json, 'latin1')]);
  return Buffer.concat([head, Buffer.alloc(aligned(head.length) - head.length), tables.bytes]);
}

/** The classifier an image's bytes hold; throws InvalidLexiconError for an image it cannot read. */
export function classifierFromImage(bytes: Uint8Array): Classifier {
  const file = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (file.length < PREAMBLE || file.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new InvalidLexiconError('invalid classifier image: not a classifier image');
  }
  const format = file.readUInt32LE(MAGIC.length);
  if (format !== IMAGE_FORMAT) {
    throw new InvalidLexiconError(
      `invalid classifier image: format ${format}, this code reads ${IMAGE_FORMAT} (npm run classifier-image)`,
    );
  }
  const headerEnd = PREAMBLE + file.readUInt32LE(MAGIC.length + 4);
  let header: ImageHeader;
  try {
    if (headerEnd > file.length) throw new RangeError('the header runs past the end');
    header = JSON.parse(file.toString('latin1', PREAMBLE, headerEnd));
  } catch (error) {
    throw new InvalidLexiconError('invalid classifier image: its header is not JSON', { cause: error });
  }
  const tables = new TableReader(file, aligned(headerEnd));
  const { lexicon, model } = header;
  const compiled: CompiledLexicon = {
    ...lexicon,
    automaton: decodeAutomaton(lexicon.automaton, tables),
    sounds: { roles: lexicon.sounds.roles, automaton: decodeAutomaton(lexicon.sounds.automaton, tables) },
  };
  if (
    compiled.patterns.length !== compiled.automaton.patternCount ||
    compiled.roles.length !== compiled.patterns.length ||
    compiled.sounds.roles.length !== compiled.sounds.automaton.patternCount
  ) {
    throw new InvalidLexiconError('invalid classifier image: patterns and automaton disagree');
  }
  // The lookup tables as they lie in the file: building them took 16-23 ms of a cold start.
  const built = modelOf(model, {
    rows: tables.read(model.rows, 'i16'),
    slots: tables.read(model.slots, 'i32'),
  });
  return {
    lexiconVersion: `${header.lexiconVersion}+${built.version}`,
    classify: classifierOf(compiled, built),
  };
}
