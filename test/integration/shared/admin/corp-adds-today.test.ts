import { describe, expect, it } from 'vitest';
import { useAdminApi } from '../../../helpers/admin-api.js';
import { aContactAdded, DAY, HOUR, MINUTE, T0 } from '../../../helpers/domain-inputs.js';

const { at, call, drive } = useAdminApi();

describe("the corp view's adds today", () => {
  it('shows the total and the top adders with exact counts today, and nothing the next day', async () => {
    // Prepare: three members of one corp make 5, 3 and 1 adds; another corp's member adds too
    const corpId = 'wwADDSTODAY00001';
    const made = { busy: 5, steady: 3, once: 1 };
    let n = 0;
    for (const [userId, count] of Object.entries(made)) {
      for (let i = 0; i < count; i++) await drive(aContactAdded({ corpId, userId, at: T0 + n++ * MINUTE }));
    }
    await drive(aContactAdded({ corpId: 'wwADDSTODAY00002', userId: 'elsewhere', at: T0 }));

    // Act
    at(T0 + HOUR);
    const today = await call('GET', `/admin/corps/${corpId}`);
    at(T0 + DAY);
    const tomorrow = await call('GET', `/admin/corps/${corpId}`);

    // Assess
    expect(today.status).toBe(200);
    expect(today.json.addsToday).toEqual({
      total: 9,
      members: [
        { userId: 'busy', count: 5 },
        { userId: 'steady', count: 3 },
        { userId: 'once', count: 1 },
      ],
    });
    expect(tomorrow.json.addsToday).toEqual({ total: 0, members: [] });
  });
});
