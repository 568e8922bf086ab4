import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_IMAGE_FILE, defaultImage, writeDefaultImage } from './default-image.js';

const USAGE = `usage: npm run classifier-image -- [--check]
  compiles the default lexicon and model (shared/classifier/data/default-lexicon.json and
  default-model.json) into the classifier image the engine reads at cold start
  (shared/classifier/data/default-classifier.bin, see shared/classifier/classifier-image.ts);
  run it after editing the lexicon (npm run train-classifier runs it after training).
  --check   write nothing; exit 1 if the committed image is not what they compile to`;

const { values } = parseArgs({
  options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.check) {
  let same = false;
  try {
    same = readFileSync(DEFAULT_IMAGE_FILE).equals(defaultImage());
  } catch {
    // Missing: it differs.
  }
  console.log(
    same ? 'the classifier image is current' : 'the classifier image is stale: run npm run classifier-image',
  );
  process.exit(same ? 0 : 1);
}
console.log(`wrote ${DEFAULT_IMAGE_FILE.pathname} (${writeDefaultImage()} bytes)`);
