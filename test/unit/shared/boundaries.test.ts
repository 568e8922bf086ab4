import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The areas of shared/ and which other areas each may import. The list is the architecture: a new
// arrow here is a design decision, made in review, not a side effect of an import.
// The files at the root of shared/ (the HTTP-facing errors, parseWith) may be imported by all.
const AREA_DEPENDENCIES = {
  contract: [],
  domain: ['contract'],
  wecom: ['contract'],
  classifier: ['domain'],
  config: ['domain', 'wecom'],
  adapters: ['config', 'domain'],
  http: ['config'],
  ingest: ['adapters', 'config', 'domain', 'http', 'wecom'],
  evaluator: ['adapters', 'classifier', 'config', 'domain'],
  console: ['config'],
  admin: ['adapters', 'classifier', 'config', 'console', 'contract', 'domain', 'evaluator', 'http'],
} as const satisfies Record<string, readonly string[]>;
type Area = keyof typeof AREA_DEPENDENCIES;

// Packages an area may import, where the area is meant to stay free of I/O.
// The domain hashes ids (node:crypto's hash is deterministic), it never draws random ones.
const PACKAGE_ALLOWLIST: Partial<Record<Area, readonly string[]>> = {
  contract: [],
  domain: ['zod/mini', 'node:crypto'],
  wecom: ['zod/mini', 'saxes', 'node:crypto'],
  // The classifier reads one file, its image (the lexicon compiled and the model), beside its code at
  // load (default-classifier.ts): inlined into the bundle as code, its megabyte would be compiled
  // more slowly than it is read; the lexicon-only tools read the model file the same way.
  classifier: ['zod/mini', 'node:fs'],
  // The console's static files are served by Lambda code: never the bundler that builds them.
  console: ['node:fs/promises', 'node:path'],
};

// Production code: everything that is bundled into a Lambda or run by `npm start`.
const PRODUCTION_ROOTS = ['shared', 'functions', 'local', 'infra'] as const;

interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly why: string;
}

function isArea(name: string): name is Area {
  return Object.hasOwn(AREA_DEPENDENCIES, name);
}

/** The area of a repository path under shared/, or undefined for anything else. */
function areaOf(file: string): Area | 'root' | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'shared') return undefined;
  if (parts.length === 2) return 'root';
  const name = parts[1] ?? '';
  return isArea(name) ? name : undefined;
}

/** The import rules, checked on one file's text; `file` is its repository path. */
function boundaryViolations(file: string, text: string): Violation[] {
  const found: Violation[] = [];
  const from = areaOf(file);
  for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!specifier.startsWith('.')) {
      const allowed = from && from !== 'root' ? PACKAGE_ALLOWLIST[from] : undefined;
      if (allowed && !allowed.includes(specifier)) {
        found.push({ file, specifier, why: `shared/${from} may import only ${allowed.join(', ')}` });
      }
      continue;
    }
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    const to = areaOf(target);
    if (to === undefined || to === 'root' || to === from) {
      if (to !== undefined && to === from && target === `shared/${to}/index.js`) {
        found.push({
          file,
          specifier,
          why: 'a file imports its own area by path, never through its index (cycles)',
        });
      }
      continue;
    }
    if (target !== `shared/${to}/index.js`) {
      found.push({
        file,
        specifier,
        why: `outside shared/${to}, import its public surface shared/${to}/index.js`,
      });
    }
    if (from !== undefined && from !== 'root' && !(AREA_DEPENDENCIES[from] as readonly Area[]).includes(to)) {
      found.push({ file, specifier, why: `shared/${from} may not depend on shared/${to}` });
    }
  }
  return found;
}

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.posix.join(path.relative('.', e.parentPath).split(path.sep).join('/'), e.name));
}

describe('module boundaries', () => {
  it('every production import keeps the area rules', () => {
    // Prepare
    const files = PRODUCTION_ROOTS.flatMap(productionFiles);

    // Act
    const violations = files.flatMap((file) => boundaryViolations(file, readFileSync(file, 'utf8')));

    // Assess
    expect(files.length).toBeGreaterThan(100);
    expect(violations).toEqual([]);
  });

  it('every area has a public surface', () => {
    for (const area of Object.keys(AREA_DEPENDENCIES)) {
      expect(productionFiles(`shared/${area}`)).toContain(`shared/${area}/index.ts`);
    }
  });

  it('refuses an SDK in the domain, penalties in wecom, and a path past a public surface', () => {
    // Prepare
    const domain = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';";
    const wecom = "import { decide } from '../domain/index.js';";
    const handler = "import { decide } from '../../shared/domain/decide.js';";
    const ownIndex = "import { decide } from './index.js';";

    // Act
    const found = [
      ...boundaryViolations('shared/domain/decide.ts', domain),
      ...boundaryViolations('shared/wecom/events.ts', wecom),
      ...boundaryViolations('functions/penalty-evaluator/handler.ts', handler),
      ...boundaryViolations('shared/domain/views.ts', ownIndex),
    ];

    // Assess
    expect(found.map((v) => v.why)).toEqual([
      'shared/domain may import only zod/mini, node:crypto',
      'shared/wecom may not depend on shared/domain',
      'outside shared/domain, import its public surface shared/domain/index.js',
      'a file imports its own area by path, never through its index (cycles)',
    ]);
  });
});
