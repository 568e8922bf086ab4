import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type CrossValidation,
  chooseFireAt,
  type Evidence,
  FIRE_AT_CANDIDATES,
  fusedScore,
  LEXICON_CAP,
} from '../../../../scripts/classifier-fusion.js';
import {
  DEFAULT_TRAINING,
  modelFile,
  priorOf,
  type TrainedModel,
  type TrainingRecord,
  train,
  withoutSharedHashes,
} from '../../../../scripts/classifier-training.js';
import { LEXICON_REACH, MODEL_VETO } from '../../../../shared/classifier/fusion.js';
import { createModel } from '../../../../shared/classifier/model.js';
import { hashOfKey } from '../../../../shared/classifier/model-features.js';
import { parseModel } from '../../../../shared/classifier/model-file.js';
import { normalizeForMatching } from '../../../../shared/classifier/normalize.js';
import { CONTENT_CATEGORIES, type ContentCategory } from '../../../../shared/domain/classification.js';

const K = CONTENT_CATEGORIES.length;
const GAMBLING = CONTENT_CATEGORIES.indexOf('gambling');
const FRAUD = CONTENT_CATEGORIES.indexOf('fraud');

const openers = [
  '大家好',
  '兄弟们',
  '各位',
  '老板',
  '朋友们',
  '亲',
  'Hi all',
  '喂',
  '注意',
  '今天',
  '晚上',
  '周末',
];
const closers = [
  '快来',
  '私聊我',
  '速度',
  '名额有限',
  '不见不散',
  '谢谢',
  '等你',
  '回复1',
  '看群公告',
  '老地方',
];

/** A small labeled set: gambling and fraud templates among ordinary chat. */
function syntheticRecords(): TrainingRecord[] {
  const records: TrainingRecord[] = [];
  openers.forEach((opener, i) => {
    const closer = closers[i % closers.length] as string;
    records.push({ text: `${opener}，线上赌场今晚开局，下注就送彩金，${closer}`, labels: ['gambling'] });
    records.push({ text: `${opener}，投资稳赚不赔，一个月翻倍回报，${closer}`, labels: ['fraud'] });
    records.push({ text: `${opener}，明天下午三点开会，记得带材料，${closer}`, labels: [] });
    records.push({ text: `${opener}，周五团建去爬山，中午一起吃饭，${closer}`, labels: [] });
    records.push({ text: `${opener}，新版本已经发布，请大家更新一下，${closer}`, labels: [] });
  });
  return records;
}

const neutralFusion = {
  lexiconCap: LEXICON_CAP,
  lexicon: new Array<number>(K).fill(0),
  distanced: new Array<number>(K).fill(0),
  model: new Array<number>(K).fill(1),
  rival: new Array<number>(K).fill(0),
  bias: new Array<number>(K).fill(0),
  fireAt: new Array<number>(K).fill(0),
};

/** Per record, the logit of category c under a trained model. */
function logitsOf(trained: TrainedModel, records: readonly TrainingRecord[], c: number): number[] {
  const model = createModel(modelFile(trained, 'test', {}, neutralFusion));
  return records.map((record) => model.score(record.text, normalizeForMatching(record.text))[c] as number);
}

/** Whether every record labeled `category` scores above every record that is not. */
function separates(trained: TrainedModel, records: readonly TrainingRecord[], category: ContentCategory) {
  const logits = logitsOf(trained, records, CONTENT_CATEGORIES.indexOf(category));
  const positive = logits.filter((_, r) => (records[r] as TrainingRecord).labels.includes(category));
  const negative = logits.filter((_, r) => !(records[r] as TrainingRecord).labels.includes(category));
  return positive.length > 0 && Math.min(...positive) > Math.max(...negative);
}

