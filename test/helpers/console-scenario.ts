import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalConfig } from '../../local/config.js';
import { replay } from '../../local/replay.js';

/** A shipped scenario of events/scenarios/. */
function scenarioFile(name: string): URL {
  return new URL(`../../events/scenarios/${name}.json`, import.meta.url);
}

/**
 * Replays the first step of events/scenarios/review-confirm.json against a running local mode: a
 * gambling invitation by `sunqi` that opens a case for a reviewer and suspends interop
 * provisionally. The console then has a member, a violation with its text and an open case to show.
 */
export function replayOpenCase(url: string): Promise<void> {
  return replayFirstSteps(url, 'review-confirm', 1);
}

/**
 * Replays the first `steps` steps of a shipped scenario (its expectations checked) against a
 * running local mode, leaving the state and the clock where that step left them.
 */
export async function replayFirstSteps(url: string, name: string, steps: number): Promise<void> {
  const scenario = JSON.parse(await readFile(scenarioFile(name), 'utf8')) as {
    name: string;
    steps: unknown[];
  };
  const cut = { ...scenario, name: `${name}-first-${steps}`, steps: scenario.steps.slice(0, steps) };
  const file = join(await mkdtemp(join(tmpdir(), 'console-scenario-')), `${cut.name}.json`);
  await writeFile(file, JSON.stringify(cut));
  const config = readLocalConfig({});
  const lines: string[] = [];
  const report = await replay({
    paths: [file],
    url,
    keys: { corpId: config.corpId, token: config.token, encodingAesKey: config.encodingAesKey },
    write: (line) => lines.push(line),
  });
  if (!report.ok) throw new Error(`the scenario ${cut.name} failed:\n${lines.join('\n')}`);
}
