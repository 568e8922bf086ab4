import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultImage } from '../../../../scripts/default-image.js';
import { classifierFromImage, DEFAULT_IMAGE_FILE } from '../../../../shared/classifier/classifier-image.js';
import { defaultClassifier } from '../../../../shared/classifier/default-classifier.js';
import { InvalidLexiconError } from '../../../../shared/classifier/errors.js';
import {
  createLexiconClassifier,
  defaultLexicon,
  defaultModel,
} from '../../../../shared/classifier/lexicon-classifier.js';
import { heldOutRounds, loadEvalSet } from '../../../classifier-eval/eval-set.js';

/** The classifier compiled from the lexicon and model files, as the engine built it before the image. */
const compiled = createLexiconClassifier(defaultLexicon, undefined, defaultModel);
const image = readFileSync(DEFAULT_IMAGE_FILE);

/** Every text of the evaluation set: curated, training and held-out. */
const texts = [
  ...loadEvalSet('curated'),
  ...loadEvalSet('training'),
  ...heldOutRounds().flatMap((round) => round.records),
].map((record) => record.text);

describe('the classifier image', () => {
  it('is what the default lexicon and model files compile to (npm run classifier-image)', () => {
    // Act
    const fresh = defaultImage();

    // Assess: a lexicon or model edited without building the image again fails here.
    expect(fresh.equals(image), 'the classifier image is stale: run npm run classifier-image').toBe(true);
  });

  it('classifies every message of the evaluation set as the compiled lexicon and model do', () => {
    // Act
    const differing = texts.filter(
      (text) => JSON.stringify(defaultClassifier.classify(text)) !== JSON.stringify(compiled.classify(text)),
    );

    // Assess
    expect(texts.length).toBeGreaterThan(10_000);
    expect(differing).toEqual([]);
    expect(defaultClassifier.lexiconVersion).toBe(compiled.lexiconVersion);
  });

  it('classifies generated texts as the compiled lexicon and model do', () => {
    const pieces = fc.constantFrom(
      ...texts.slice(0, 400).map((text) => text.slice(0, 40)),
      ' ',
      '。',
      'dubo',
      '🎲',
      'ｖｘ',
    );
    fc.assert(
      fc.property(fc.array(pieces, { minLength: 1, maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expect(defaultClassifier.classify(text)).toEqual(compiled.classify(text));
      }),
      { numRuns: 300 },
    );
  });

  it('reads its tables just the same from bytes that do not start on an aligned address', () => {
    // Prepare: the image one byte into its buffer, so no 16- or 32-bit table can be viewed in place.
    const shifted = new Uint8Array(image.length + 1);
    shifted.set(image, 1);

    // Act
    const classifier = classifierFromImage(shifted.subarray(1));

    // Assess
    for (const text of texts.slice(0, 300))
      expect(classifier.classify(text)).toEqual(compiled.classify(text));
  });

  it('refuses a file that is not an image, of another format, cut short, or with a header that is not JSON', () => {
    // Prepare
    const otherFormat = Buffer.from(image);
    otherFormat.writeUInt32LE(99, 8);
    const badHeader = Buffer.from(image);
    badHeader.write('}', 16, 'latin1');
    const cases: Array<[Uint8Array, RegExp]> = [
      [Buffer.from('{"format":1}'), /not a classifier image/],
      [otherFormat, /format 99, this code reads 3 \(npm run classifier-image\)/],
      [image.subarray(0, image.length - 100), /a table lies outside the file/],
      [badHeader, /its header is not JSON/],
      [image.subarray(0, 200), /its header is not JSON/],
    ];

    // Act + Assess
    for (const [bytes, message] of cases) {
      expect(() => classifierFromImage(bytes)).toThrow(InvalidLexiconError);
      expect(() => classifierFromImage(bytes)).toThrow(message);
    }
  });
});
