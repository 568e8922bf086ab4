import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository's root folder, as the compiler names files (with a trailing slash). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The compiler's messages, per file, for a program over `roots` with the project's tsconfig, where
 * the files named in `replaced` read as the text given instead of what is on disk: how a test shows
 * that a change to the sources (a new rule, a new decision type) fails to compile, and where.
 */
export function typeCheck(
  roots: readonly string[],
  replaced: ReadonlyMap<string, string>,
): Map<string, string[]> {
  const config = ts.readConfigFile(`${REPO_ROOT}tsconfig.json`, ts.sys.readFile);
  const options = {
    ...ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT).options,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (file) => replaced.get(file) ?? read(file);
  const program = ts.createProgram(roots, options, host);
  const byFile = new Map<string, string[]>();
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file?.fileName ?? '(global)';
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    byFile.set(file, [...(byFile.get(file) ?? []), message]);
  }
  return byFile;
}
