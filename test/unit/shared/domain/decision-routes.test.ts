import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const DECISIONS = `${ROOT}shared/domain/decisions.ts`;
const ROUTES = `${ROOT}shared/domain/decision-routes.ts`;

/** Type-checks the routing table and its readers, with `decisions.ts` replaced by `decisionsText`. */
function diagnosticsIn(decisionsText: string): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => (file === DECISIONS ? decisionsText : read(file));
  const roots = [
    ROUTES,
    `${ROOT}shared/adapters/decision-records.ts`,
    `${ROOT}shared/evaluator/side-effects.ts`,
  ];
  const program = ts.createProgram(roots, options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === ROUTES)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('DECISION_ROUTES: the compiler names a decision type without a route', () => {
  it('compiles cleanly as it is', () => {
    // Prepare
    const decisions = readFileSync(DECISIONS, 'utf8');
    // Act
    const diagnostics = diagnosticsIn(decisions);
    // Assess
    expect(diagnostics).toEqual([]);
  }, 60_000);

  it('fails on a new member of Decision until the table routes it', () => {
    // Prepare
    const decisions = readFileSync(DECISIONS, 'utf8').replace(
      'export type Decision =',
      "export type Decision =\n  | { readonly type: 'review.requested'; readonly reviewId: string }",
    );
    // Act
    const diagnostics = diagnosticsIn(decisions);
    // Assess
    expect(diagnostics.some((d) => d.includes("'review.requested'"))).toBe(true);
  }, 60_000);
});
