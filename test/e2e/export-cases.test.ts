import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseLabeledLines } from '../classifier-eval/eval-set.js';
import { E2E_KEYS, HOUR_MS, MINUTE_MS, scenarioStart } from '../helpers/e2e-client.js';
import { useLocalPipeline } from '../helpers/e2e-setup.js';

/** `npm run export-cases` against `npm start`: reviewers' decisions become labeled evaluation lines. */

const CORP = 'wwe2eexportcases01';
const { client: wecom } = useLocalPipeline(CORP);
const run = promisify(execFile);

/** The member's first open case, read from the member view. */
async function openCaseOf(userId: string): Promise<string> {
  const member = (await wecom.member(userId)) as unknown as { openCases: { id: string }[] };
  const id = member.openCases[0]?.id;
  if (!id) throw new Error(`${userId} has no open case`);
  return id;
}

describe('export-cases through HTTP (default policy: text detections wait for a reviewer)', () => {
  it('writes the decided cases, confirmed labeled with their category and overturned with none', async () => {
    // Prepare: two text detections open cases, a reviewer confirms one and overturns the other
    const start = scenarioStart(0);
    await wecom.setClock(start);
    await wecom.sendText('export-gambler', '今晚网上赌场开局，百家乐包赢', start + MINUTE_MS);
    await wecom.sendText(
      'export-trainer',
      'IT部通知：系统升级后请点击链接重新登录并输入密码验证身份',
      start + MINUTE_MS,
    );
    await wecom.drain();
    await wecom.setClock(start + HOUR_MS);
    const confirmed = await wecom.admin(
      'POST',
      `/corps/${CORP}/cases/${await openCaseOf('export-gambler')}/decision`,
      {
        decision: 'confirm',
        reviewer: 'reviewer-e2e',
        reason: 'an invitation to gamble',
      },
    );
    const overturned = await wecom.admin(
      'POST',
      `/corps/${CORP}/cases/${await openCaseOf('export-trainer')}/decision`,
      {
        decision: 'overturn',
        reviewer: 'reviewer-e2e',
        reason: 'our own IT notice, not phishing',
      },
    );
    expect([confirmed.status, overturned.status]).toEqual([200, 200]);
    const out = join(mkdtempSync(join(tmpdir(), 'export-cases-')), 'cases.jsonl');

    // Act
    await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/export-cases.ts', '--url', wecom.url, '--corp', CORP, '--out', out],
      { env: { ...process.env, ADMIN_TOKEN: E2E_KEYS.adminToken }, timeout: 60_000 },
    );
    const text = readFileSync(out, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    // Assess: one line per decided case, in the evaluation set's format, which its loader reads
    expect(lines).toEqual([
      expect.objectContaining({
        text: '今晚网上赌场开局，百家乐包赢',
        labels: ['gambling'],
        lang: 'zh',
        category: 'gambling',
        decision: 'confirm',
      }),
      expect.objectContaining({
        text: 'IT部通知：系统升级后请点击链接重新登录并输入密码验证身份',
        labels: [],
        category: 'security-threat',
        decision: 'overturn',
      }),
    ]);
    expect(parseLabeledLines(text, 'cases.jsonl').map((r) => r.labels)).toEqual([['gambling'], []]);
  });
});
