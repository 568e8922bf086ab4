import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLocalConfig } from '../../local/config.js';
import { replay } from '../../local/replay.js';

const REVIEW_CONFIRM = new URL('../../events/scenarios/review-confirm.json', import.meta.url);

/**
 * Replays the first step of events/scenarios/review-confirm.json against a running local mode: a
 * gambling invitation by `sunqi` that opens a case for a reviewer and suspends interop
 * provisionally. The console then has a member, a violation with its text and an open case to show.
 */
export async function replayOpenCase(url: string): Promise<void> {
  const scenario = JSON.parse(await readFile(REVIEW_CONFIRM, 'utf8')) as { name: string; steps: unknown[] };
  const opened = { ...scenario, name: 'review-open', steps: scenario.steps.slice(0, 1) };
  const file = join(await mkdtemp(join(tmpdir(), 'console-scenario-')), 'review-open.json');
  await writeFile(file, JSON.stringify(opened));
  const config = readLocalConfig({});
  const lines: string[] = [];
  const report = await replay({
    paths: [file],
    url,
    keys: { corpId: config.corpId, token: config.token, encodingAesKey: config.encodingAesKey },
    write: (line) => lines.push(line),
  });
  if (!report.ok) throw new Error(`the open-case scenario failed:\n${lines.join('\n')}`);
}