describe('train', () => {
  it('trains the same model twice from the same records and options', () => {
    // Prepare
    const records = syntheticRecords();

    // Act
    const first = train(records);
    const second = train(records);

    // Assess
    expect(second).toEqual(first);
    expect(first.categories).toEqual([...CONTENT_CATEGORIES]);
    expect(first.weights.size).toBeGreaterThan(0);
  });

  it('separates the categories of the set it was trained on', () => {
    // Prepare
    const records = syntheticRecords();

    // Act
    const trained = train(records);

    // Assess
    expect(separates(trained, records, 'gambling')).toBe(true);
    expect(separates(trained, records, 'fraud')).toBe(true);
    expect(logitsOf(trained, [{ text: '线上赌场下注送彩金', labels: [] }], GAMBLING)[0]).toBeGreaterThan(0);
  });

  it('still separates the set from another seed', () => {
    // Prepare
    const records = syntheticRecords();

    // Act
    const trained = train(records, { ...DEFAULT_TRAINING, seed: 7 });

    // Assess
    expect(separates(trained, records, 'gambling')).toBe(true);
    expect(separates(trained, records, 'fraud')).toBe(true);
  });

  it("keeps each category's bias at its weighted prior", () => {
    // Prepare
    const records = syntheticRecords();

    // Act
    const trained = train(records);

    // Assess
    expect(trained.bias[GAMBLING]).toBeCloseTo(priorOf(records, 'gambling'), 2);
    expect(trained.bias[GAMBLING]).toBeCloseTo(Math.log((3 * 12) / 48), 2);
  });

  it('writes a model file that validates, keys sorted', () => {
    // Prepare
    const trained = train(syntheticRecords());

    // Act
    const file = modelFile(trained, 'model-test', { records: 60 }, neutralFusion);

    // Assess
    expect(parseModel(JSON.parse(JSON.stringify(file)))).toEqual(file);
    const keys = file.features.split('\n');
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(trained.weights.size);
  });
});

describe('withoutSharedHashes', () => {
  it('leaves out both keys of a pair that share a hash, and keeps the rest in order', () => {
    // Prepare: two bigram keys of common characters with one 32-bit hash (model-7's trigrams met
    // such a pair in the training data, g:一般0 and g:致癌的).
    const pair = ['g:所荣', 'g:训屠'];
    expect(hashOfKey(pair[0] as string)).toBe(hashOfKey(pair[1] as string));

    // Act
    const kept = withoutSharedHashes(['g:一般', ...pair, 'g:赌博']);

    // Assess
    expect(kept).toEqual(['g:一般', 'g:赌博']);
  });

  it('refuses a key without a kind', () => {
    expect(() => withoutSharedHashes(['赌博'])).toThrow(/no kind/);
  });
});

describe('chooseFireAt', () => {
  /**
   * Records labeled gambling (or not), each with its stacked gambling logit (others at -5) and,
   * when `lexicon` is set, that lexicon score for gambling with the model's logit at its prior.
   */
  function validation(points: Array<[boolean, number, number?]>): [TrainingRecord[], CrossValidation] {
    const records = points.map(
      ([labeled]): TrainingRecord => ({ text: '', labels: labeled ? ['gambling'] : [] }),
    );
    const prior = priorOf(records, 'gambling');
    const stacked = points.map(([, logit]) => {
      const row = new Float64Array(K).fill(-5);
      row[GAMBLING] = logit;
      return row;
    });
    const evidence = points.map(([, , lexicon = 0]): Evidence => {
      const row = (value: number) =>
        Float64Array.from({ length: K }, (_, c) => (c === GAMBLING ? value : -5));
      return { lexicon: row(lexicon), distanced: false, model: row(prior), sentence: row(prior), units: 40 };
    });
    return [records, { evidence, stacked, modelWeight: stacked.map(() => new Float64Array(K).fill(1)) }];
  }

  it('picks the lowest candidate whose hits reach the precision', () => {
    // Prepare: 19 right and 2 wrong above 0.75; only the right ones at 1.
    const points: Array<[boolean, number]> = [
      ...Array.from({ length: 19 }, (): [boolean, number] => [true, 1.2]),
      [false, 0.9],
      [false, 0.8],
      ...Array.from({ length: 20 }, (): [boolean, number] => [false, -1]),
    ];

    // Act
    const fireAt = chooseFireAt(...validation(points));

    // Assess
    expect(fireAt[GAMBLING]).toBe(1);
  });

  it('picks the lowest candidate when its precision is exactly enough', () => {
    // Prepare: 97 right and 3 wrong: 0.97.
    const points: Array<[boolean, number]> = [
      ...Array.from({ length: 97 }, (): [boolean, number] => [true, 0.1]),
      [false, 0.1],
      [false, 0.1],
      [false, 0.1],
      [false, -0.1],
    ];

    // Act
    const fireAt = chooseFireAt(...validation(points));

    // Assess
    expect(fireAt[GAMBLING]).toBe(0);
  });

  it("counts the lexicon's own hits that stand just below a candidate among its hits", () => {
    // Prepare: 60 right (30 at 1.2, 30 at 2.1) and 2 wrong hits of the lexicon's own at 0.6, which
    // stand below every candidate up to 0.6 + LEXICON_REACH.
    const points: Array<[boolean, number, number?]> = [
      ...Array.from({ length: 30 }, (): [boolean, number] => [true, 1.2]),
      ...Array.from({ length: 30 }, (): [boolean, number] => [true, 2.1]),
      [false, 0.6, 1.5],
      [false, 0.6, 1.5],
    ];

    // Act
    const fireAt = chooseFireAt(...validation(points));

    // Assess: at 1 the stacked logits alone are all right, but the two wrong hits stand beside
    // them (60 of 62, 0.968); past 1.6 they no longer do.
    expect(LEXICON_REACH).toBe(1);
    expect(fireAt[GAMBLING]).toBe(1.75);
  });

  it('falls back to the highest candidate for a category with no hits', () => {
    // Act
    const fireAt = chooseFireAt(...validation([[true, -1]]));

    // Assess
    expect(fireAt[FRAUD]).toBe(FIRE_AT_CANDIDATES.at(-1));
    expect(fireAt).toHaveLength(K);
  });
});

