import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { createAdminHandler } from '../../../../shared/admin/admin-handler.js';
import { MAX_ADMIN_BODY_BYTES } from '../../../../shared/admin/constants.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import type { StateReader } from '../../../../shared/domain/ports.js';
import { adminEvent as event, memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { CORP_ID, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { FAITHFUL_POLICY_SET as FAITHFUL } from '../../../helpers/domain-policy.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';

/** Inputs driven under policies/wecom-faithful.json, every category acting at once, as WeCom does: human review is case-routes.test.ts's. */
const { at, call, callLambda, deps, inducingSharing, store } = useAdminApi({ drivenBy: FAITHFUL });

describe('bad requests', () => {
  it('refuses malformed JSON with 400 and changes nothing', async () => {
    // Prepare
    await inducingSharing('careful');
    at(T0 + HOUR);
    const before = await store().load(CORP_ID, 'careful');

    // Act
    const response = await call('POST', `${memberPath('careful')}/violations`, {
      body: '{"category": "harassing-marketing", "reviewer": ',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'body: is not valid JSON' });
    expect(await store().load(CORP_ID, 'careful')).toEqual(before);
  });

  it('names the field a body gets wrong, never echoing its value', async () => {
    // Prepare
    at(T0);

    // Act
    const wrongCategory = await call('POST', `${memberPath('typo')}/violations`, {
      body: { category: 'secret-value-42', reviewer: 'reviewer-wang' },
    });
    const noReviewer = await call('POST', `${memberPath('typo')}/violations`, {
      body: { category: 'harassing-marketing' },
    });
    const unknownField = await call('POST', `${memberPath('typo')}/violations`, {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang', severity: 'secret-value-43' },
    });
    const notAnObject = await call('POST', '/admin/appeals', { body: '[]' });

    // Assess
    expect(wrongCategory.status).toBe(400);
    expect(wrongCategory.json.error).toMatch(/^category: must be one of /);
    expect(wrongCategory.json.error).not.toContain('secret-value-42');
    expect(noReviewer.json).toEqual({ error: 'reviewer: is required' });
    expect(unknownField.json.error).toBe('severity: is not a known field');
    expect(notAnObject.json).toEqual({ error: 'body: must be a JSON object' });
    expect((await call('GET', memberPath('typo'))).json.strikes).toBe(0);
  });

  it('refuses a body over 64 KiB with 413', async () => {
    // Prepare
    at(T0);
    const note = 'x'.repeat(MAX_ADMIN_BODY_BYTES);

    // Act
    const response = await callLambda('POST', `${memberPath('verbose')}/violations`, {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang', note },
    });

    // Assess: refused, and no violation recorded
    expect(response.status).toBe(413);
    expect(response.json.error).toMatch(/bytes/);
    expect((await call('GET', `${memberPath('verbose')}/violations`)).json.violations).toEqual([]);
    expect((await call('GET', memberPath('verbose'))).json.strikes).toBe(0);
  });

  it('answers an unknown route with 404 and a wrong method with 405 naming the allowed ones', async () => {
    // Prepare
    at(T0);

    // Act
    const unknown = await call('GET', '/admin/corps/ww1/members/zhang/penalties');
    const outside = await call('GET', '/health');
    const wrongMethod = await call('DELETE', `${memberPath('zhang')}/violations`);

    // Assess
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatch(/^no route/);
    expect(outside.status).toBe(404);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('GET, POST');
    expect(wrongMethod.json.error).toContain('DELETE');
  });
});

describe('the Lambda handler', () => {
  it('answers through API Gateway events, base64 bodies included', async () => {
    // Prepare
    at(T0);
    const handler = createAdminHandler(deps(), silentLogger(), silentMetrics());
    const body = Buffer.from(JSON.stringify({ category: 'harassing-marketing', reviewer: 'reviewer-wang' }));

    // Act
    const response = await handler(
      event('POST', `${memberPath('via-lambda')}/violations`, body.toString('base64'), true),
      localLambdaContext('admin-api'),
    );

    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body ?? '{}').member).toMatchObject({ userId: 'via-lambda', strikes: 1 });
  });

  it('answers 500 with a JSON error when the store cannot be reached', async () => {
    // Prepare
    at(T0);
    const failing: StateReader = {
      load: async () => {
        throw new Error('DynamoDB unreachable');
      },
      member: async () => {
        throw new Error('DynamoDB unreachable');
      },
      violations: async () => ({ violations: [], next: null }),
      audit: async () => ({ entries: [], next: null }),
      membersByStanding: async () => ({ members: [], next: null }),
      appeals: async () => ({ appeals: [], next: null }),
      violation: async () => null,
      appealOwner: async () => null,
      cases: async () => ({ cases: [], next: null }),
      case: async () => null,
    };
    const handler = createAdminHandler(deps(DEFAULT_POLICY_SET, failing), silentLogger(), silentMetrics());

    // Act
    const response = await handler(event('GET', memberPath('anyone')), localLambdaContext('admin-api'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'internal error' });
  });
});
