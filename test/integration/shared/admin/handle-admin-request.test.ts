import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import faithfulPolicy from '../../../../policies/wecom-faithful.json' with { type: 'json' };
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { createAdminDependencies } from '../../../../shared/admin/admin-dependencies.js';
import { createAdminHandler } from '../../../../shared/admin/admin-handler.js';
import { MAX_ADMIN_BODY_BYTES } from '../../../../shared/admin/constants.js';
import { handleAdminRequest } from '../../../../shared/admin/handle-admin-request.js';
import type { AdminResponse } from '../../../../shared/admin/types.js';
import defaultPolicy from '../../../../shared/domain/default-policy.json' with { type: 'json' };
import { DEFAULT_POLICY_SET, type PolicySet, parsePolicySet } from '../../../../shared/domain/policy.js';
import type { StateReader } from '../../../../shared/domain/ports.js';
import { unbanScheduleName } from '../../../../shared/domain/timers.js';
import type { EngineInput } from '../../../../shared/domain/types.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import {
  aCorpProfile,
  aMessage,
  CORP_ID,
  DAY,
  ENTERPRISE_DOCUMENTS,
  HOUR,
  nextId,
  T0,
} from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const table = usePenaltyTable();
const effects = new RecordingSideEffects();
let store: DynamoDbPenaltyStore;
/** The admin API's clock: each test sets the time its requests happen at. */
let clock = T0;

beforeAll(() => {
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
});

function adminDeps(policies: PolicySet = DEFAULT_POLICY_SET, reader?: StateReader) {
  const deps = createAdminDependencies({
    store,
    effects,
    policies,
    classifier: testClassifier,
    now: () => clock,
    newId: nextId,
  });
  return reader ? { ...deps, reader } : deps;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the answer's JSON, asserted field by field
  readonly json: any;
}

function answer(response: AdminResponse): Answer {
  return { status: response.statusCode, headers: response.headers, json: JSON.parse(response.body) };
}

/** One admin request; an object body is sent as its JSON, a string body as it is. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; policies?: PolicySet } = {},
): Promise<Answer> {
  const body =
    options.body === undefined
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return answer(
    await handleAdminRequest(
      { method, path, body, ...(options.headers ? { headers: options.headers } : {}) },
      adminDeps(options.policies),
    ),
  );
}

/** An API Gateway event (HTTP API, payload format 2.0) of an admin request. */
function event(
  method: string,
  rawPath: string,
  body?: string,
  isBase64Encoded = false,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req',
      routeKey: '$default',
      stage: '$default',
      time: '02/Mar/2026:08:00:00 +0000',
      timeEpoch: T0,
    },
    isBase64Encoded,
    ...(body === undefined ? {} : { body }),
  };
}

/** One admin request through the Lambda handler, where the body limit is (a string body as it is). */
async function callLambda(method: string, path: string, options: { body?: unknown } = {}): Promise<Answer> {
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const handler = createAdminHandler(adminDeps(), silentLogger(), silentMetrics());
  const response = await handler(
    event(method, path, options.body === undefined ? undefined : body),
    localLambdaContext('admin-api'),
  );
  return answer(response as AdminResponse);
}

/** Every category acting at once, as WeCom does: human review is case-routes.test.ts's. */
const FAITHFUL = parsePolicySet(faithfulPolicy);

/** Drives the engine as the evaluator would, with a WeCom event or a command. */
async function drive(input: EngineInput): Promise<void> {
  await evaluateInput(input, { store, effects, policies: FAITHFUL, classifier: testClassifier });
}

/** A rule-1 violation (inducing sharing) by the member at `at`; returns the violation's id. */
async function inducingSharing(userId: string, at = T0, corpId = CORP_ID): Promise<string> {
  const message = aMessage({ corpId, userId, at, text: `please ${TERMS['inducing-sharing']} now` });
  await drive(message);
  return message.id;
}

const iso = (at: number) => new Date(at).toISOString();
const memberPath = (userId: string, corpId = CORP_ID) =>
  `/admin/corps/${corpId}/members/${encodeURIComponent(userId)}`;

