import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { CLASSIFIER_IMAGE } from '../infra/constructs/bundle-files.js';
import { LOADER, type Loadable, type LoadSample, load } from './bundle-load.js';
import { type Figure, median, printTable } from './measure.js';
import type { BenchSection } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** Inside the repository, so that `@aws-sdk/*` resolve from its node_modules as from the Lambda runtime. */
const OUT_ROOT = join(REPO_ROOT, 'node_modules', '.cache', 'bench-bundles');
const SPAWNS = 7;
const KB = 1000;
const SIZE_BUDGET = 250 * KB;
/** Issue 16's cold-import targets: every callback function, and the penalty evaluator (it carries the classifier's model). */
const CALLBACK_LOAD_BUDGET_MS = 100;
const EVALUATOR_LOAD_BUDGET_MS = 200;

function isCallback(fn: string): boolean {
  return fn.endsWith('-callback');
}

/** The import target of a function's bundle, if it has one. */
function loadBudgetOf(fn: string): number | undefined {
  if (isCallback(fn)) return CALLBACK_LOAD_BUDGET_MS;
  return fn === 'penalty-evaluator' ? EVALUATOR_LOAD_BUDGET_MS : undefined;
}

/**
 * The bundling of infra/constructs/wecom-function.ts (NodejsFunction runs esbuild with these flags),
 * with the source map off so the size is the code's alone; `sdkExternal` builds the variant that
 * leaves `@aws-sdk/*` to the Lambda runtime, as infra did before it bundled the SDK.
 */
function lambdaBuildOptions(entry: string, outfile: string, sdkExternal = false): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    external: sdkExternal ? ['@aws-sdk/*'] : [],
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'silent',
  };
}

/** Lambda's CPU share per MB: one vCPU at 1,769 MB, proportionally less below. */
const MB_PER_VCPU = 1_769;
/** The callbacks' configured memory (infra/constructs/wecom-function.ts). */
const CALLBACK_MEMORY_MB = 512;
/** WeCom's wait for a URL verification. */
const URL_VERIFICATION_BUDGET_MS = 1_000;

/** How a bundle gets `@aws-sdk/*`: from the Lambda runtime (left external) or inside the bundle. */
const SDK_MODES = ['bundled', 'external'] as const;
type SdkMode = (typeof SDK_MODES)[number];

/** One function built one way. */
interface Built extends Loadable {
  readonly fn: string;
  readonly sdk: SdkMode;
  readonly size: number;
}

/**
 * Section 2: bundle size and cold load time of every function, with the AWS SDK bundled (as
 * infra/constructs/wecom-function.ts builds it) and left external (as the runtime would provide it).
 */
