/**
 * Generates `shared/classifier/pinyin-table.json`, the sound of every CJK unified ideograph
 * (U+4E00–U+9FFF) without its tone, from the installed pinyin-pro (a dev dependency: the runtime
 * reads the generated table and never imports pinyin-pro).
 *
 *   npm run pinyin-table             writes the table
 *   npm run pinyin-table -- --check  exits 1 if the committed table is not what it would write
 *
 * A character gets its most common reading (pinyin-pro's first): the classifier uses the table to
 * hear a homophone (堵博 for 赌博) and to read lexicon terms typed in pinyin (dubo, zha pian), and a
 * polyphone's rarer reading would add more false matches than evasions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';

export const PINYIN_TABLE_PATH = fileURLToPath(
  new URL('../shared/classifier/pinyin-table.json', import.meta.url),
);

/** First and last code point the table covers. */
export const FIRST = 0x4e00;
export const LAST = 0x9fff;
/** A table unit is this plus the syllable's index (so every unit is a printable, two-byte UTF-8 character). */
export const UNIT_BASE = 0x100;

export interface PinyinTableFile {
  readonly description: string;
  readonly source: string;
  readonly version: string;
  readonly generatedBy: string;
  readonly first: number;
  /** The toneless syllables, sorted; index 0 is '' (a character pinyin-pro has no reading for). */
  readonly syllables: readonly string[];
  /** One unit per code point from `first`: UNIT_BASE + the index of its syllable. */
  readonly sounds: string;
}

export function pinyinProVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('pinyin-pro/package.json') as { version: string }).version;
}

/** The toneless reading of one character, or '' when pinyin-pro gives none (it echoes the character). */
export function readingOf(character: string): string {
  const reading = pinyin(character, { toneType: 'none', type: 'array' })[0] ?? '';
  return /^[a-zü]+$/.test(reading) ? reading.replace('ü', 'v') : '';
}

export function renderPinyinTable(): string {
  const readings: string[] = [];
  for (let code = FIRST; code <= LAST; code++) readings.push(readingOf(String.fromCodePoint(code)));
  const syllables = ['', ...[...new Set(readings.filter((reading) => reading !== ''))].sort()];
  const index = new Map(syllables.map((syllable, i) => [syllable, i]));
  const file: PinyinTableFile = {
    description:
      'The toneless pinyin of each CJK unified ideograph U+4E00–U+9FFF (its most common reading), for the ' +
      "classifier's homophone and pinyin matching (shared/classifier/sound.ts). Generated: do not edit.",
    source: 'pinyin-pro (https://github.com/zh-lx/pinyin-pro)',
    version: pinyinProVersion(),
    generatedBy: 'scripts/build-pinyin-table.ts',
    first: FIRST,
    syllables,
    sounds: String.fromCharCode(...readings.map((reading) => UNIT_BASE + (index.get(reading) as number))),
  };
  return `${JSON.stringify(file, null, 1)}\n`;
}

function main(argv: readonly string[]): void {
  const rendered = renderPinyinTable();
  if (argv.includes('--check')) {
    if (readFileSync(PINYIN_TABLE_PATH, 'utf8') !== rendered) {
      console.error(`${PINYIN_TABLE_PATH} is stale: run npm run pinyin-table`);
      process.exitCode = 1;
      return;
    }
    console.log(`${PINYIN_TABLE_PATH} is up to date`);
    return;
  }
  writeFileSync(PINYIN_TABLE_PATH, rendered);
  const file = JSON.parse(rendered) as PinyinTableFile;
  console.log(
    `wrote ${PINYIN_TABLE_PATH}: ${file.sounds.length} characters, ${file.syllables.length - 1} syllables`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