describe('member status', () => {
  it('answers an unknown member as everything active with no strikes', async () => {
    // Prepare
    clock = T0;

    // Act
    const response = await call('GET', memberPath('never-seen'));

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json).toMatchObject({
      corpId: CORP_ID,
      userId: 'never-seen',
      interop: { status: 'active', until: null, canApplyForUnblock: false, reason: null },
      account: { status: 'active' },
      strikes: 0,
      linkedWeChat: { status: 'normal', restoreAt: null },
    });
  });

  it('shows a first rule-1 violation as a suspension until its end, open to an unblock application', async () => {
    // Prepare
    const violationId = await inducingSharing('first-offender');
    clock = T0 + HOUR;

    // Act
    const response = await call('GET', memberPath('first-offender'));

    // Assess
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      interop: {
        status: 'suspended',
        until: iso(T0 + DAY),
        canApplyForUnblock: true,
        reason: { rule: 'R1', category: 'inducing-sharing', violationId },
      },
      account: { status: 'active' },
      strikes: 1,
    });
    expect(response.json.penalties).toEqual([
      expect.objectContaining({ kind: 'suspension', since: iso(T0), until: iso(T0 + DAY) }),
    ]);
  });

  it('shows the suspension over once its end has passed', async () => {
    // Prepare
    await inducingSharing('served-time');
    clock = T0 + DAY + HOUR;

    // Act
    const response = await call('GET', memberPath('served-time'));

    // Assess
    expect(response.json.interop).toEqual({
      status: 'active',
      until: null,
      canApplyForUnblock: false,
      reason: null,
    });
    expect(response.json.strikes).toBe(1);
  });

  it('shows what a blocked member went on doing, counted per category, with no strikes or violations', async () => {
    // Prepare: blocked under rule 3, then six messages inducing sharing
    await drive(aMessage({ userId: 'went-on', at: T0, text: `see ${TERMS['security-threat']}` }));
    for (let i = 1; i <= 6; i++) await inducingSharing('went-on', T0 + i * HOUR);
    clock = T0 + 7 * HOUR;

    // Act
    const member = await call('GET', memberPath('went-on'));
    const violations = await call('GET', `${memberPath('went-on')}/violations`);

    // Assess
    expect(member.json).toMatchObject({
      account: { status: 'blocked' },
      strikes: 0,
      afterBlock: [{ category: 'inducing-sharing', count: 6, lastAt: iso(T0 + 6 * HOUR) }],
    });
    expect(violations.json.violations).toHaveLength(1);
    expect(violations.json.next).toBeNull();
  });

  it('decodes a percent-encoded member id exactly once', async () => {
    // Prepare
    clock = T0;

    // Act
    const once = await call('GET', `/admin/corps/${CORP_ID}/members/li%40si`);
    const twice = await call('GET', `/admin/corps/${CORP_ID}/members/li%2540si`);

    // Assess: decoded twice, the second would be li@si again; once, it is li%40si, no member id.
    expect(once.json.userId).toBe('li@si');
    expect(twice.status).toBe(400);
    expect(twice.json.error).toContain('userId');
  });

  it('refuses a corp id that cannot be one with 400 naming the parameter', async () => {
    // Prepare
    clock = T0;

    // Act
    const hash = await call('GET', '/admin/corps/ww%23x/members/zhang');
    const long = await call('GET', `/admin/corps/${'w'.repeat(257)}`);

    // Assess
    expect(hash.status).toBe(400);
    expect(hash.json.error).toContain('corpId');
    expect(long.status).toBe(400);
    expect(long.json.error).toContain('corpId');
  });
});

describe('unblock application', () => {
  it('lifts a first rule-1 suspension at once and keeps the strike; a second application is refused with 409', async () => {
    // Prepare
    const violationId = await inducingSharing('applicant');
    clock = T0 + HOUR;

    // Act
    const first = await call('POST', `${memberPath('applicant')}/unblock-application`);
    const second = await call('POST', `${memberPath('applicant')}/unblock-application`);

    // Assess
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      interop: { status: 'active', until: null, canApplyForUnblock: false, reason: null },
      strikes: 1,
    });
    expect(effects.cancelled).toContain(
      unbanScheduleName({ corpId: CORP_ID, userId: 'applicant' }, violationId),
    );
    expect(second.status).toBe(409);
    expect(second.json.error).toMatch(/first rule-1 suspension/);
    expect((await call('GET', memberPath('applicant'))).json.interop.status).toBe('active');
  });

  it('refuses an application for a member with no suspension with 409', async () => {
    // Prepare
    clock = T0;

    // Act
    const response = await call('POST', `${memberPath('blameless')}/unblock-application`, { body: {} });

    // Assess
    expect(response.status).toBe(409);
    expect(typeof response.json.error).toBe('string');
  });
});

