// PLACEHOLDER, to be replaced at merge by the "ui" helper's console/build.ts (esbuild, the real app).
// It exists only so that the admin function's bundling hook (console/write-console-cli.ts) runs on this
// branch; it has the same exports and writes the same kind of files: a script, a style, manifest.json.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One file of the built console. */
export interface ConsoleFile {
  readonly name: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** The built console: content-hashed script and style, and `manifest.json` naming them. */
export interface ConsoleBuild {
  readonly files: readonly ConsoleFile[];
}

function hashed(stem: string, extension: string, body: Buffer): string {
  return `${stem}-${createHash('sha256').update(body).digest('hex').slice(0, 10)}.${extension}`;
}

/** An empty console (placeholder of the real build). */
export async function buildConsole(): Promise<ConsoleBuild> {
  const scriptBody = Buffer.from('export {};\n');
  const styleBody = Buffer.from('\n');
  const script = hashed('app', 'js', scriptBody);
  const style = hashed('app', 'css', styleBody);
  return {
    files: [
      { name: script, contentType: 'text/javascript; charset=utf-8', body: scriptBody },
      { name: style, contentType: 'text/css; charset=utf-8', body: styleBody },
      {
        name: 'manifest.json',
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify({ script, style })),
      },
    ],
  };
}

/** Builds the console and writes its files into `dir` (the admin function's `console/` directory). */
export async function writeConsole(dir: string): Promise<ConsoleBuild> {
  const built = await buildConsole();
  await mkdir(dir, { recursive: true });
  await Promise.all(built.files.map((file) => writeFile(join(dir, file.name), file.body)));
  return built;
}
