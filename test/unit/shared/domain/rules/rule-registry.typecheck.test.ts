import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The compiler's own check of the rule registry: a program over the registry and what it imports
// (the domain files only, so it stays fast), with `types.ts` changed in memory.
const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const registryFile = `${root}shared/domain/rules/rule-registry.ts`;
const typesFile = `${root}shared/domain/types.ts`;
const RULE_LINE = "export type Rule = 'R1' | 'R2' | 'R3';";

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(`${root}tsconfig.json`, ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config.config, ts.sys, root).options, noEmit: true };
}

/** Type-checks the registry with `types.ts` replaced by `typesText`; the messages per file. */
function diagnostics(typesText: string): Map<string, string[]> {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    fileName === typesFile
      ? ts.createSourceFile(fileName, typesText, languageVersion, true)
      : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  const program = ts.createProgram({ rootNames: [registryFile], options, host });
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '(global)';
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    byFile.set(file, [...(byFile.get(file) ?? []), message]);
  }
  return byFile;
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
