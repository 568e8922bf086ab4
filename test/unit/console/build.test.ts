import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildConsole, type ConsoleBuild } from '../../../console/build.js';
import { consoleAssetsFromBuild, consoleIndexHtml } from '../../../shared/console/index.js';

let built: ConsoleBuild;

beforeAll(async () => {
  built = await buildConsole();
});

describe('the console build', () => {
  it('is under 100 KB gzip in all', () => {
    // Act
    const gzipped = built.files.reduce((sum, file) => sum + gzipSync(file.body, { level: 9 }).length, 0);

    // Assess
    expect(gzipped).toBeLessThan(100 * 1024);
  });

  it('names its script and style by their content, and the manifest names them', () => {
    // Act
    const names = built.files.map((file) => file.name);
    const manifest = JSON.parse(
      built.files.find((file) => file.name === 'manifest.json')?.body.toString('utf8') ?? '{}',
    ) as { script?: string; style?: string };

    // Assess
    expect(names).toEqual([
      expect.stringMatching(/^app-[0-9a-f]{10}\.js$/),
      expect.stringMatching(/^app-[0-9a-f]{10}\.css$/),
      'manifest.json',
    ]);
    expect([manifest.script, manifest.style]).toEqual(names.slice(0, 2));
  });

  it('has no inline script: the page loads only its files by src and href', () => {
    // Prepare
    const index = consoleIndexHtml(consoleAssetsFromBuild(built));

    // Act
    const scripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];

    // Assess
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).toMatch(/src="\/console\/assets\/app-[0-9a-f]{10}\.js"/);
    expect(scripts[0]?.[2]).toBe('');
    expect(index).not.toMatch(/<style|\son[a-z]+=/i);
    for (const file of built.files) expect(file.body.toString('utf8')).not.toMatch(/<script(?![^>]*\bsrc=)/i);
  });

  it('builds the same names from the same sources', async () => {
    // Act
    const again = await buildConsole();

    // Assess
    expect(again.files.map((file) => file.name)).toEqual(built.files.map((file) => file.name));
  });
});
