import { describe, expect, it } from 'vitest';
import { iso, memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { CORP_ID, DAY, ENTERPRISE_DOCUMENTS, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { FAITHFUL_POLICY_SET as FAITHFUL } from '../../../helpers/domain-policy.js';

/** Inputs driven under policies/wecom-faithful.json, every category acting at once, as WeCom does: human review is case-routes.test.ts's. */
const { at, call, inducingSharing } = useAdminApi({ drivenBy: FAITHFUL });

describe('appeals', () => {
  it('files a member appeal (201, Location), reads it back, decides it, and refuses a second decision with 409', async () => {
    // Prepare
    const violationId = await inducingSharing('appellant');
    at(T0 + HOUR);

    // Act
    const filed = await call('POST', '/admin/appeals', { body: { corpId: CORP_ID, userId: 'appellant' } });
    const read = await call('GET', filed.headers.location ?? '');
    at(T0 + 2 * HOUR);
    const decided = await call('POST', `${filed.headers.location}/decision`, {
      body: { approved: true, reviewer: 'reviewer-wang' },
    });
    const again = await call('POST', `${filed.headers.location}/decision`, {
      body: { approved: false, reviewer: 'reviewer-zhao' },
    });

    // Assess
    expect(filed.status).toBe(201);
    expect(filed.json).toEqual({
      id: filed.json.id,
      corpId: CORP_ID,
      userId: 'appellant',
      kind: 'penalty',
      status: 'open',
      violationId,
      filedAt: iso(T0 + HOUR),
    });
    expect(filed.headers.location).toBe(`/admin/appeals/${filed.json.id}`);
    expect(read.status).toBe(200);
    expect(read.json).toEqual(filed.json);
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({ id: filed.json.id, status: 'approved' });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/already approved/);
    const member = await call('GET', memberPath('appellant'));
    expect(member.json).toMatchObject({ interop: { status: 'active' }, strikes: 0 });
    const violations = await call('GET', `${memberPath('appellant')}/violations`);
    expect(violations.json.violations[0]).toMatchObject({ id: violationId, status: 'void' });
  });

  it('still answers an old decided appeal after the member state has let it go', async () => {
    // Prepare: four violations, each appealed and the appeal rejected; state keeps the last two
    // decided ones when the next is filed
    const appealIds: string[] = [];
    for (const day of [0, 3, 10, 20]) {
      await inducingSharing('serial-appellant', T0 + day * DAY);
      at(T0 + day * DAY + HOUR);
      const filed = await call('POST', '/admin/appeals', {
        body: { corpId: CORP_ID, userId: 'serial-appellant' },
      });
      expect(filed.status).toBe(201);
      appealIds.push(filed.json.id);
      await call('POST', `/admin/appeals/${filed.json.id}/decision`, {
        body: { approved: false, reviewer: 'reviewer-wang' },
      });
    }

    // Act
    const oldest = await call('GET', `/admin/appeals/${appealIds[0]}`);
    const member = await call('GET', memberPath('serial-appellant'));

    // Assess
    expect(oldest.status).toBe(200);
    expect(oldest.json).toMatchObject({
      id: appealIds[0],
      userId: 'serial-appellant',
      status: 'rejected',
      filedAt: iso(T0 + HOUR),
    });
    expect(member.json.appeals.map((a: { id: string }) => a.id)).not.toContain(appealIds[0]);
  });

  it('answers an unknown appeal with 404', async () => {
    // Prepare
    at(T0);

    // Act
    const read = await call('GET', '/admin/appeals/no-such-appeal');
    const decided = await call('POST', '/admin/appeals/no-such-appeal/decision', {
      body: { approved: true, reviewer: 'reviewer-wang' },
    });

    // Assess
    expect(read.status).toBe(404);
    expect(typeof read.json.error).toBe('string');
    expect(decided.status).toBe(404);
  });

  it('refuses a member appeal without a penalty in force with 409', async () => {
    // Prepare
    at(T0);

    // Act
    const response = await call('POST', '/admin/appeals', { body: { corpId: CORP_ID, userId: 'innocent' } });

    // Assess
    expect(response.status).toBe(409);
    expect(response.json.error).toMatch(/no penalty in force/);
  });

  it('refuses an enterprise appeal missing a document with 400 naming it', async () => {
    // Prepare
    at(T0);
    const documents = ENTERPRISE_DOCUMENTS.filter((d) => d !== 'seal-authorization-letter');

    // Act
    const response = await call('POST', '/admin/appeals', { body: { corpId: 'wwnodocs0000001', documents } });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.error).toContain('seal-authorization-letter');
  });

  it('unblocks an enterprise blocked for bad influence once its appeal is approved', async () => {
    // Prepare: a rule-3 violation with bad influence blocks the enterprise and its admin (at once,
    // as WeCom does: the default policy would hold the block in a case for a reviewer)
    const policies = FAITHFUL;
    const corpId = 'wwblocked00000001';
    at(T0);
    await call('POST', `/admin/corps/${corpId}/members/fraudster/violations`, {
      body: { category: 'fraud', badInfluence: true, reviewer: 'reviewer-wang' },
      policies,
    });
    const blocked = await call('GET', `/admin/corps/${corpId}`, { policies });
    at(T0 + HOUR);

    // Act
    const filed = await call('POST', '/admin/appeals', {
      body: { corpId, documents: [...ENTERPRISE_DOCUMENTS] },
      headers: { 'Idempotency-Key': 'enterprise-appeal-1' },
      policies,
    });
    const refiled = await call('POST', '/admin/appeals', {
      body: { corpId, documents: [...ENTERPRISE_DOCUMENTS] },
      headers: { 'Idempotency-Key': 'enterprise-appeal-1' },
      policies,
    });
    const decided = await call('POST', `/admin/appeals/${filed.json.id}/decision`, {
      body: { approved: true, reviewer: 'reviewer-wang' },
      policies,
    });
    const after = await call('GET', `/admin/corps/${corpId}`, { policies });

    // Assess
    expect(blocked.json).toMatchObject({
      account: { status: 'blocked', reason: { rule: 'R3', category: 'fraud' } },
      adminAccount: { status: 'blocked' },
    });
    expect(filed.status).toBe(201);
    expect(filed.json).toMatchObject({ corpId, userId: null, kind: 'enterprise', status: 'open' });
    expect(refiled.status).toBe(201);
    expect(refiled.json.id).toBe(filed.json.id);
    expect(decided.json).toMatchObject({ id: filed.json.id, status: 'approved' });
    expect(after.json).toMatchObject({ account: { status: 'active' }, adminAccount: { status: 'active' } });
    expect(after.json.appeals).toEqual([expect.objectContaining({ id: filed.json.id, status: 'approved' })]);
  });
});
