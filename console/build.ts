import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

const ENTRY = fileURLToPath(new URL('./src/main.ts', import.meta.url));

function hashed(stem: string, extension: string, body: Buffer): string {
  return `${stem}-${createHash('sha256').update(body).digest('hex').slice(0, 10)}.${extension}`;
}

/**
 * Bundles the console with esbuild (minified ESM for es2022, the CSS in its own file), in memory.
 * esbuild is a devDependency: only the build (local mode, CDK bundling, tests) imports this file.
 */
export async function buildConsole(): Promise<ConsoleBuild> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: 'out',
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const style = result.outputFiles.find((file) => file.path.endsWith('.css'));
  if (!script || !style) throw new Error('the console build made no script or no style');
  const scriptBody = Buffer.from(script.contents);
  const styleBody = Buffer.from(style.contents);
  const scriptName = hashed('app', 'js', scriptBody);
  const styleName = hashed('app', 'css', styleBody);
  return {
    files: [
      { name: scriptName, contentType: 'text/javascript; charset=utf-8', body: scriptBody },
      { name: styleName, contentType: 'text/css; charset=utf-8', body: styleBody },
      {
        name: 'manifest.json',
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify({ script: scriptName, style: styleName })),
      },
    ],
  };
}

/** Builds the console and writes its files into `dir` (the admin function's `console/` directory). */
export async function writeConsole(dir: string): Promise<ConsoleBuild> {
  const built = await buildConsole();
  await mkdir(dir, { recursive: true });
  await Promise.all(built.files.map((file) => writeFile(join(dir, basename(file.name)), file.body)));
  return built;
}
