import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lexiconEvidenceOf } from '../shared/classifier/classify-text.js';
import { compileLexicon } from '../shared/classifier/compile-lexicon.js';
import defaultLexiconJson from '../shared/classifier/data/default-lexicon.json' with { type: 'json' };
import { parseLexicon } from '../shared/classifier/lexicon.js';
import { CONTENT_CATEGORIES } from '../shared/domain/classification.js';
import { loadEvalSet, parseLabeledLines } from '../test/classifier-eval/eval-set.js';
import {
  chooseFireAt,
  crossValidate,
  type Evidence,
  fitFusion,
  LEXICON_CAP,
  type LexiconReader,
  outOfFoldReport,
} from './classifier-fusion.js';
import { DEFAULT_TRAINING, modelFile, type TrainingRecord, train } from './classifier-training.js';

const USAGE = `usage: npm run train-classifier -- [--cases <decided-cases.jsonl>] [--out <model.json>] [--check]
  trains the content classifier's model (shared/classifier/model.ts) on the curated and training
  splits of test/classifier-eval/ (never on held-out/), plus reviewers' decided cases exported by
  npm run export-cases, and fits its fusion with the default lexicon on out-of-fold scores;
  deterministic from the seed in scripts/classifier-training.ts; writing the default model builds
  the classifier image again (npm run classifier-image).
  --cases FILE    decided cases to train on too
  --out FILE      where to write (default shared/classifier/data/default-model.json)
  --version V     the model's version (default: the current file's)
  --check         write nothing; exit 1 if training would change the file`;

const MODEL_PATH = new URL('../shared/classifier/data/default-model.json', import.meta.url);
/** Heaviest features per category written into the file's training record. */
const HEAVIEST = 12;
/** Folds of the cross-validation the fusion is fitted on. */
const FOLDS = 5;

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    out: { type: 'string' },
    version: { type: 'string' },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const out = values.out ?? MODEL_PATH;

const records: TrainingRecord[] = [
  ...loadEvalSet('curated'),
  ...loadEvalSet('training'),
  ...(values.cases ? parseLabeledLines(readFileSync(values.cases, 'utf8'), values.cases) : []),
];
const lexicon = parseLexicon(defaultLexiconJson);
const readEvidence = lexiconEvidenceOf(compileLexicon(lexicon, undefined));
const readLexicon: LexiconReader = (text) => {
  const evidence = readEvidence(text);
  return {
    lexicon: Float64Array.from(
      CONTENT_CATEGORIES,
      (category, c) =>
        Math.min(evidence.found[c]?.score ?? 0, LEXICON_CAP) / lexicon.categories[category].threshold,
    ),
    distanced: evidence.distanced,
  };
};

const validation = crossValidate(records, readLexicon, FOLDS);
const trained = train(records);
const fusion = fitFusion(
  validation.evidence as Evidence[],
  records.map((record) => record.labels),
  trained.categories,
);
const fireAt = chooseFireAt(records, validation);
const report = outOfFoldReport(records, validation, fireAt);

let version = values.version;
if (version === undefined) {
  try {
    version = (JSON.parse(readFileSync(out, 'utf8')) as { version?: string }).version;
  } catch {
    // No file yet: the first version.
  }
}
const file = modelFile(
  trained,
  version ?? 'model-1',
  {
    records: records.length,
    ordinary: records.filter((record) => record.labels.length === 0).length,
    options: DEFAULT_TRAINING,
    folds: FOLDS,
    outOfFold: report,
    // For a reader of this file: each category's heaviest features, as a person would check them.
    heaviest: Object.fromEntries(
      trained.categories.map((category, c) => [
        category,
        [...trained.weights]
          .sort(([a, left], [b, right]) => (right[c] as number) - (left[c] as number) || (a < b ? -1 : 1))
          .slice(0, HEAVIEST)
          .map(([key, row]) => `${key} ${row[c]}`),
      ]),
    ),
  },
  { lexiconCap: LEXICON_CAP, ...fusion, fireAt },
);
// One line per feature: readable in a diff, and small.
const text = `${JSON.stringify(file, null, 1).replace(
  /\[\n\s+([^\]]*?)\n\s+\]/g,
  (_all, inner: string) => `[${inner.replace(/,\n\s+/g, ', ')}]`,
)}\n`;
console.table(report);
console.log(`${records.length} records, ${trained.weights.size} features kept`);
if (values.check) {
  let current = '';
  try {
    current = readFileSync(out, 'utf8');
  } catch {
    // Missing: it differs.
  }
  const same = current === text;
  console.log(
    same ? 'the model file is what training gives' : 'the model file differs from what training gives',
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(out, text);
if (out === MODEL_PATH) {
  // The engine reads the model through the classifier image: build it again from the new file
  // (imported only now, as it reads the model file at load).
  const { writeDefaultImage } = await import('./default-image.js');
  writeDefaultImage();
  console.log('the classifier image was built again (npm run classifier-image)');
}
