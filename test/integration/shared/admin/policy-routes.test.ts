import { describe, expect, it } from 'vitest';
import defaultPolicy from '../../../../shared/domain/default-policy.json' with { type: 'json' };
import { DEFAULT_POLICY_SET, parsePolicySet } from '../../../../shared/domain/policy.js';
import { useAdminApi } from '../../../helpers/admin-api.js';
import { DAY, HOUR, T0 } from '../../../helpers/domain-inputs.js';

const { at, call } = useAdminApi();

describe('policy', () => {
  it('shows the policy in force with its version, thresholds and durations', async () => {
    // Prepare
    at(T0);

    // Act
    const response = await call('GET', '/admin/policy');

    // Assess
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      version: DEFAULT_POLICY_SET.base.version,
      corpId: null,
      timeZone: 'Asia/Shanghai',
      r1: {
        firstSuspension: { ms: DAY, iso: 'P1D' },
        secondSuspension: { ms: 7 * DAY, iso: 'P7D' },
        autoApproveUnblock: true,
      },
      r2: { restoreDelay: { ms: DAY, iso: 'P1D' } },
      harassment: DEFAULT_POLICY_SET.base.harassment,
      contactAdds: DEFAULT_POLICY_SET.base.contactAdds,
      plugin: DEFAULT_POLICY_SET.base.plugin,
      badInfluence: DEFAULT_POLICY_SET.base.badInfluence,
    });
  });

  it('shows a corp its own overrides under their own version', async () => {
    // Prepare
    at(T0);
    const policies = parsePolicySet({
      ...defaultPolicy,
      corps: { wwoverride0000001: { r1: { firstSuspension: 'PT36H' }, timeZone: 'Asia/Tokyo' } },
    });

    // Act
    const corp = await call('GET', '/admin/policy?corpId=wwoverride0000001', { policies });
    const base = await call('GET', '/admin/policy', { policies });

    // Assess
    expect(corp.json).toMatchObject({
      version: `${DEFAULT_POLICY_SET.base.version}+wwoverride0000001`,
      corpId: 'wwoverride0000001',
      timeZone: 'Asia/Tokyo',
      r1: { firstSuspension: { ms: 36 * HOUR, iso: 'P1DT12H' } },
    });
    expect(base.json.r1.firstSuspension).toEqual({ ms: DAY, iso: 'P1D' });
    expect(base.json.timeZone).toBe('Asia/Shanghai');
  });
});
