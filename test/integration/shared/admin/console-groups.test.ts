import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { createAdminHandler } from '../../../../shared/admin/admin-handler.js';
import type { AdminPrincipal, AdminResponse } from '../../../../shared/admin/types.js';
import { adminEvent, confirm, decisionPath, memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { CORP_ID, MINUTE, T0 } from '../../../helpers/domain-inputs.js';
import { silentLogger, silentMetrics } from '../../../helpers/observability.js';

const api = useAdminApi();

const viewer: AdminPrincipal = { kind: 'person', name: 'wang.viewer', roles: ['viewer'] };
const reviewer: AdminPrincipal = { kind: 'person', name: 'li.reviewer', roles: ['reviewer'] };
const admin: AdminPrincipal = { kind: 'person', name: 'zhao.admin', roles: ['admin'] };

/** The admin function's answer to an event whose request context carries `authorizer` (or none). */
async function lambda(
  method: string,
  path: string,
  authorizer: unknown,
  body?: unknown,
): Promise<AdminResponse> {
  const event = adminEvent(method, path, body === undefined ? undefined : JSON.stringify(body));
  const { authorizer: _iam, ...context } = event.requestContext as typeof event.requestContext & {
    authorizer?: unknown;
  };
  const withCaller = {
    ...event,
    requestContext: { ...context, ...(authorizer === undefined ? {} : { authorizer }) },
  } as APIGatewayProxyEventV2;
  const handler = createAdminHandler(api.deps(), silentLogger(), silentMetrics());
  return (await handler(withCaller, localLambdaContext('admin-api'))) as AdminResponse;
}

describe('the console groups, enforced by the admin API', () => {
  it('lets a viewer read but refuses their decision with 403, and the case stays open with its provisional measure', async () => {
    // Prepare
    api.at(T0 + MINUTE);
    const caseId = await api.caseFor('viewed');

    // Act
    const read = await api.call('GET', memberPath('viewed'), { principal: viewer });
    const decided = await api.call('POST', decisionPath(caseId), { body: confirm, principal: viewer });
    const after = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);

    // Assess
    expect(read.status).toBe(200);
    expect(decided.status).toBe(403);
    expect(decided.json.error).toBe(
      'POST /admin/corps/{corpId}/cases/{caseId}/decision needs the reviewer group (you have: viewer)',
    );
    expect(after.json).toMatchObject({ status: 'open', decision: null });
    expect(read.json.interop).toMatchObject({ status: 'suspended', reason: { provisional: true, caseId } });
  });

  it('records a reviewer’s decision under their own name, whatever name the body gives', async () => {
    // Prepare
    api.at(T0 + MINUTE);
    const caseId = await api.caseFor('reviewed');

    // Act
    const decided = await api.call('POST', decisionPath(caseId), {
      body: { ...confirm, reviewer: 'someone.else' },
      principal: reviewer,
    });
    const after = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);

    // Assess
    expect(decided.status).toBe(200);
    expect(after.json.decision).toMatchObject({ decision: 'confirm', reviewer: 'li.reviewer' });
  });

  it('keeps unblock applications and appeals for admins: a reviewer gets 403 and nothing is filed', async () => {
    // Prepare
    api.at(T0 + MINUTE);
    const caseId = await api.caseFor('applicant');
    await api.call('POST', decisionPath(caseId), { body: confirm });
    const before = await api.call('GET', memberPath('applicant'));

    // Act
    const unblock = await api.call('POST', `${memberPath('applicant')}/unblock-application`, {
      principal: reviewer,
    });
    const appeal = await api.call('POST', '/admin/appeals', {
      body: { corpId: CORP_ID, userId: 'applicant' },
      principal: reviewer,
    });
    const after = await api.call('GET', memberPath('applicant'));
    const byAdmin = await api.call('POST', `${memberPath('applicant')}/unblock-application`, {
      principal: admin,
    });

    // Assess
    expect([unblock.status, appeal.status]).toEqual([403, 403]);
    expect(unblock.json.error).toContain('needs the admin group (you have: reviewer)');
    expect(after.json).toEqual(before.json);
    expect(after.json.appeals).toEqual([]);
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.json.interop.status).toBe('active');
  });

  it('refuses a person in no console group everything, naming the group they need', async () => {
    // Act
    const answer = await api.call('GET', memberPath('anyone'), {
      principal: { kind: 'person', name: 'new.hire', roles: [] },
    });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.json.error).toBe(
      'GET /admin/corps/{corpId}/members/{userId} needs the viewer group (you have: no group)',
    );
  });

  it('tells each caller who they are and what they may do', async () => {
    // Act
    const answers = await Promise.all(
      [viewer, reviewer, { kind: 'machine' } as AdminPrincipal].map((principal) =>
        api.call('GET', '/admin/me', { principal }),
      ),
    );

    // Assess
    expect(answers.map((a) => a.json)).toEqual([
      { kind: 'person', name: 'wang.viewer', roles: ['viewer'], permissions: ['read'] },
      { kind: 'person', name: 'li.reviewer', roles: ['reviewer'], permissions: ['read', 'decide'] },
      {
        kind: 'machine',
        name: null,
        roles: ['viewer', 'reviewer', 'admin'],
        permissions: ['read', 'decide', 'administer'],
      },
    ]);
  });
});

describe('the admin function behind its authorizers', () => {
  it('answers 401 to a request that reached it without an authorizer, and reads nothing', async () => {
    // Prepare: a reader that fails the test if anything is read
    const deps = api.deps();
    const untouched = new Proxy(deps.reader, {
      get: () => () => {
        throw new Error('the state was read');
      },
    });
    const handler = createAdminHandler({ ...deps, reader: untouched }, silentLogger(), silentMetrics());
    const event = adminEvent('GET', memberPath('someone'));
    const { authorizer: _iam, ...context } = event.requestContext as typeof event.requestContext & {
      authorizer?: unknown;
    };

    // Act
    const answer = (await handler(
      { ...event, requestContext: context } as APIGatewayProxyEventV2,
      localLambdaContext('admin-api'),
    )) as AdminResponse;

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'no authorized caller: sign the request (IAM) or sign in to the console',
    });
  });

  it('serves the console’s API path as the admin API’s, to the person the JWT names, with their groups', async () => {
    // Prepare
    api.at(T0 + MINUTE);
    const caseId = await api.caseFor('through-console');
    const jwt = (groups: string) => ({
      jwt: { claims: { username: 'chen.ops', 'cognito:groups': groups }, scopes: null },
    });
    const consolePath = (path: string) => path.replace(/^\/admin/, '/console/api');

    // Act
    const viewed = await lambda('GET', consolePath(memberPath('through-console')), jwt('[viewer]'));
    const refused = await lambda('POST', consolePath(decisionPath(caseId)), jwt('[viewer]'), confirm);
    const decided = await lambda('POST', consolePath(decisionPath(caseId)), jwt('[reviewer]'), confirm);
    const after = await api.call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);

    // Assess
    expect(viewed.statusCode).toBe(200);
    expect(JSON.parse(viewed.body)).toMatchObject({
      userId: 'through-console',
      interop: { status: 'suspended' },
    });
    expect(refused.statusCode).toBe(403);
    expect(decided.statusCode).toBe(200);
    expect(after.json.decision).toMatchObject({ reviewer: 'chen.ops' });
  });
});
