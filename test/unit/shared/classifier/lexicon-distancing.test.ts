import { describe, expect, it } from 'vitest';
import { lexiconEvidenceOf } from '../../../../shared/classifier/classify-text.js';
import { compileLexicon } from '../../../../shared/classifier/compile-lexicon.js';
import { parseLexicon } from '../../../../shared/classifier/lexicon.js';
import { defaultLexicon } from '../../../../shared/classifier/lexicon-classifier.js';
import { invalidLexiconMessage } from '../../../helpers/invalid-lexicon.js';

/** The default lexicon with its distancing cues replaced by `distancing` (unchecked). */
function withDistancing(distancing: unknown): unknown {
  return { ...structuredClone(defaultLexicon), distancing };
}

describe("the lexicon's distancing cues", () => {
  it.each([
    ['not a list', '谨防', /distancing is invalid/],
    ['an empty phrase', ['谨防', ''], /distancing\.1 is invalid/],
    ['a number', [7], /distancing\.0 is invalid/],
  ])('refuses %s, naming it', (_name, distancing, expected) => {
    // Act
    const message = invalidLexiconMessage(() => parseLexicon(withDistancing(distancing)));

    // Assess
    expect(message).toMatch(expected);
  });

  it('refuses a cue of no letters or digits when compiling, naming it', () => {
    // Prepare
    const lexicon = parseLexicon(withDistancing(['谨防', '🎲！']));

    // Act
    const message = invalidLexiconMessage(() => compileLexicon(lexicon, undefined));

    // Assess
    expect(message).toContain('distancing.1 has no letters or digits');
  });

  it('marks a text that holds a cue, however it is written, and only such a text', () => {
    // Prepare
    const read = lexiconEvidenceOf(compileLexicon(defaultLexicon, undefined));

    // Act
    const marked = ['谨防刷单诈骗', '謹防刷單', 'BEWARE of fake reviews', '谨 防 刷单'].map(
      (text) => read(text).distanced,
    );
    const plain = ['招刷单员，日结', 'Fake reviews, paid per order'].map((text) => read(text).distanced);

    // Assess
    expect(marked).toEqual([true, true, true, true]);
    expect(plain).toEqual([false, false]);
  });
});
