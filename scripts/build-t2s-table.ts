/**
 * Generates `shared/classifier/t2s-table.json`, the traditional → simplified character table of the
 * classifier's normalization, from the OpenCC data of the installed opencc-js (a dev dependency:
 * the runtime reads the generated table and never imports opencc-js).
 *
 *   npx tsx scripts/build-t2s-table.ts           writes the table
 *   npx tsx scripts/build-t2s-table.ts --check   exits 1 if the committed table is not what it would write
 *
 * The table maps single characters only: the classifier folds text one character at a time, so
 * OpenCC's phrase tables (which pick a simplified form by context) do not apply. Each character is
 * converted by opencc-js's own converters: `t → cn` (OpenCC's t2s: TSPhrases, TSCharacters) where
 * that changes it, else `hk → cn` (Hong Kong variant forms first, e.g. 衞 → 卫, 粧 → 妆). Taiwan
 * variant reversals are not used: they map standard simplified characters away (么 → 幺, 著 → 着).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as OpenCC from 'opencc-js';

/** Where the generated table is committed. */
export const TABLE_PATH = fileURLToPath(new URL('../shared/classifier/t2s-table.json', import.meta.url));

/** The generated file's content. */
export interface T2sTableFile {
  readonly description: string;
  readonly source: string;
  readonly version: string;
  readonly generatedBy: string;
  readonly rule: string;
  readonly count: number;
  /** Concatenated pairs of code points: traditional, simplified, traditional, simplified, ... */
  readonly pairs: string;
}

/** The installed opencc-js version (the table records it; the test refuses a table of another one). */
export function openccVersion(): string {
  // opencc-js does not export its package.json; its entry point lies two folders below it.
  const entry = createRequire(import.meta.url).resolve('opencc-js');
  const packageJson = JSON.parse(readFileSync(join(dirname(entry), '..', '..', 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  if (packageJson.name !== 'opencc-js') throw new Error(`not opencc-js's package.json: ${packageJson.name}`);
  return packageJson.version;
}

/** The two converters the table is made of, in order of precedence. */
export function openccConverters(): { t2s: (text: string) => string; hk2s: (text: string) => string } {
  return {
    t2s: OpenCC.Converter({ from: 't', to: 'cn' }),
    hk2s: OpenCC.Converter({ from: 'hk', to: 'cn' }),
  };
}

/** What the table holds for one character, by the converters themselves: its simplified form. */
export function expectedSimplified(
  character: string,
  converters: ReturnType<typeof openccConverters>,
): string {
  const t2s = converters.t2s(character);
  return t2s !== character ? t2s : converters.hk2s(character);
}

/**
 * Every single character OpenCC's traditional → simplified data knows as a source: the keys of
 * the dictionaries behind `t → cn`, `hk → cn` and `tw → cn`, one code point long.
 */
export function candidateCharacters(): string[] {
  const groups = [OpenCC.Locale.to.cn, OpenCC.Locale.from.hk, OpenCC.Locale.from.tw];
  const keys = new Set<string>();
  for (const group of groups) {
    for (const dictGroup of group ?? []) {
      for (const dict of dictGroup) {
        const entries = typeof dict === 'string' ? dict.split('|').map((line) => line.split(' ')) : dict;
        for (const [key] of entries) {
          if (key !== undefined && [...key].length === 1) keys.add(key);
        }
      }
    }
  }
  return [...keys].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
}

/**
 * The table: each candidate character the converters change, with its simplified form. Characters
 * NFKC changes are left out (normalization applies NFKC first, so they never reach the table).
 */
export function computeTable(): Array<readonly [string, string]> {
  const converters = openccConverters();
  const pairs: Array<readonly [string, string]> = [];
  for (const character of candidateCharacters()) {
    if (character.normalize('NFKC') !== character) continue;
    const simplified = expectedSimplified(character, converters);
    if (simplified === character) continue;
    if ([...simplified].length !== 1) {
      throw new Error(`${character} converts to ${simplified}, not one character`);
    }
    pairs.push([character, simplified]);
  }
  return pairs;
}

/** The JSON text of the table file, as committed. */
export function renderTable(): string {
  const pairs = computeTable();
  const file: T2sTableFile = {
    description:
      'Traditional → simplified Chinese, one character to one character, for the classifier normalization ' +
      '(shared/classifier/normalize.ts). Generated: do not edit.',
    source: 'opencc-js (OpenCC data, https://github.com/nk2028/opencc-js)',
    version: openccVersion(),
    generatedBy: 'scripts/build-t2s-table.ts',
    rule:
      "each single-character key of OpenCC's TSCharacters, TSPhrases, HKVariantsRev(Phrases) and " +
      "TWVariantsRev(Phrases) that Converter({from:'t',to:'cn'}) changes, to that; else that " +
      "Converter({from:'hk',to:'cn'}) changes, to that; characters NFKC changes are left out",
    count: pairs.length,
    pairs: pairs.map(([traditional, simplified]) => traditional + simplified).join(''),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function main(argv: readonly string[]): void {
  const rendered = renderTable();
  if (argv.includes('--check')) {
    const committed = readFileSync(TABLE_PATH, 'utf8');
    if (committed !== rendered) {
      console.error(`${TABLE_PATH} is stale: run npx tsx scripts/build-t2s-table.ts`);
      process.exitCode = 1;
      return;
    }
    console.log(`${TABLE_PATH} is up to date`);
    return;
  }
  writeFileSync(TABLE_PATH, rendered);
  const count = (JSON.parse(rendered) as T2sTableFile).count;
  console.log(`wrote ${TABLE_PATH}: ${count} characters, opencc-js ${openccVersion()}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
