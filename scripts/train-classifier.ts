import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { classifierOf } from '../shared/classifier/classify-text.js';
import { compileLexicon } from '../shared/classifier/compile-lexicon.js';
import defaultLexiconJson from '../shared/classifier/data/default-lexicon.json' with { type: 'json' };
import { parseLexicon } from '../shared/classifier/lexicon.js';
import { createModel } from '../shared/classifier/model.js';
import { normalizeForMatching } from '../shared/classifier/normalize.js';
import type { ContentCategory } from '../shared/domain/classification.js';
import { loadEvalSet, parseLabeledLines } from '../test/classifier-eval/eval-set.js';
import {
  DEFAULT_TRAINING,
  type Evidence,
  fitFusion,
  foldsOf,
  LEXICON_CAP,
  modelFile,
  type TrainingRecord,
  train,
} from './classifier-training.js';

const USAGE = `usage: npm run train-classifier -- [--cases <decided-cases.jsonl>] [--out <model.json>] [--check]
  trains the content classifier's model (shared/classifier/model.ts) on the curated and training
  splits of test/classifier-eval/ (never on held-out/), plus reviewers' decided cases exported by
  npm run export-cases; deterministic from the seed in scripts/classifier-training.ts.
  --cases FILE  decided cases to train on too
  --out FILE    where to write (default shared/classifier/data/default-model.json)
  --version V   the model's version (default: the current file's, unchanged)
  --check       write nothing; exit 1 if training would change the file`;

const MODEL_PATH = new URL('../shared/classifier/data/default-model.json', import.meta.url);
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

const records: TrainingRecord[] = [
  ...loadEvalSet('curated'),
  ...loadEvalSet('training'),
  ...(values.cases ? parseLabeledLines(readFileSync(values.cases, 'utf8'), values.cases) : []),
];
const lexiconScores = classifierOf(
  compileLexicon(parseLexicon(defaultLexiconJson), undefined),
  undefined,
  true,
);
const lexiconOf = (text: string, categories: readonly ContentCategory[]): Float64Array => {
  const scores = new Float64Array(categories.length);
  for (const hit of lexiconScores(text)) {
    scores[categories.indexOf(hit.category)] = Math.min(hit.score, LEXICON_CAP);
  }
  return scores;
};

// Out-of-fold logits: each record scored by a model that did not train on it.
const fold = foldsOf(records.length, FOLDS, DEFAULT_TRAINING.seed);
const evidence: Evidence[] = new Array(records.length);
const noFusion = (k: number) => ({
  lexiconCap: LEXICON_CAP,
  lexicon: new Array(k).fill(0),
  model: new Array(k).fill(1),
  bias: new Array(k).fill(0),
  fireAt: new Array(k).fill(0),
});
for (let f = 0; f < FOLDS; f++) {
  const trained = train(records.filter((_, r) => fold[r] !== f));
  const model = createModel(modelFile(trained, `fold-${f}`, {}, noFusion(trained.categories.length)));
  records.forEach((record, r) => {
    if (fold[r] !== f) return;
    evidence[r] = {
      lexicon: lexiconOf(record.text, model.categories),
      model: model.score(record.text, normalizeForMatching(record.text)),
    };
  });
}
const trained = train(records);
const fusion = fitFusion(
  evidence,
  records.map((record) => record.labels),
  trained.categories,
);

// Out-of-fold figures of the fused decision, per category, for the record.
const outOfFold: Record<string, { precision: number; recall: number; positives: number }> = {};
trained.categories.forEach((category, c) => {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  records.forEach((record, r) => {
    const e = evidence[r] as Evidence;
    const stacked =
      (fusion.lexicon[c] as number) * (e.lexicon[c] as number) +
      (fusion.model[c] as number) * (e.model[c] as number) +
      (fusion.bias[c] as number);
    const labeled = record.labels.includes(category);
    if (labeled) positives++;
    if (stacked >= 0) {
      if (labeled) tp++;
      else fp++;
    }
  });
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  outOfFold[category] = {
    precision: round(tp / Math.max(tp + fp, 1)),
    recall: round(tp / Math.max(positives, 1)),
    positives,
  };
});

const current = JSON.parse(readFileSync(values.out ?? MODEL_PATH, 'utf8').toString() || '{}') as {
  version?: string;
};
const file = modelFile(
  trained,
  values.version ?? current.version ?? 'model-1',
  {
    records: records.length,
    ordinary: records.filter((record) => record.labels.length === 0).length,
    positives: Object.fromEntries(
      trained.categories.map((category) => [
        category,
        records.filter((record) => record.labels.includes(category)).length,
      ]),
    ),
    options: DEFAULT_TRAINING,
    folds: FOLDS,
    outOfFold,
  },
  { lexiconCap: LEXICON_CAP, ...fusion, fireAt: new Array(trained.categories.length).fill(0) },
);
const text = `${JSON.stringify(file, null, 0).replace(/^\{/, '{\n').replace(/\}$/, '\n}')}\n`;
console.table(outOfFold);
console.log(`${records.length} records, ${Object.keys(file.weights).length} features kept`);
if (values.check) {
  const same = readFileSync(values.out ?? MODEL_PATH, 'utf8') === text;
  console.log(
    same ? 'the model file is what training gives' : 'the model file differs from what training gives',
  );
  process.exit(same ? 0 : 1);
}
writeFileSync(values.out ?? MODEL_PATH, text);
