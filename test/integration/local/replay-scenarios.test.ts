import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplayArgs, type ReplayReport, replay } from '../../../local/replay.js';
import type { ScenarioReport } from '../../../local/scenario/types.js';
import { type LocalProcess, startLocalProcess } from '../../helpers/local-process.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const folders: string[] = [];
let local: LocalProcess;

/** What `npm run replay -- <args>` does, in process: the same argument parsing, the output kept. */
async function replayCli(args: string[]): Promise<{ report: ReplayReport; lines: string[] }> {
  const lines: string[] = [];
  const report = await replay({
    ...parseReplayArgs(args, { INIT_CWD: ROOT }),
    write: (line) => lines.push(line),
  });
  return { report, lines };
}

/** The printed line of step `index`. */
function row(lines: readonly string[], index: number): string {
  const line = lines.find((candidate) => candidate.startsWith(`${String(index).padStart(3)} `));
  if (line === undefined) throw new Error(`no line for step ${index}:\n${lines.join('\n')}`);
  return line;
}

function only(report: ReplayReport): ScenarioReport {
  expect(report.scenarios).toHaveLength(1);
  const [scenario] = report.scenarios;
  if (!scenario) throw new Error('no scenario report');
  return scenario;
}

function writeScenario(name: string, scenario: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), 'wecom-scenario-file-'));
  folders.push(folder);
  const file = join(folder, `${name}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wecom-scenario-'));
  folders.push(dataDir);
  local = await startLocalProcess({ DATA_DIR: dataDir });
});

afterAll(async () => {
  await local?.stop();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * The shipped scenarios watch a member each, so they run one after another against one `npm start`
 * on a fresh DATA_DIR, in folder order, as `npm run replay -- events/scenarios/` runs them; the
 * first one (contact-add-limit) is the only one that expects the corp's limits of a fresh corp.
 */
describe('npm run replay of each shipped scenario against npm start', () => {
  it('contact-add-limit: the add over the daily limit suspends the member once, and lowers the limits', async () => {
    // Prepare
    const url = local.url;

    // Act
    const { report, lines } = await replayCli(['events/scenarios/contact-add-limit.json', '--url', url]);

    // Assess
    const scenario = only(report);
    expect({ ok: report.ok, failed: scenario.failed, error: scenario.error }).toEqual({
      ok: true,
      failed: 0,
      error: undefined,
    });
    expect(row(lines, 1)).toMatch(
      /03-02 04:24 adds 103 customers, 2 min apart +active +0 .*│ active\/active +103\/2066 /,
    );
    expect(lines).toContain('      103 callbacks from 03-02 01:00, PT2M apart');
    expect(row(lines, 2)).toMatch(
      /the 104th add: over the limit +suspended R1 until 03-03 04:30\* +1 .* 93\/1866 /,
    );
    expect(row(lines, 3)).toMatch(/suspended R1 until 03-03 04:30\* +1 /);
    expect(row(lines, 4)).toMatch(/03-03 04:30 a day after the breach +active +1 /);
    expect(scenario.steps[1]?.answers).toEqual({ '200 success': 103 });
  }, 60_000);

  it('r1-ladder-unblock: a day with an unblock, 7 days without, then the ban', async () => {
    // Prepare
    const url = local.url;

    // Act
    const { report, lines } = await replayCli(['events/scenarios/r1-ladder-unblock.json', '--url', url]);

    // Assess
    const scenario = only(report);
    expect({ ok: report.ok, failed: scenario.failed, error: scenario.error }).toEqual({
      ok: true,
      failed: 0,
      error: undefined,
    });
    expect(scenario.checked).toBeGreaterThanOrEqual(40);
    // Under the built-in policy the message opens a case (provisional, no strike); the reviewer confirms it
    expect(row(lines, 1)).toMatch(
      /03-02 01:00 asks a customer to share to Moments +suspended R1 provisional +0 +active +1 /,
    );
    expect(row(lines, 2)).toMatch(
      /03-02 01:30 reviewer confirms: a violation → 200 +suspended R1 until 03-03 01:00\* +1 +active +0 /,
    );
    expect(row(lines, 3)).toMatch(/admin applies for unblocking → 200 +active +1 /);
    expect(row(lines, 7)).toMatch(/suspended R1 until 03-12 03:00 +2 /);
    expect(row(lines, 8)).toMatch(/→ 409 +suspended R1 until 03-12 03:00 +2 /);
    expect(row(lines, 10)).toMatch(/03-12 03:00 the 7 days are over +active +2 /);
    expect(row(lines, 11)).toMatch(/suspended R1 provisional +2 +active +1 /);
    expect(row(lines, 12)).toMatch(/banned R1 +3 +active +0 /);
    expect(lines.at(-1)).toMatch(/^r1-ladder-unblock: 13 step\(s\), all \d+ expectations met$/);
  }, 60_000);

  it('r2-ban-restore: suspended while WeChat bans, restored 24 h after the unban', async () => {
    // Prepare
    const url = local.url;

    // Act
    const { report, lines } = await replayCli(['events/scenarios/r2-ban-restore.json', '--url', url]);

    // Assess
    const scenario = only(report);
    expect({ ok: report.ok, failed: scenario.failed, error: scenario.error }).toEqual({
      ok: true,
      failed: 0,
      error: undefined,
    });
    expect(row(lines, 1)).toMatch(/WeChat bans lisi's account +suspended R2 no end +0 +active +0 +banned /);
    expect(row(lines, 3)).toMatch(/suspended R2 no end +0 +active +0 +normal, restore 03-05 01:00 /);
    expect(row(lines, 5)).toMatch(/03-05 02:00 past the cancelled restore +suspended R2 no end .* banned /);
    expect(row(lines, 8)).toMatch(/03-08 01:00 24 hours after the unban +active +0 +active +0 +normal /);
    expect(scenario.steps.at(-1)?.member.linkedWeChat).toEqual({ status: 'normal', restoreAt: null });
  }, 60_000);

  it('r3-permanent-ban-bad-influence: the member blocked for good, the enterprise and admin until the appeal', async () => {
    // Prepare
    const url = local.url;

    // Act
    const { report, lines } = await replayCli([
      'events/scenarios/r3-permanent-ban-bad-influence.json',
      '--url',
      url,
    ]);

    // Assess
    const scenario = only(report);
    expect({ ok: report.ok, failed: scenario.failed, error: scenario.error }).toEqual({
      ok: true,
      failed: 0,
      error: undefined,
    });
    // Under the built-in policy the invitation and the enterprise block each wait for a reviewer
    expect(row(lines, 1)).toMatch(/suspended R3 provisional +0 +active +1 +normal +│ active\/active /);
    expect(row(lines, 2)).toMatch(
      /reviewer confirms: gambling → 200 +banned R3 +0 +blocked R3 +0 +normal +│ active\/active /,
    );
    expect(row(lines, 4)).toMatch(
      /reviewer: it had bad influence → 201 +banned R3 .* 1 \+E +normal +│ active\/active /,
    );
    expect(row(lines, 5)).toMatch(/reviewer confirms the block → 200 +banned R3 .*│ blocked\/blocked /);
    expect(row(lines, 6)).toMatch(/→ 400 /);
    expect(lines).toContain('      400 {"error":"an enterprise appeal needs seal-authorization-letter"}');
    expect(row(lines, 8)).toMatch(
      /reviewer approves the appeal → 200 +banned R3 +0 +blocked R3 .*│ active\/active /,
    );
    const last = scenario.steps.at(-1);
    expect([last?.member.account.status, last?.corp.account.status, last?.corp.adminAccount.status]).toEqual([
      'blocked',
      'active',
      'active',
    ]);
  }, 60_000);
});

describe('npm run replay of scenarios: failures, --json, --repeat', () => {
  it('prints a failed expectation under its step and exits 1', async () => {
    // Prepare
    const file = writeScenario('wrong-expectation', {
      name: 'wrong-expectation',
      description: 'expects two strikes after one violation',
      start: '2026-04-01T01:00:00Z',
      userId: 'xiaoming',
      steps: [
        {
          label: 'asks a customer to share',
          route: 'message',
          plaintext: {
            msgid: 'wrong-expectation-1',
            action: 'send',
            from: 'xiaoming',
            tolist: ['wmWrongExpectationCustomer00001'],
            msgtype: 'text',
            text: { content: '转发朋友圈集赞送礼品' },
          },
        },
        {
          label: 'reviewer confirms',
          admin: 'decide-case',
          decision: 'confirm',
          reviewer: 'reviewer-07',
          reason: 'asks for shares',
          expect: { member: { strikes: 2, interop: { status: 'suspended' } } },
        },
      ],
    });

    // Act
    const { code, stdout } = await runReplayProcess([file, '--url', local.url]);

    // Assess
    expect(code).toBe(1);
    expect(stdout).toMatch(
      / {2}2 04-01 01:00 reviewer confirms → 200 +suspended R1 until 04-02 01:00\* +1 .*✗ 1 failed/,
    );
    expect(stdout).toContain('      ✗ member.strikes: expected 2, got 1\n');
    expect(stdout).toContain('wrong-expectation: 2 step(s), 1 FAILED (2 expectations)');
  }, 60_000);

  it('--json prints one line per scenario with every step, its answers and the statuses read', async () => {
    // Prepare
    const file = writeScenario('json-output', {
      name: 'json-output',
      description: 'a WeChat ban, read back as JSON',
      start: '2026-05-01T01:00:00Z',
      userId: 'xiaohong',
      steps: [
        {
          route: 'wechat-status',
          plaintext: { id: 'json-output-ban', userId: 'xiaohong', status: 'banned' },
          expect: { member: { interop: { status: 'suspended' } } },
        },
        { admin: 'unblock-application', expect: { status: 409 } },
      ],
    });

    // Act
    const { report, lines } = await replayCli([file, '--url', local.url, '--json']);

    // Assess
    expect(report.ok).toBe(true);
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] ?? '') as ScenarioReport;
    expect(printed).toMatchObject({
      scenario: 'json-output',
      userId: 'xiaohong',
      start: '2026-05-01T01:00:00.000Z',
      ok: true,
      checked: 2,
      failed: 0,
    });
    expect(
      printed.steps.map((step) => [step.index, step.kind, step.clock, step.member.interop.status]),
    ).toEqual([
      [0, 'start', '2026-05-01T01:00:00.000Z', 'active'],
      [1, 'callback', '2026-05-01T01:00:00.000Z', 'suspended'],
      [2, 'admin', '2026-05-01T01:00:00.000Z', 'suspended'],
    ]);
    expect(printed.steps[1]?.answers).toEqual({ '200 success': 1 });
    expect(printed.steps[2]?.admin).toMatchObject({ method: 'POST', status: 409 });
  }, 60_000);

  it('--repeat 2 delivers every callback twice and the scenario ends the same (each takes effect once)', async () => {
    // Prepare
    const shipped = readFileSync(join(ROOT, 'events/scenarios/r2-ban-restore.json'), 'utf8');
    // The shipped scenario for another member, with status records of its own ids.
    const copy = shipped.replaceAll('lisi', 'lisi-twice').replaceAll('r2-status-', 'r2-twice-status-');
    const file = writeScenario('r2-twice', JSON.parse(copy));

    // Act
    const { report, lines } = await replayCli([file, '--url', local.url, '--repeat', '2']);

    // Assess
    const scenario = only(report);
    expect({ ok: report.ok, failed: scenario.failed, error: scenario.error }).toEqual({
      ok: true,
      failed: 0,
      error: undefined,
    });
    expect(scenario.steps[1]?.answers).toEqual({ '200 success': 2 });
    expect(row(lines, 8)).toMatch(/24 hours after the unban +active +0 +active +0 +normal /);
  }, 60_000);
});

/** `npm run replay -- <args>` as a child process (what the script runs), with its exit code. */
function runReplayProcess(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/replay.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', INIT_CWD: ROOT },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('error', fail);
    child.once('exit', (code) => done({ code, stdout }));
  });
}
