import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** One static file of the console. */
export interface ConsoleAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** The console's static files by name, and which of them are the script and the style. */
export interface ConsoleAssets {
  readonly files: ReadonlyMap<string, ConsoleAsset>;
  readonly script: string;
  readonly style: string;
}

/** What `buildConsole` makes (console/build.ts), without importing it: esbuild stays out of Lambda code. */
export interface ConsoleBuildFiles {
  readonly files: readonly { readonly name: string; readonly contentType: string; readonly body: Buffer }[];
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** The assets of a build made in memory (local mode). */
export function consoleAssetsFromBuild(build: ConsoleBuildFiles): ConsoleAssets {
  return assetsOf(
    new Map(build.files.map((file) => [file.name, { contentType: file.contentType, body: file.body }])),
  );
}

/** The assets `writeConsole` wrote into a directory (the admin function's `console/`). */
export async function loadConsoleAssets(dir: string): Promise<ConsoleAssets> {
  const names = await readdir(dir);
  const files = new Map<string, ConsoleAsset>();
  for (const name of names) {
    const contentType = TYPES[extname(name)];
    if (contentType) files.set(name, { contentType, body: await readFile(join(dir, name)) });
  }
  return assetsOf(files);
}

function assetsOf(files: Map<string, ConsoleAsset>): ConsoleAssets {
  const manifest = files.get('manifest.json');
  if (!manifest) throw new Error('the console has no manifest.json');
  const { script, style } = JSON.parse(manifest.body.toString('utf8')) as {
    script?: unknown;
    style?: unknown;
  };
  if (typeof script !== 'string' || typeof style !== 'string' || !files.has(script) || !files.has(style))
    throw new Error('the console manifest names no script or style it has');
  // The manifest is for the server: it is not served.
  files.delete('manifest.json');
  return { files, script, style };
}