describe('fusedScore', () => {
  const prior = -1.8;
  /** Evidence with the lexicon's score and the model's logit for category 0. */
  function evidence(lexicon: number, model: number, distanced = false, sentence = model): Evidence {
    const row = (value: number) => Float64Array.from({ length: K }, (_, c) => (c === 0 ? value : 0));
    return { lexicon: row(lexicon), distanced, model: row(model), sentence: row(sentence), units: 40 };
  }

  it('scores 1 at fireAt and one more per 2 of stacked logit above', () => {
    // Act
    const scores = [
      fusedScore(1, evidence(0, 0), 0, 1, prior, 1),
      fusedScore(3, evidence(0, 0), 0, 1, prior, 1),
    ];

    // Assess
    expect(scores).toEqual([1, 2]);
  });

  it("lets the lexicon's own hit stand at 1 below fireAt", () => {
    // Act
    const atPrior = fusedScore(0, evidence(1, prior), 0, 1, prior, 1);
    const slightlyBelow = fusedScore(0, evidence(1.5, prior - MODEL_VETO + 0.01), 0, 1, prior, 1);
    const noLexiconHit = fusedScore(0, evidence(0.9, prior), 0, 1, prior, 1);

    // Assess
    expect(atPrior).toBe(1);
    expect(slightlyBelow).toBe(1);
    expect(noLexiconHit).toBe(Number.NEGATIVE_INFINITY);
  });

  it('drops a lexicon hit below fireAt when a distancing cue argues against it', () => {
    // Act
    const score = fusedScore(0, evidence(2, prior, true), 0, 1, prior, 1);

    // Assess
    expect(score).toBe(Number.NEGATIVE_INFINITY);
  });

  it("drops a lexicon hit below fireAt when the model's logit falls more than MODEL_VETO below the prior", () => {
    // Act
    const score = fusedScore(0, evidence(2, prior - MODEL_VETO - 0.01), 0, 1, prior, 1);

    // Assess
    expect(score).toBe(Number.NEGATIVE_INFINITY);
  });

  it('keeps a lexicon hit when one sentence of the text supports it, however the whole text scores', () => {
    // Act
    const score = fusedScore(0, evidence(2, prior - MODEL_VETO - 3, false, prior + 1), 0, 1, prior, 1);

    // Assess
    expect(score).toBe(1);
  });

  it('fires above fireAt whatever the cue or the model says', () => {
    // Act
    const score = fusedScore(2, evidence(2, prior - 5, true), 0, 1, prior, 1);

    // Assess
    expect(score).toBe(1.5);
  });
});

describe('npm run train-classifier -- --check', () => {
  it('finds the committed model to be what training gives', { timeout: 200_000 }, async () => {
    // Prepare
    const root = fileURLToPath(new URL('../../../../', import.meta.url));

    // Act
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/train-classifier.ts', '--check'], {
      cwd: root,
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });

    // Assess (execFile rejects on a non-zero exit)
    expect(stdout).toContain('the model file is what training gives');
  });
});