describe('violations', () => {
  it('lists the member violations newest first, each with its evidence and penalty', async () => {
    // Prepare
    const first = await inducingSharing('repeat-offender', T0);
    const second = await inducingSharing('repeat-offender', T0 + 2 * HOUR);
    clock = T0 + 3 * HOUR;

    // Act
    const response = await call('GET', `${memberPath('repeat-offender')}/violations`);

    // Assess
    expect(response.status).toBe(200);
    const { violations } = response.json;
    expect(violations.map((v: { id: string }) => v.id)).toEqual([second, first]);
    expect(violations[0]).toMatchObject({
      rule: 'R1',
      category: 'inducing-sharing',
      at: iso(T0 + 2 * HOUR),
      status: 'standing',
      penalty: { kind: 'suspension', scope: 'interop', until: iso(T0 + 2 * HOUR + 7 * DAY) },
      explanation: { policyVersion: FAITHFUL.base.version },
    });
    expect(violations[0].evidence).toEqual(
      expect.arrayContaining([
        {
          type: 'term',
          term: TERMS['inducing-sharing'],
          length: TERMS['inducing-sharing'].length,
          truncated: false,
        },
        { type: 'input', inputId: second },
      ]),
    );
  });

  it('records a reviewer report with 201, the new violation and the member status after it', async () => {
    // Prepare
    clock = T0;

    // Act
    const response = await call('POST', `${memberPath('reported')}/violations`, {
      body: {
        category: 'harassing-marketing',
        reviewer: 'reviewer-wang',
        note: 'three customers complained',
      },
    });

    // Assess
    expect(response.status).toBe(201);
    expect(response.json.member).toMatchObject({
      interop: { status: 'suspended', reason: { rule: 'R1', violationId: response.json.violationId } },
      strikes: 1,
    });
    const listed = await call('GET', `${memberPath('reported')}/violations`);
    expect(listed.json.violations).toHaveLength(1);
    expect(listed.json.violations[0].evidence).toContainEqual({
      type: 'reviewer',
      reviewer: 'reviewer-wang',
    });
  });

  it('takes the same Idempotency-Key twice once, answering the current status both times', async () => {
    // Prepare
    clock = T0;
    const request = {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang' },
      headers: { 'Idempotency-Key': 'report-2026-03-02.001' },
    };

    // Act
    const first = await call('POST', `${memberPath('retried')}/violations`, request);
    const again = await call('POST', `${memberPath('retried')}/violations`, request);

    // Assess
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.violationId).toBe(first.json.violationId);
    expect(again.json.member.strikes).toBe(1);
    expect((await call('GET', `${memberPath('retried')}/violations`)).json.violations).toHaveLength(1);
  });

  it('applies the same Idempotency-Key for another member as that member own report', async () => {
    // Prepare
    clock = T0;
    const request = {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang' },
      headers: { 'idempotency-key': 'shared-key' },
    };

    // Act
    await call('POST', `${memberPath('one-of-two')}/violations`, request);
    const other = await call('POST', `${memberPath('two-of-two')}/violations`, request);

    // Assess
    expect(other.status).toBe(201);
    expect(other.json.member).toMatchObject({ userId: 'two-of-two', strikes: 1 });
  });

  it('refuses a malformed Idempotency-Key with 400', async () => {
    // Prepare
    clock = T0;

    // Act
    const response = await call('POST', `${memberPath('bad-key')}/violations`, {
      body: { category: 'harassing-marketing', reviewer: 'reviewer-wang' },
      headers: { 'idempotency-key': 'has spaces/and slashes' },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json.error).toContain('Idempotency-Key');
    expect((await call('GET', memberPath('bad-key'))).json.strikes).toBe(0);
  });
});