export const bundles: BenchSection = {
  name: 'bundles',
  description:
    'minified/gzip size of each function bundle, SDK bundled (as CDK builds it) and external, and its load time in a fresh node',
  run: async () => {
    const functions = readdirSync(join(REPO_ROOT, 'functions'))
      .filter((name) => existsSync(join(REPO_ROOT, 'functions', name, 'handler.ts')))
      .sort();
    rmSync(OUT_ROOT, { recursive: true, force: true });
    mkdirSync(OUT_ROOT, { recursive: true });

    const sizeFigures: Figure[] = [];
    const contents: string[] = [];
    const built: Built[] = [];
    for (const fn of functions) {
      const bySdk = new Map<SdkMode, Built>();
      for (const sdk of [...SDK_MODES].reverse()) {
        const outfile = join(OUT_ROOT, `${fn}-sdk-${sdk}`, 'index.mjs');
        const result = await build(
          lambdaBuildOptions(`functions/${fn}/handler.ts`, outfile, sdk === 'external'),
        );
        // As infra puts it there (WecomFunction's carriesClassifier): the classifier's image beside the code.
        if (readFileSync(outfile, 'utf8').includes(CLASSIFIER_IMAGE.bundled)) {
          const target = join(dirname(outfile), CLASSIFIER_IMAGE.bundled);
          mkdirSync(dirname(target), { recursive: true });
          copyFileSync(join(REPO_ROOT, CLASSIFIER_IMAGE.source), target);
        }
        const item: Built = {
          name: `${fn}, SDK ${sdk}`,
          file: outfile,
          fn,
          sdk,
          size: readFileSync(outfile).length,
        };
        bySdk.set(sdk, item);
        built.push(item);
        if (sdk === 'bundled' && result.metafile)
          contents.push(`${fn}: ${largestInputs(result.metafile, outfile)}`);
      }
      const external = bySdk.get('external');
      const bundled = bySdk.get('bundled');
      if (!external || !bundled) continue;
      const gzip = gzipSync(readFileSync(bundled.file)).length;
      sizeFigures.push(
        {
          name: `${external.name}: minified`,
          value: external.size / KB,
          unit: 'kB',
          reference: { name: 'budget 250 kB', value: SIZE_BUDGET / KB },
        },
        {
          name: `${bundled.name}: minified`,
          value: bundled.size / KB,
          unit: 'kB',
          reference: { name: 'its SDK-external build', value: external.size / KB },
        },
        {
          name: `${bundled.name}: gzip (the zip Lambda fetches)`,
          value: gzip / KB,
          unit: 'kB',
          reference: { name: 'budget 250 kB', value: SIZE_BUDGET / KB },
          ...(isCallback(fn) ? { target: { on: 'value', max: SIZE_BUDGET / KB } as const } : {}),
        },
      );
    }
    printTable(
      'bundles: size of each function (esbuild as infra/constructs/wecom-function.ts)',
      sizeFigures,
      [
        'deployed: SDK bundled (tree-shaken, minified); SDK external is what the runtime-provided SDK would need',
        'largest contributors, SDK bundled (bytes in the minified output):',
        ...contents.map((line) => `  ${line}`),
      ],
    );

    const loader = join(OUT_ROOT, 'load.mjs');
    writeFileSync(loader, LOADER);
    const empty: Loadable = { name: 'empty module', file: join(OUT_ROOT, 'empty.mjs') };
    writeFileSync(empty.file, '');
    // The SDK clients the external bundles import, from node_modules, each alone and all together.
    const sdkPackages = awsSdkPackages(built.filter((item) => item.sdk === 'external'));
    const sdk: Loadable[] = [
      ...sdkPackages.map((name) => [name]),
      ...(sdkPackages.length > 1 ? [sdkPackages] : []),
    ].map((names, index) => {
      const file = join(OUT_ROOT, `aws-sdk-${index}.mjs`);
      writeFileSync(file, names.map((name) => `import '${name}';\n`).join(''));
      return { name: names.length === 1 ? `${names[0]} alone` : 'all SDK clients the bundles import', file };
    });
    const loadables = [empty, ...built, ...sdk];

    // One unmeasured spawn each fills the file cache; then the rounds interleave every module.
    const verifies = (item: Loadable) =>
      'fn' in item && isCallback((item as Built).fn) && (item as Built).sdk === 'bundled';
    for (const item of loadables) await load(REPO_ROOT, loader, item.file, verifies(item));
    const samples = new Map<string, LoadSample[]>(loadables.map((item) => [item.name, []]));
    for (let round = 0; round < SPAWNS; round++) {
      for (const item of loadables)
        samples.get(item.name)?.push(await load(REPO_ROOT, loader, item.file, verifies(item)));
    }
    const importMs = (name: string) => median((samples.get(name) ?? []).map((sample) => sample.importMs));
    const wallMs = (name: string) => median((samples.get(name) ?? []).map((sample) => sample.wallMs));
    const coldVerifyMs = (name: string) =>
      median((samples.get(name) ?? []).map((sample) => sample.importMs + (sample.firstMs ?? 0)));
    const emptyImport = { name: 'empty-module import', value: importMs(empty.name) };
    const emptyWall = { name: 'empty-module process', value: wallMs(empty.name) };
    const loadFigures: Figure[] = [
      { name: `${empty.name}: import`, value: emptyImport.value, unit: 'ms' },
      { name: `${empty.name}: whole process`, value: emptyWall.value, unit: 'ms' },
    ];
    for (const fn of functions) {
      const external = `${fn}, SDK external`;
      const bundled = `${fn}, SDK bundled`;
      loadFigures.push(
        {
          name: `${external}: import`,
          value: importMs(external),
          unit: 'ms',
          reference: emptyImport,
        },
        {
          name: `${bundled}: import`,
          value: importMs(bundled),
          unit: 'ms',
          reference: { name: 'SDK external', value: importMs(external) },
          ...(loadBudgetOf(fn) === undefined
            ? {}
            : { target: { on: 'value', max: loadBudgetOf(fn) as number } as const }),
        },
        {
          name: `${bundled}: whole process`,
          value: wallMs(bundled),
          unit: 'ms',
          reference: { name: 'SDK external', value: wallMs(external) },
        },
      );
      if (isCallback(fn)) {
        // Init and the first GET, here on a whole core; on Lambda at the callbacks' memory, a share of one.
        const cold = coldVerifyMs(bundled);
        const target = { on: 'value', max: URL_VERIFICATION_BUDGET_MS } as const;
        loadFigures.push(
          {
            name: `${bundled}: cold URL verification`,
            value: cold,
            unit: 'ms',
            reference: { name: 'its import', value: importMs(bundled) },
            target,
          },
          {
            name: `${bundled}: the same at ${CALLBACK_MEMORY_MB} MB (est.)`,
            value: (cold * MB_PER_VCPU) / CALLBACK_MEMORY_MB,
            unit: 'ms',
            reference: { name: 'here', value: cold },
            target,
          },
        );
      }
    }
    for (const item of sdk) {
      loadFigures.push({
        name: `${item.name}: import`,
        value: importMs(item.name),
        unit: 'ms',
        reference: emptyImport,
      });
    }
    printTable(
      `bundles: cold load in a fresh \`node ${relative(REPO_ROOT, loader)}\`, median of ${SPAWNS} spawns each, interleaved`,
      loadFigures,
      [
        'import = await import(bundle) inside the process, module-scope config and client construction included;',
        '  whole process = spawn to exit, as seen by the parent; node flag --no-warnings (node 20 prints an SDK',
        '  end-of-support warning that Lambda on node 24 does not), source maps off',
        'cold URL verification = import + the first signed GET the fresh handler answers (keys from the environment: the',
        `  secret's read, a network round trip bounded by the callbacks' 800 ms deadline, is not in it); at ${CALLBACK_MEMORY_MB} MB`,
        `  Lambda gives ${(CALLBACK_MEMORY_MB / MB_PER_VCPU).toFixed(2)} of a vCPU, so the estimate scales the time by ${(MB_PER_VCPU / CALLBACK_MEMORY_MB).toFixed(2)} (all of it taken as CPU)`,
        'SDK external loads the @aws-sdk/* clients from node_modules (the pinned version); on Lambda it would be',
        "  the runtime's own copy, of whatever version the runtime ships that day",
      ],
    );
  },
};

/** The `@aws-sdk/*` packages the bundles import statically (the builds that keep them external). */
function awsSdkPackages(modules: readonly Loadable[]): string[] {
  const packages = new Set<string>();
  for (const item of modules) {
    const code = readFileSync(item.file, 'utf8');
    for (const match of code.matchAll(/from\s*["'](@aws-sdk\/[^"']+)["']/g))
      if (match[1]) packages.add(match[1]);
  }
  return [...packages].sort();
}

/** The biggest packages in the output, e.g. `zod 60.1 kB, saxes 20.3 kB, own code 12.0 kB`. */
function largestInputs(metafile: Metafile, outfile: string): string {
  const output = metafile.outputs[relative(REPO_ROOT, outfile)];
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match?.[1] ?? 'own code';
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([owner, bytes]) => `${owner} ${(bytes / KB).toFixed(1)} kB`)
    .join(', ');
}
