import { describe, expect, it } from 'vitest';
import { createModel, modelOf, WINDOW } from '../../../../shared/classifier/model.js';
import { hashOfKey } from '../../../../shared/classifier/model-features.js';
import { encodeWeights, type ModelData, parseModel } from '../../../../shared/classifier/model-file.js';
import { lookupTables, STRIDE } from '../../../../shared/classifier/model-tables.js';
import { normalizeForMatching } from '../../../../shared/classifier/normalize.js';
import { invalidLexiconMessage } from '../../../helpers/invalid-lexicon.js';

/** A hand-made model file of one or two categories, with `weights` per feature key. */
function modelJson(
  weights: Record<string, number[]>,
  categories: string[] = ['gambling'],
  bias: number[] = categories.map(() => -2),
): Record<string, unknown> & { fusion: Record<string, unknown> } {
  const each = (value: number) => categories.map(() => value);
  return {
    version: 'test-model',
    categories,
    bias,
    ...encodeWeights(new Map(Object.entries(weights))),
    fusion: {
      lexiconCap: 3,
      lexicon: each(1),
      distanced: each(0),
      rival: each(0),
      model: each(1),
      bias: each(0),
      fireAt: each(0),
    },
  };
}

/** Each category's logit for a text under a model file. */
function scores(json: unknown, text: string): number[] {
  return Array.from(createModel(json).score(text, normalizeForMatching(text)));
}

/** The evidence a model quotes for its first category, after scoring the text. */
function evidenceOf(json: unknown, text: string): string[] {
  const model = createModel(json);
  const folded = normalizeForMatching(text);
  model.score(text, folded);
  return model.evidence(text, folded, 0);
}

describe('parseModel', () => {
  it('accepts a well-formed model file as it is', () => {
    // Prepare
    const json = modelJson({ 'w:casino': [2], 's:🎲': [1] });

    // Act
    const parsed: ModelData = parseModel(json);

    // Assess
    expect(parsed).toEqual(json);
  });

  it('refuses each malformed model, naming the problem', () => {
    // Prepare
    const fine = () => modelJson({ 'w:casino': [2, 0] }, ['gambling', 'fraud']);
    const fusion = fine().fusion;
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ categories: ['gambling', 'gambling'] }, /categories repeat/],
      [{ categories: ['gambling', 'nonsense'] }, /categories\.1 is invalid/],
      [{ version: '' }, /version is invalid/],
      [{ extra: 1 }, /extra is not a known field/],
      [encodeWeights(new Map([['w:casino', [2]]])), /weights need 2 per feature \(4 bytes\)/],
      [{ bias: [-2] }, /modelBias needs one number per category/],
      [{ fusion: { ...fusion, fireAt: [0] } }, /fireAt needs one number per category/],
      [{ fusion: { ...fusion, lexiconCap: 0 } }, /fusion\.lexiconCap is invalid/],
      [encodeWeights(new Map([['x:casino', [1, 0]]])), /feature key x:casino has no kind/],
      [encodeWeights(new Map([['g:赌博赌博', [1, 0]]])), /feature key g:赌博赌博 has no kind/],
    ];

    // Act
    const messages = cases.map(([change]) =>
      invalidLexiconMessage(() => parseModel({ ...fine(), ...change })),
    );

    // Assess
    expect(messages).toHaveLength(cases.length);
    for (const [index, [, expected]] of cases.entries()) expect(messages[index]).toMatch(expected);
    expect(() => parseModel(fine())).not.toThrow();
  });

  it('refuses two feature keys of one hash when building the model', () => {
    // Prepare: two word keys found to share their 32-bit hash.
    const json = modelJson({ 'w:36vu': [1], 'w:ayea': [2] });
    expect(hashOfKey('w:36vu')).toBe(hashOfKey('w:ayea'));

    // Act
    const message = invalidLexiconMessage(() => createModel(json));

    // Assess
    expect(message).toMatch(/feature w:ayea collides with another/);
  });

  it('refuses lookup tables that do not fit the model (as a classifier image might hold them)', () => {
    // Prepare: the tables of a two-feature model, and variants of them cut or padded wrongly.
    const json = modelJson({ 'g:赌': [2], 'w:casino': [1] });
    const head = parseModel(json);
    const { rows, slots } = lookupTables(1, {
      hashes: Int32Array.from(['g:赌', 'w:casino'], (key) => hashOfKey(key) as number),
      rows: Int16Array.of(200, 100),
    });
    expect(rows).toHaveLength(2 * STRIDE);
    const cases = [
      { rows: rows.subarray(0, STRIDE + 3), slots },
      { rows, slots: slots.subarray(0, 4) },
      { rows, slots: new Int32Array(24) },
    ];

    // Act + Assess
    for (const tables of cases) {
      expect(invalidLexiconMessage(() => modelOf(head, tables))).toMatch(/lookup tables do not fit/);
    }
    const text = '赌 casino';
    expect(Array.from(modelOf(head, { rows, slots }).score(text, normalizeForMatching(text)))).toEqual(
      scores(json, text),
    );
    expect(scores(json, text)).toEqual([-2 + 2 + 1]);
  });
});

