import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_FILE } from '../../../../shared/classifier/lexicon-classifier.js';
import { hashOfKey } from '../../../../shared/classifier/model-features.js';
import { decodeWeights, parseFile } from '../../../../shared/classifier/model-file.js';
import { fileLookupTables, mayHold, presenceFilter } from '../../../../shared/classifier/model-tables.js';

const data = parseFile(JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')));
const { keys } = decodeWeights(data);
const { slots } = fileLookupTables(data);

describe('presenceFilter', () => {
  it('admits every feature of the default model', () => {
    const filter = presenceFilter(slots);
    const turnedAway = keys.filter((key) => !mayHold(filter, hashOfKey(key) as number));
    expect(turnedAway).toEqual([]);
  });

  it('turns away most hashes the model does not have', () => {
    const filter = presenceFilter(slots);
    const present = new Set(keys.map((key) => hashOfKey(key) as number));
    // A fixed sequence of hashes (a multiplicative walk over 32 bits), none of them the model's.
    let hash = 0x9e3779b9;
    let absent = 0;
    let admitted = 0;
    for (let i = 0; i < 100_000; i++) {
      hash = (Math.imul(hash, 0x2c1b3c6d) + 0x297a2d39) | 0;
      if (present.has(hash)) continue;
      absent++;
      if (mayHold(filter, hash)) admitted++;
    }
    // A tenth of the filter's bits are set for the model's 32,104 features.
    expect(admitted / absent).toBeLessThan(0.15);
    expect(admitted).toBeGreaterThan(0);
  });

  it('admits nothing for an empty table', () => {
    const filter = presenceFilter(new Int32Array(32));
    expect(mayHold(filter, 0)).toBe(false);
    expect(mayHold(filter, -1)).toBe(false);
  });
});
