import { describe, expect, it } from 'vitest';
import urlSignalListsJson from '../../../../shared/classifier/data/url-signals.json' with { type: 'json' };
import { InvalidLexiconError } from '../../../../shared/classifier/errors.js';
import { parseUrlSignalLists, URL_SIGNAL_LISTS } from '../../../../shared/classifier/url-signal-lists.js';
import { findUrls } from '../../../../shared/classifier/url-signals.js';

describe('the link signals read their lists from versioned data', () => {
  it('ships a versioned list that the signals use', () => {
    // Prepare
    const version = URL_SIGNAL_LISTS.version;

    // Act
    const [shortened] = findUrls('see t.cn/abc');
    const [official] = findUrls('see https://icbc.com.cn/login');

    // Assess
    expect(version).toBe('url-signals-1');
    expect(shortened?.signals).toContain('shortener');
    expect(official?.signals).not.toContain('lookalike');
  });

  it.each([
    ['an unknown field', { ...urlSignalListsJson, extra: [] }],
    ['a host with a space', { ...urlSignalListsJson, shorteners: ['bit ly'] }],
    ['a brand with no domain', { ...urlSignalListsJson, brands: { wechat: [] } }],
    ['no version', { ...urlSignalListsJson, version: '' }],
  ])('refuses %s with a typed error', (_name, json) => {
    expect(() => parseUrlSignalLists(json)).toThrow(InvalidLexiconError);
  });
});