describe('Model.score', () => {
  it('scores a text as the bias plus the weights of the features it holds', () => {
    // Prepare
    const json = modelJson(
      { 'w:casino': [3, 0], 'g:赌博': [2, -1], 's:🎲': [0.5, 0] },
      ['gambling', 'fraud'],
      [-2, -1],
    );

    // Act
    const both = scores(json, '来赌博，casino 🎲');
    const word = scores(json, 'Casino tonight');
    const none = scores(json, '明天开会');

    // Assess
    expect(both).toEqual([-2 + 3 + 2 + 0.5, -1 - 1]);
    expect(word).toEqual([1, -1]);
    expect(none).toEqual([-2, -1]);
  });

  it('counts a feature once, however often the text repeats it', () => {
    // Prepare
    const json = modelJson({ 'w:casino': [3], 'g:赌博': [2] });

    // Act
    const once = scores(json, 'casino 赌博');
    const repeated = scores(json, 'casino casino CASINO 赌博赌博赌博');

    // Assess
    expect(repeated).toEqual(once);
    expect(once).toEqual([3]);
  });

  it('scores a violating sentence after a long benign text as it scores alone', () => {
    // Prepare: the benign sentences argue against the category, and are longer than a window.
    const json = modelJson({ 'g:赌博': [3], 'w:casino': [2], 'g:天气': [-1] });
    const benign = '今天天气很好，我们去公园散步。'.repeat(20);
    const violating = '来玩赌博casino吧！';
    expect(normalizeForMatching(benign).text.length).toBeGreaterThan(WINDOW);

    // Act
    const alone = scores(json, violating);
    const after = scores(json, benign + violating);
    const benignAlone = scores(json, benign);

    // Assess
    expect(alone).toEqual([3]);
    expect(after).toEqual(alone);
    expect(benignAlone).toEqual([-3]);
  });

  it('scores a violating sentence before a long benign text as it scores alone', () => {
    // Prepare
    const json = modelJson({ 'g:赌博': [3], 'w:casino': [2], 'g:天气': [-1] });
    const benign = '今天天气很好，我们去公园散步。'.repeat(20);
    const violating = '来玩赌博casino吧！';

    // Act
    const before = scores(json, violating + benign);
    const between = scores(json, benign + violating + benign);

    // Assess
    expect(before).toEqual(scores(json, violating));
    expect(between).toEqual(scores(json, violating));
  });

  it('scores a sentence longer than a window by its best window, words a window apart never together', () => {
    // Prepare: one sentence of no break, 赌博 at its start and casino more than a window later.
    const json = modelJson({ 'g:赌博': [3], 'w:casino': [2] });
    const filler = '的'.repeat(WINDOW + 20);
    const apart = `赌博${filler}casino`;
    const together = `${filler}赌博 casino${filler}`;

    // Act
    const apartScore = scores(json, apart);
    const togetherScore = scores(json, together);

    // Assess
    expect(apartScore).toEqual([1]);
    expect(togetherScore).toEqual([3]);
  });

  it('counts a symbol in the sentence it stands in, in a long text', () => {
    // Prepare
    const json = modelJson({ 's:🎲': [2], 'w:casino': [2] });
    const benign = '今天天气很好，我们去公园散步。'.repeat(20);

    // Act
    const sameSentence = scores(json, `${benign}casino 🎲 tonight!${benign}`);
    const otherSentences = scores(json, `${benign}casino tonight! ${benign}🎲 ok!`);

    // Assess
    expect(sameSentence).toEqual([2]);
    expect(otherSentences).toEqual([0]);
  });

  it('scores a text of at most a window whole, benign words and all', () => {
    // Prepare
    const json = modelJson({ 'g:赌博': [3], 'w:casino': [2], 'g:天气': [-1] });
    const text = '今天天气很好。来玩赌博casino吧！';

    // Act
    const whole = scores(json, text);

    // Assess
    expect(whole).toEqual([2]);
  });
});

