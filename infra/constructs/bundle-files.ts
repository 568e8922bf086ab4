/**
 * Files put beside a bundled handler after esbuild (WecomFunction's afterBundling), and the shell
 * words that do it. Kept apart from the CDK constructs so that the bench can put the files where
 * infra does without loading CDK.
 */
import { dirname, join } from 'node:path';

/**
 * The content classifier's image (its lexicon compiled and its model's tables), from the repository
 * root, and where a bundle reads it: handlers that import the classifier read it beside their code
 * (shared/classifier/classifier-image.ts).
 */
export const CLASSIFIER_IMAGE = {
  source: 'shared/classifier/data/default-classifier.bin',
  bundled: 'data/default-classifier.bin',
};

/** `value` as one POSIX shell word: CDK's asset directories are plain, but a checkout path may not be. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** The commands that put the classifier's image beside a bundled handler in `outputDir`. */
export function copyClassifierImage(outputDir: string): string[] {
  const target = join(outputDir, CLASSIFIER_IMAGE.bundled);
  return [`mkdir -p ${shellQuote(dirname(target))}`, `cp ${CLASSIFIER_IMAGE.source} ${shellQuote(target)}`];
}
