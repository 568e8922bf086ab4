import { describe, expect, it } from 'vitest';
import { findUrls } from '../../../../shared/classifier/url-signals.js';

/**
 * A hang guard, not a timing assertion: every text here is large enough (about 200 KB) that a
 * quadratic step would take minutes; the linear ones take milliseconds.
 */
const HANG_GUARD_MS = 20_000;
const LARGE = 200_000;

describe('findUrls', () => {
  it('drops the punctuation a sentence puts after a link', () => {
    // Prepare
    const text = 'Log in at (http://paypa1-login.xyz/verify?id=7). Or 1.2.3.4/x, "evil.top/a"!';

    // Act
    const found = findUrls(text);

    // Assess
    expect(found.map((url) => url.written)).toEqual([
      'http://paypa1-login.xyz/verify?id=7',
      '1.2.3.4/x',
      'evil.top/a',
    ]);
    expect(found[0]?.signals).toEqual(['any', 'lookalike', 'suspicious-tld']);
    expect(found[0]?.brand).toBe('paypal');
    expect(found[1]?.signals).toEqual(['any', 'ip-host']);
  });

  it('reads wide and defanged dots after a letter or digit as dots, and not elsewhere', () => {
    // Prepare
    const text = 'evil。xyz/a 。xyz/b login[.]top/c [.]top/d';

    // Act
    const found = findUrls(text);

    // Assess
    expect(found.map((url) => [url.host, url.written])).toEqual([
      ['evil.xyz', 'evil。xyz/a'],
      ['login.top', 'login[.]top/c'],
    ]);
  });

  it(
    'is linear in a path that runs on in punctuation before more of the path',
    () => {
      // Prepare: the end-anchored /[.,;:!?)\]'"]+$/ it once ran on every path retried from each dot.
      const dots = `1.1.1.1/${'.'.repeat(LARGE)}x`;
      const mixed = `see evil.top/${"),;:!?]'.".repeat(LARGE / 9)}x and then`;

      // Act
      const inDots = findUrls(dots);
      const inMixed = findUrls(mixed);

      // Assess (lengths, not the texts: a failure should not print 200 KB)
      expect(inDots.map((url) => url.written.length)).toEqual([dots.length]);
      expect(inMixed.map((url) => [url.start, url.end])).toEqual([[4, mixed.length - ' and then'.length]]);
    },
    HANG_GUARD_MS,
  );

  it(
    'is linear in a link whose path ends in a long run of punctuation, which it drops',
    () => {
      // Prepare
      const text = `1.1.1.1/a${'.'.repeat(LARGE)} rest`;

      // Act
      const found = findUrls(text);

      // Assess
      expect(found.map((url) => url.written)).toEqual(['1.1.1.1/a']);
    },
    HANG_GUARD_MS,
  );

  it(
    'is linear in long runs of wide and defanged dots, partial schemes, labels and slashes',
    () => {
      // Prepare
      const texts = [
        'a。'.repeat(LARGE / 2),
        'a[.]'.repeat(LARGE / 4),
        'http://'.repeat(LARGE / 7),
        `${'a-'.repeat(LARGE / 2)}.`,
        `${'a1.'.repeat(LARGE / 3)}.`,
        '/'.repeat(LARGE),
        `http://${'ab.'.repeat(LARGE / 3)}`,
      ];

      // Act
      const counts = texts.map((text) => findUrls(text).length);

      // Assess
      expect(counts).toEqual([0, 0, 0, 0, 0, 0, 1]);
    },
    HANG_GUARD_MS,
  );
});
