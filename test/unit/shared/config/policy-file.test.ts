import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../shared/config/errors.js';
import { loadPolicySet } from '../../../../shared/config/policy-file.js';
import defaultPolicy from '../../../../shared/domain/default-policy.json' with { type: 'json' };
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { offsetAt } from '../../../../shared/domain/zone-rule.js';

function policyFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'policy-')), 'policy.json');
  writeFileSync(path, content);
  return path;
}

describe('loadPolicySet', () => {
  it('uses the built-in default policy when POLICY_FILE is not set', () => {
    // Act
    const policies = loadPolicySet({});

    // Assess
    expect(policies).toBe(DEFAULT_POLICY_SET);
  });

  it('reads the policy file, with its version, thresholds and corp overrides', () => {
    // Prepare
    const path = policyFile(
      JSON.stringify({
        ...defaultPolicy,
        version: 'acme-2026-12',
        harassment: { windowDays: 5, minNegativeFeedback: 4 },
        corps: { wwacme: { plugin: { addsPerMinute: 10 } } },
      }),
    );

    // Act
    const policies = loadPolicySet({ POLICY_FILE: path });

    // Assess
    expect(policies.base.version).toBe('acme-2026-12');
    expect(policies.base.harassment).toEqual({ windowDays: 5, minNegativeFeedback: 4 });
    expect(policies.forCorp('wwacme').plugin.addsPerMinute).toBe(10);
    expect(policies.forCorp('wwacme').version).toBe('acme-2026-12+wwacme');
    expect(policies.base.timeZone.name).toBe('Asia/Shanghai');
  });

  it("reads the policy's time zone into the offsets its days are counted with", () => {
    // Prepare
    const path = policyFile(JSON.stringify({ ...defaultPolicy, timeZone: 'Asia/Tokyo' }));

    // Act
    const policies = loadPolicySet({ POLICY_FILE: path });

    // Assess: Tokyo keeps UTC+9 all year
    expect(policies.base.timeZone.name).toBe('Asia/Tokyo');
    for (const at of [Date.UTC(2000, 0, 1), Date.UTC(2026, 6, 1), Date.UTC(2099, 11, 31)]) {
      expect(offsetAt(at, policies.base.timeZone)).toBe(9 * 3_600_000);
    }
  });

  it.each([
    ['a missing file', () => join(tmpdir(), 'no-such-policy.json'), /cannot be read/],
    ['a file that is not JSON', () => policyFile('{ version: '), /is not JSON/],
    [
      'an invalid threshold',
      () =>
        policyFile(
          JSON.stringify({ ...defaultPolicy, plugin: { addsPerMinute: -1, massRecipientsPerMinute: 200 } }),
        ),
      /plugin\.addsPerMinute/,
    ],
    [
      'an unknown time zone',
      () => policyFile(JSON.stringify({ ...defaultPolicy, timeZone: 'Asia/Beijing' })),
      /timeZone: must be an IANA time zone name such as Asia\/Shanghai or UTC/,
    ],
  ])('refuses %s, naming the file and what is wrong', (_case, makePath, message) => {
    // Prepare
    const path = makePath();

    // Act
    const loading = () => loadPolicySet({ POLICY_FILE: path });

    // Assess
    expect(loading).toThrow(ConfigError);
    expect(loading).toThrow(message);
    expect(loading).toThrow(path);
  });
});
