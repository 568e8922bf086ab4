import { describe, expect, it } from 'vitest';
import { readLocalConfig } from '../../../local/config.js';

describe('the local configuration', () => {
  it('gives the reviewer and viewer tokens dev defaults, and takes them from the environment', () => {
    // Act
    const defaults = readLocalConfig({});
    const given = readLocalConfig({ REVIEWER_TOKEN: 'r-token', VIEWER_TOKEN: 'v-token' });

    // Assess
    expect([defaults.reviewerToken, defaults.viewerToken]).toEqual([
      'local-reviewer-token',
      'local-viewer-token',
    ]);
    expect(defaults.defaulted).toEqual(expect.arrayContaining(['REVIEWER_TOKEN', 'VIEWER_TOKEN']));
    expect([given.reviewerToken, given.viewerToken]).toEqual(['r-token', 'v-token']);
  });

  it('refuses two groups sharing one token, which would make the narrower group an admin', () => {
    // Act
    const read = () => readLocalConfig({ ADMIN_TOKEN: 'same', VIEWER_TOKEN: 'same' });

    // Assess
    expect(read).toThrow('ADMIN_TOKEN, REVIEWER_TOKEN, VIEWER_TOKEN must differ from one another');
  });
});
