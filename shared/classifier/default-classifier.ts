import { readFileSync } from 'node:fs';
import type { Classifier } from '../domain/index.js';
import { classifierFromImage, DEFAULT_IMAGE_FILE } from './classifier-image.js';

/** The classifier over the default lexicon and model, read once per process from its image. */
export const defaultClassifier: Classifier = classifierFromImage(readFileSync(DEFAULT_IMAGE_FILE));
