import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, typeCheck } from '../../../../helpers/typecheck.js';

// The compiler's own check of the rule registry: a program over the registry and what it imports
// (the domain files only, so it stays fast), with `types.ts` changed in memory.
const root = REPO_ROOT;
const registryFile = `${root}shared/domain/rules/rule-registry.ts`;
const typesFile = `${root}shared/domain/types.ts`;
const RULE_LINE = "export type Rule = 'R1' | 'R2' | 'R3';";

/** Type-checks the registry with `types.ts` replaced by `typesText`; the messages per file. */
function diagnostics(typesText: string): Map<string, string[]> {
  return typeCheck([registryFile], new Map([[typesFile, typesText]]));
}

describe('the rule registry, as the compiler sees it', () => {
  const types = readFileSync(typesFile, 'utf8');

  it('compiles as it is', () => {
    // Prepare
    expect(types).toContain(RULE_LINE);

    // Act
    const byFile = diagnostics(types);

    // Assess
    expect(byFile.get(registryFile)).toBeUndefined();
    expect(byFile.get(typesFile)).toBeUndefined();
  }, 60_000);

  it('refuses a rule added to Rule without its module, naming the missing rule', () => {
    // Prepare
    const withR4 = types.replace(RULE_LINE, "export type Rule = 'R1' | 'R2' | 'R3' | 'R4';");

    // Act
    const byFile = diagnostics(withR4);

    // Assess
    const messages = byFile.get(registryFile) ?? [];
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toMatch(/'R4'/);
  }, 60_000);
});