describe('Model.evidence', () => {
  it('quotes the whole word a heavy prefix lies in, as the original text writes it', () => {
    // Prepare
    const json = modelJson({ 'x:casin': [2] });

    // Act
    const quoted = evidenceOf(json, 'Join our Casino tonight');
    const dotted = evidenceOf(json, 'Join our C.A.S.I.N.O tonight');

    // Assess
    expect(quoted).toEqual(['Casino']);
    expect(dotted).toEqual(['C.A.S.I.N.O']);
  });

  it('quotes first what sets the category apart, before words that weigh for others as much', () => {
    // Prepare: "to", "me" and "next" weigh most for violence, but as much for fraud.
    const json = modelJson(
      { 'w:to': [1, 0.9], 'w:me': [1, 0.9], 'w:next': [1, 0.9], 'w:stab': [0.6, -1], 'w:swear': [0.5, 0] },
      ['violence', 'fraud'],
    );

    // Act
    const quoted = evidenceOf(json, "I swear I'll stab him next time he talks to me");

    // Assess: three spans at most, in text order.
    expect(quoted).toHaveLength(3);
    expect(quoted.slice(0, 2)).toEqual(['swear', 'stab']);
  });

  it('quotes a symbol as itself, and Chinese as written', () => {
    // Prepare
    const json = modelJson({ 's:🎲': [1], 'g:赌博': [2] });
    const text = '今晚🎲，賭博走起';

    // Act
    const quoted = evidenceOf(json, text);

    // Assess
    expect(quoted).toEqual(['🎲', '賭博']);
  });

  it('quotes only the best sentence of a long text', () => {
    // Prepare
    const json = modelJson({ 'g:赌博': [1], 'w:casino': [2], 's:🎲': [2] });
    const benign = '今天天气很好，我们去公园散步。'.repeat(20);

    // Act
    const quoted = evidenceOf(json, `赌博一下吧！${benign}来玩 casino 🎲 吧！${benign}`);

    // Assess
    expect(quoted).toEqual(['casino', '🎲']);
  });

  it('quotes only features that weigh for the category, at most three spans', () => {
    // Prepare
    const json = modelJson({
      'w:casino': [3],
      'w:poker': [2],
      'w:dice': [1],
      'w:slots': [0.5],
      'w:hello': [-1],
    });

    // Act
    const quoted = evidenceOf(json, 'hello casino poker dice slots');

    // Assess
    expect(quoted).toEqual(['casino', 'poker', 'dice']);
  });

  it('cuts a quote to 48 units, never inside a surrogate pair', () => {
    // Prepare
    const json = modelJson({ 'x:casin': [2], 's:🎲': [1] });
    const long = `casino${'x'.repeat(60)}`;

    // Act
    const quoted = evidenceOf(json, `play ${long} now`);
    const symbol = evidenceOf(json, `${'赌'.repeat(10)}🎲`);

    // Assess
    expect(quoted).toHaveLength(1);
    expect(quoted[0]?.startsWith('casino')).toBe(true);
    expect(long.startsWith(quoted[0] ?? '-')).toBe(true);
    expect(symbol).toEqual(['🎲']);
    for (const span of [...quoted, ...symbol]) expect(span.length).toBeLessThanOrEqual(48);
  });
});
