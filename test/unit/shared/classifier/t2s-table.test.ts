import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  candidateCharacters,
  expectedSimplified,
  openccConverters,
  openccVersion,
  renderTable,
  TABLE_PATH,
} from '../../../../scripts/build-t2s-table.js';
import { normalizeForMatching } from '../../../../shared/classifier/normalize.js';
import t2sTable from '../../../../shared/classifier/t2s-table.json' with { type: 'json' };

/** The committed table as [traditional, simplified] pairs. */
function pairs(): Array<[string, string]> {
  const codePoints = Array.from(t2sTable.pairs);
  const result: Array<[string, string]> = [];
  for (let k = 0; k < codePoints.length; k += 2) {
    result.push([codePoints[k] as string, codePoints[k + 1] as string]);
  }
  return result;
}

describe('t2s-table.json', () => {
  it('was generated from the installed opencc-js, by the script as it stands', () => {
    expect(t2sTable.source).toContain('opencc-js');
    expect(t2sTable.version).toBe(openccVersion());
    expect(t2sTable.generatedBy).toBe('scripts/build-t2s-table.ts');
    expect(readFileSync(TABLE_PATH, 'utf8')).toBe(renderTable());
    expect(pairs()).toHaveLength(t2sTable.count);
    expect(Array.from(t2sTable.pairs).length % 2).toBe(0);
  });

  it("maps every character it holds as opencc-js's own converters do", () => {
    const converters = openccConverters();
    const mismatches = pairs().filter(
      ([traditional, simplified]) => expectedSimplified(traditional, converters) !== simplified,
    );
    expect(mismatches).toEqual([]);
    expect(pairs().length).toBeGreaterThan(3000);
  });

  it('leaves out only characters the converters keep, or NFKC changes', () => {
    const converters = openccConverters();
    const held = new Set(pairs().map(([traditional]) => traditional));
    const missing = candidateCharacters().filter(
      (character) =>
        !held.has(character) &&
        character.normalize('NFKC') === character &&
        expectedSimplified(character, converters) !== character,
    );
    expect(missing).toEqual([]);
  });

  it('is what normalization applies, character by character, to a fixed point', () => {
    const wrong = pairs().filter(([traditional, simplified]) => {
      const folded = normalizeForMatching(traditional).text;
      // The table's one chain (薴 → 苧 → 苎) is followed to its end.
      return folded !== normalizeForMatching(simplified).text || normalizeForMatching(folded).text !== folded;
    });
    expect(wrong).toEqual([]);
    expect(normalizeForMatching('賭').text).toBe('赌');
  });
});
