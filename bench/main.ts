import { cpus } from 'node:os';
import { bundles } from './bundles.js';
import { classifier } from './classifier.js';
import { quality } from './classifier-quality.js';
import { consoleLoad } from './console.js';
import { contention } from './contention.js';
import { cost } from './cost.js';
import { e2e } from './e2e.js';
import { evaluator } from './evaluator.js';
import { hostile } from './hostile.js';
import { ingestCpu } from './ingest-cpu.js';
import { localHttp } from './local-http.js';
import { policy } from './policy.js';
import type { BenchSection } from './types.js';

/** Every section, in the order `npm run bench` runs them; a new section is one more entry. */
const SECTIONS: readonly BenchSection[] = [
  ingestCpu,
  bundles,
  localHttp,
  policy,
  classifier,
  quality,
  hostile,
  evaluator,
  contention,
  cost,
  e2e,
  consoleLoad,
];

/** `npm run bench [-- section ...]`: runs the named sections, or all of them. */
async function main(names: readonly string[]): Promise<void> {
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) {
    const known = SECTIONS.map((section) => `  ${section.name.padEnd(10)} ${section.description}`).join('\n');
    console.error(`unknown section ${unknown.join(', ')}; the sections are:\n${known}`);
    process.exitCode = 2;
    return;
  }
  const selected = names.length === 0 ? SECTIONS : SECTIONS.filter((section) => names.includes(section.name));
  console.log(
    `bench: ${selected.map((section) => section.name).join(', ')} · node ${process.version} · ` +
      `${cpus().length} cores · every figure beside a reference from the same run`,
  );
  for (const section of selected) {
    const started = performance.now();
    await section.run();
    console.log(`  (${section.name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
