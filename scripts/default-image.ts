import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_IMAGE_FILE, encodeImage } from '../shared/classifier/classifier-image.js';
import { compileLexicon } from '../shared/classifier/compile-lexicon.js';
import { DEFAULT_MODEL_FILE, defaultLexicon } from '../shared/classifier/lexicon-classifier.js';
import { parseModel } from '../shared/classifier/model-file.js';

export { DEFAULT_IMAGE_FILE };

/** The classifier image of the default lexicon and model files as they are now (the bytes to commit). */
export function defaultImage(): Buffer {
  const model = parseModel(JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')));
  return encodeImage(defaultLexicon.version, compileLexicon(defaultLexicon, undefined), model);
}

/** Writes the default image where the engine reads it; its size in bytes. */
export function writeDefaultImage(): number {
  const image = defaultImage();
  writeFileSync(DEFAULT_IMAGE_FILE, image);
  return image.length;
}