describe('bad requests', () => {
  it('refuses malformed JSON with 400 and changes nothing', async () => {
    // Prepare
    await inducingSharing('careful');
    clock = T0 + HOUR;
    const before = await store.load(CORP_ID, 'careful');

    // Act
    const response = await call('POST', `${memberPath('careful')}/violations`, {
      body: '{"category": "harassing-marketing", "reviewer": ',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ error: 'body: is not valid JSON' });
    expect(await store.load(CORP_ID, 'careful')).toEqual(before);
  });

  it('names the field a body gets wrong, never echoing its value', async () => {
    // Prepare
    clock = T0;

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
    clock = T0;
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
    clock = T0;

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

describe('corp status', () => {
  it('shows the accounts, the contact-add limits and the trust behind them; a verified subject raises the limits', async () => {
    // Prepare
    const corpId = 'wwcorpstatus000001';
    clock = T0;
    const before = await call('GET', `/admin/corps/${corpId}`);
    await drive(aCorpProfile({ corpId, subjectVerified: true, at: T0 }));

    // Act
    const after = await call('GET', `/admin/corps/${corpId}`);

    // Assess
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({
      corpId,
      account: { status: 'active', reason: null },
      adminAccount: { status: 'active', reason: null },
      subjectVerified: true,
      policyVersion: DEFAULT_POLICY_SET.base.version,
    });
    expect(after.json.trust.factors.map((f: { name: string }) => f.name)).toEqual([
      'completeness',
      'usage',
      'feedback',
      'compliance',
    ]);
    const { limits } = after.json;
    expect(limits.contactAddsPerMemberPerDay).toBe(Math.round(100 * after.json.trust.score));
    expect(limits.contactAddsPerCorpPerDay).toBe(Math.round(2000 * after.json.trust.score));
    expect(limits.contactAddsPerMemberPerDay).toBeGreaterThan(before.json.limits.contactAddsPerMemberPerDay);
    // The day the daily limits count: T0, 00:00 UTC, is 08:00 on 2 March in Shanghai, a day that ends at 16:00 UTC
    expect(after.json.day).toEqual({
      date: '2026-03-02',
      timeZone: 'Asia/Shanghai',
      endsAt: '2026-03-02T16:00:00.000Z',
    });
  });
});

describe('appeals', () => {
  it('files a member appeal (201, Location), reads it back, decides it, and refuses a second decision with 409', async () => {
    // Prepare
    const violationId = await inducingSharing('appellant');
    clock = T0 + HOUR;

    // Act
    const filed = await call('POST', '/admin/appeals', { body: { corpId: CORP_ID, userId: 'appellant' } });
    const read = await call('GET', filed.headers.location ?? '');
    clock = T0 + 2 * HOUR;
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
      clock = T0 + day * DAY + HOUR;
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
    clock = T0;

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
    clock = T0;

    // Act
    const response = await call('POST', '/admin/appeals', { body: { corpId: CORP_ID, userId: 'innocent' } });

    // Assess
    expect(response.status).toBe(409);
    expect(response.json.error).toMatch(/no penalty in force/);
  });

  it('refuses an enterprise appeal missing a document with 400 naming it', async () => {
    // Prepare
    clock = T0;
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
    clock = T0;
    await call('POST', `/admin/corps/${corpId}/members/fraudster/violations`, {
      body: { category: 'fraud', badInfluence: true, reviewer: 'reviewer-wang' },
      policies,
    });
    const blocked = await call('GET', `/admin/corps/${corpId}`, { policies });
    clock = T0 + HOUR;

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

describe('policy', () => {
  it('shows the policy in force with its version, thresholds and durations', async () => {
    // Prepare
    clock = T0;

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
    clock = T0;
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

describe('the Lambda handler', () => {
  it('answers through API Gateway events, base64 bodies included', async () => {
    // Prepare
    clock = T0;
    const handler = createAdminHandler(adminDeps(), silentLogger(), silentMetrics());
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
    clock = T0;
    const failing: StateReader = {
      load: async () => {
        throw new Error('DynamoDB unreachable');
      },
      violations: async () => ({ violations: [], next: null }),
      violation: async () => null,
      appealOwner: async () => null,
      cases: async () => ({ cases: [], next: null }),
      case: async () => null,
    };
    const handler = createAdminHandler(
      adminDeps(DEFAULT_POLICY_SET, failing),
      silentLogger(),
      silentMetrics(),
    );

    // Act
    const response = await handler(event('GET', memberPath('anyone')), localLambdaContext('admin-api'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'internal error' });
  });
});
