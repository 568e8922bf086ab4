import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplayArgs, type ReplayReport, replay } from '../../../local/replay.js';
import type { ScenarioReport } from '../../../local/scenario/types.js';
import { FAITHFUL_POLICY_FILE, type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

/**
 * The human-review scenarios through `npm run replay` against `npm start`: the shipped folder
 * against the built-in policy (the faithful-policy scenario left out), and against
 * policies/wecom-faithful.json (a scenario written for the built-in policy refused).
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const folders: string[] = [];
let builtIn: LocalProcess;
let faithful: LocalProcess;

async function replayCli(args: string[]): Promise<{ report: ReplayReport; lines: string[] }> {
  const lines: string[] = [];
  const report = await replay({
    ...parseReplayArgs(args, { INIT_CWD: ROOT }),
    write: (line) => lines.push(line),
  });
  return { report, lines };
}

/** The printed line of step `index` of the scenario `name`. */
function row(lines: readonly string[], name: string, index: number): string {
  const from = lines.findIndex((line) => line.startsWith(`scenario ${name} `));
  const to = lines.findIndex((line, i) => i > from && line.startsWith(`${name}: `));
  const line = lines
    .slice(from, to)
    .find((candidate) => candidate.startsWith(`${String(index).padStart(3)} `));
  if (from < 0 || line === undefined)
    throw new Error(`no line for step ${index} of ${name}:\n${lines.join('\n')}`);
  return line;
}

function scenarioOf(report: ReplayReport, name: string): ScenarioReport {
  const found = report.scenarios.find((scenario) => scenario.scenario === name);
  if (!found) throw new Error(`no report of ${name}`);
  return found;
}

beforeAll(async () => {
  const dataDirs = [
    mkdtempSync(join(tmpdir(), 'wecom-review-')),
    mkdtempSync(join(tmpdir(), 'wecom-faithful-')),
  ];
  folders.push(...dataDirs);
  [builtIn, faithful] = await Promise.all([
    startLocalProcess({ DATA_DIR: dataDirs[0] ?? '' }),
    startLocalProcess({ DATA_DIR: dataDirs[1] ?? '', POLICY_FILE: FAITHFUL_POLICY_FILE }),
  ]);
});

afterAll(async () => {
  await Promise.all([builtIn?.stop(), faithful?.stop()]);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('npm run replay -- events/scenarios/ against npm start with the built-in policy', () => {
  it('runs every scenario written for it, each expectation met, shows open cases per step, and leaves out faithful-policy', async () => {
    // Act
    const { report, lines } = await replayCli(['events/scenarios/', '--url', builtIn.url]);

    // Assess
    expect(report.ok).toBe(true);
    expect(report.scenarios.map((s) => [s.scenario, s.ok, s.failed, s.error])).toEqual(
      [
        'contact-add-limit',
        'enterprise-held-for-review',
        'faithful-policy',
        'r1-ladder-unblock',
        'r2-ban-restore',
        'r3-permanent-ban-bad-influence',
        'review-confirm',
        'review-overturn',
      ].map((name) => [name, true, 0, undefined]),
    );
    expect(scenarioOf(report, 'faithful-policy')).toMatchObject({
      steps: [],
      leftOut: expect.stringContaining('start it with POLICY_FILE=policies/wecom-faithful.json'),
    });
    expect(lines).toContain('faithful-policy: 0 step(s), left out');
    // review-confirm: a case with its provisional measure, confirmed, a second decision refused
    expect(row(lines, 'review-confirm', 1)).toMatch(/suspended R3 provisional +0 +active +1 +normal /);
    expect(row(lines, 'review-confirm', 2)).toMatch(
      /reviewer confirms: gambling → 200 +banned R3 +0 +blocked R3 +0 /,
    );
    expect(row(lines, 'review-confirm', 3)).toMatch(/reviewer decides it again → 409 +banned R3 /);
    expect(row(lines, 'review-confirm', 4)).toMatch(
      /WeCom delivers it again, late +banned R3 +0 +blocked R3 +0 /,
    );
    // review-overturn: the measure lifted, nothing reopened
    expect(row(lines, 'review-overturn', 1)).toMatch(/suspended R3 provisional +0 +active +1 /);
    expect(row(lines, 'review-overturn', 2)).toMatch(
      /reviewer overturns: an IT notice → 200 +active +0 +active +0 /,
    );
    expect(row(lines, 'review-overturn', 4)).toMatch(/past the review deadline +active +0 +active +0 /);
    // enterprise-held-for-review: the enterprise active while its block waits (+E), blocked once confirmed
    expect(row(lines, 'enterprise-held-for-review', 3)).toMatch(/ 1 \+E +normal +│ active\/active /);
    expect(row(lines, 'enterprise-held-for-review', 4)).toMatch(
      /a day later, still held .* 1 \+E +normal +│ active\/active /,
    );
    expect(row(lines, 'enterprise-held-for-review', 5)).toMatch(
      /reviewer confirms the block → 200 .* 0 +normal +│ blocked\/blocked /,
    );
    expect(row(lines, 'enterprise-held-for-review', 7)).toMatch(
      /reviewer approves the appeal → 200 .*│ active\/active /,
    );
    expect(scenarioOf(report, 'enterprise-held-for-review').steps[5]?.case).toMatchObject({
      kind: 'enterprise-block',
      status: 'confirmed',
      decision: { decision: 'confirm', reviewer: 'reviewer-07' },
    });
  }, 120_000);
});

describe('npm run replay against npm start with POLICY_FILE=policies/wecom-faithful.json', () => {
  it('runs faithful-policy: the gambling invitation blocks at once, no case', async () => {
    // Act
    const { report, lines } = await replayCli([
      'events/scenarios/faithful-policy.json',
      '--url',
      faithful.url,
    ]);

    // Assess
    expect(scenarioOf(report, 'faithful-policy')).toMatchObject({ ok: true, failed: 0 });
    expect(row(lines, 'faithful-policy', 1)).toMatch(
      /invites a customer to online gambling +banned R3 +0 +blocked R3 +0 /,
    );
  }, 60_000);

  it('refuses a scenario named by its file that is written for the built-in policy, saying how to start the server', async () => {
    // Act
    const { report, lines } = await replayCli([
      'events/scenarios/review-confirm.json',
      '--url',
      faithful.url,
    ]);

    // Assess
    expect(report.ok).toBe(false);
    expect(scenarioOf(report, 'review-confirm')).toMatchObject({
      ok: false,
      steps: [],
      error: expect.stringContaining(
        'the server runs policy 2026-12-04.2-wecom-faithful: start it without POLICY_FILE',
      ),
    });
    expect(lines).toContain('review-confirm: 0 step(s), did not finish');
  }, 60_000);
});
