import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { localLambdaContext } from '../../../../local/api-gateway-event.js';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { createAdminDependencies } from '../../../../shared/admin/admin-dependencies.js';
import { createAdminHandler } from '../../../../shared/admin/admin-handler.js';
import { handleAdminRequest } from '../../../../shared/admin/handle-admin-request.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import type { EngineInput } from '../../../../shared/domain/types.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, DAY, HOUR, MINUTE, nextId, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { silentLogger } from '../../../helpers/observability.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

// The default policy: text-detected categories open a case for a reviewer (POLICY.md "Enforcement
// modes"), with the member's interop suspended meanwhile.
const table = usePenaltyTable();
const effects = new RecordingSideEffects();
let store: DynamoDbPenaltyStore;
/** The admin API's clock: each test sets the time its requests happen at. */
let clock = T0;

beforeAll(() => {
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
});

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the answer's JSON, asserted field by field
  readonly json: any;
}

function adminDeps() {
  return createAdminDependencies({
    store,
    effects,
    policies: DEFAULT_POLICY_SET,
    classifier: testClassifier,
    now: () => clock,
    newId: nextId,
  });
}

/** One admin request; an object body is sent as its JSON, a string body as it is. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body =
    options.body === undefined
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const response = await handleAdminRequest(
    { method, path, body, ...(options.headers ? { headers: options.headers } : {}) },
    adminDeps(),
  );
  return { status: response.statusCode, headers: response.headers, json: JSON.parse(response.body) };
}

async function drive(input: EngineInput): Promise<void> {
  await evaluateInput(input, { store, effects, policies: DEFAULT_POLICY_SET, classifier: testClassifier });
}

/** A message of the member's in `category` at `at`, which opens a case; answers the case's id. */
async function caseFor(
  userId: string,
  options: { at?: number; corpId?: string; category?: keyof typeof TERMS } = {},
): Promise<string> {
  const corpId = options.corpId ?? CORP_ID;
  const at = options.at ?? T0;
  const category = options.category ?? 'inducing-sharing';
  await drive(aMessage({ corpId, userId, at, text: `please ${TERMS[category]} now` }));
  const member = await call('GET', memberPath(userId, corpId));
  const open = member.json.openCases.at(-1);
  if (!open) throw new Error('the message opened no case');
  return open.id;
}

const iso = (at: number) => new Date(at).toISOString();
const memberPath = (userId: string, corpId = CORP_ID) => `/admin/corps/${corpId}/members/${userId}`;
const casesPath = (query = '', corpId = CORP_ID) => `/admin/corps/${corpId}/cases${query}`;
const decisionPath = (caseId: string, corpId = CORP_ID) => `/admin/corps/${corpId}/cases/${caseId}/decision`;
const confirm = {
  decision: 'confirm',
  reviewer: 'li.reviewer',
  reason: 'asks customers to share to Moments',
};
const overturn = {
  decision: 'overturn',
  reviewer: 'li.reviewer',
  reason: 'quoting the rules to a colleague',
};

describe('a case as the admin API shows it', () => {
  it('shows the open case on the member, with the provisional suspension it holds, and the case itself in full', async () => {
    // Prepare
    clock = T0 + MINUTE;
    const caseId = await caseFor('case-view');

    // Act
    const member = await call('GET', memberPath('case-view'));
    const one = await call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    const violations = await call('GET', `${memberPath('case-view')}/violations`);

    // Assess
    expect(member.json.openCases).toEqual([
      {
        id: caseId,
        kind: 'violation',
        rule: 'R1',
        category: 'inducing-sharing',
        openedAt: iso(T0),
        reviewBy: iso(T0 + 3 * DAY),
        status: 'open',
      },
    ]);
    expect(member.json.interop).toMatchObject({
      status: 'suspended',
      reason: { rule: 'R1', category: 'inducing-sharing', provisional: true, caseId },
    });
    expect(member.json.strikes).toBe(0);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({
      id: caseId,
      corpId: CORP_ID,
      userId: 'case-view',
      kind: 'violation',
      rule: 'R1',
      category: 'inducing-sharing',
      status: 'open',
      openedAt: iso(T0),
      reviewBy: iso(T0 + 3 * DAY),
      text: { text: `please ${TERMS['inducing-sharing']} now`, truncated: false },
      provisional: { kind: 'suspension', scope: 'interop' },
      decision: null,
      policyVersion: DEFAULT_POLICY_SET.base.version,
    });
    const [violation] = violations.json.violations;
    expect(violation).toMatchObject({ id: one.json.violationId, status: 'pending', caseId, penalty: null });
    expect(one.json.evidence).toEqual(violation.evidence);
    expect(one.json.evidence).toContainEqual({
      type: 'term',
      term: TERMS['inducing-sharing'],
      length: TERMS['inducing-sharing'].length,
      truncated: false,
    });
  });

  it('answers 404 for an unknown case and for another corp’s case alike', async () => {
    // Prepare
    clock = T0 + MINUTE;
    const theirs = await caseFor('case-other-corp', { corpId: 'wwOTHERCORP0001' });

    // Act
    const unknown = await call('GET', `/admin/corps/${CORP_ID}/cases/case-${'0'.repeat(32)}`);
    const other = await call('GET', `/admin/corps/${CORP_ID}/cases/${theirs}`);
    const decideOther = await call('POST', decisionPath(theirs), { body: confirm });

    // Assess
    expect([unknown.status, other.status, decideOther.status]).toEqual([404, 404, 404]);
    const still = await call('GET', `/admin/corps/wwOTHERCORP0001/cases/${theirs}`);
    expect(still.json).toMatchObject({ status: 'open', decision: null });
  });
});

describe('listing a corp’s cases', () => {
  const corpId = 'wwLISTINGCORP01';

  it('lists the open cases oldest first a page at a time, and a decided one under its status only', async () => {
    // Prepare
    clock = T0 + HOUR;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await caseFor(`lister-${i}`, { corpId, at: T0 + i * MINUTE }));
    await call('POST', decisionPath(ids[1] ?? '', corpId), { body: confirm });
    await call('POST', decisionPath(ids[3] ?? '', corpId), { body: overturn });

    // Act
    const first = await call('GET', casesPath('?limit=2', corpId));
    const second = await call('GET', casesPath(`?limit=2&cursor=${first.json.next}`, corpId));
    const confirmed = await call('GET', casesPath('?status=confirmed', corpId));
    const overturned = await call('GET', casesPath('?status=overturned', corpId));
    const expired = await call('GET', casesPath('?status=expired', corpId));

    // Assess
    expect(first.json.cases.map((c: { id: string }) => c.id)).toEqual([ids[0], ids[2]]);
    expect(second.json.cases.map((c: { id: string }) => c.id)).toEqual([ids[4]]);
    expect(second.json.next).toBeNull();
    expect(confirmed.json.cases).toEqual([
      expect.objectContaining({
        id: ids[1],
        status: 'confirmed',
        decision: { ...confirm, at: iso(T0 + HOUR) },
      }),
    ]);
    expect(overturned.json.cases.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
    expect(expired.json).toEqual({ cases: [], next: null });
  });

  it('refuses a status, limit or cursor it does not know with 400', async () => {
    // Act
    const answers = await Promise.all([
      call('GET', casesPath('?status=closed', corpId)),
      call('GET', casesPath('?limit=0', corpId)),
      call('GET', casesPath('?limit=201', corpId)),
      call('GET', casesPath('?cursor=not-a-cursor', corpId)),
      call(
        'GET',
        casesPath(
          `?cursor=${Buffer.from('{"v":1,"openedAt":1,"caseId":"x"}').toString('base64url')}`,
          corpId,
        ),
      ),
    ]);

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers[0]?.json.error).toContain('status');
    expect(answers[3]?.json.error).toContain('cursor');
  });

  it('allows GET only on the list and on a case, and POST only on a decision, naming them in Allow', async () => {
    // Act
    const list = await call('POST', casesPath('', corpId), { body: {} });
    const one = await call('DELETE', `/admin/corps/${corpId}/cases/case-${'1'.repeat(32)}`);
    const decision = await call('GET', decisionPath(`case-${'1'.repeat(32)}`, corpId));

    // Assess
    expect([list.status, one.status, decision.status]).toEqual([405, 405, 405]);
    expect([list.headers.allow, one.headers.allow, decision.headers.allow]).toEqual(['GET', 'GET', 'POST']);
  });
});

describe('deciding a case', () => {
  it('confirms: the rule-1 suspension applies as of the violation, with its strike, and the case is closed', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('confirm-r1');

    // Act
    const decided = await call('POST', decisionPath(caseId), { body: confirm });

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({
      userId: 'confirm-r1',
      strikes: 1,
      interop: { status: 'suspended', until: iso(T0 + DAY), reason: { rule: 'R1' } },
      openCases: [],
    });
    expect(decided.json.interop.reason).not.toHaveProperty('provisional');
    const one = await call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    expect(one.json).toMatchObject({ status: 'confirmed', decision: { ...confirm, at: iso(T0 + HOUR) } });
    const violations = await call('GET', `${memberPath('confirm-r1')}/violations`);
    expect(violations.json.violations[0]).toMatchObject({
      status: 'standing',
      strikes: 1,
      penalty: { kind: 'suspension', scope: 'interop', until: iso(T0 + DAY) },
    });
  });

  it('confirms a rule-3 detection: the account is blocked', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('confirm-r3', { category: 'pornography' });

    // Act
    const decided = await call('POST', decisionPath(caseId), { body: confirm });

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.json.account.status).toBe('blocked');
    expect(decided.json.openCases).toEqual([]);
  });

  it('overturns: the member is active again, no strike, the violation void', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('overturn-r1');

    // Act
    const decided = await call('POST', decisionPath(caseId), { body: overturn });

    // Assess
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({
      strikes: 0,
      interop: { status: 'active', reason: null },
      account: { status: 'active' },
      openCases: [],
    });
    const violations = await call('GET', `${memberPath('overturn-r1')}/violations`);
    expect(violations.json.violations[0]).toMatchObject({ status: 'void', caseId });
    const corp = await call('GET', `/admin/corps/${CORP_ID}`);
    expect(corp.json.precision).toContainEqual(
      expect.objectContaining({ category: 'inducing-sharing', decided: expect.any(Number) }),
    );
    expect(corp.json).toHaveProperty('enterpriseCase', null);
  });

  it('refuses a second decision with 409 and keeps the first', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('decided-twice');
    await call('POST', decisionPath(caseId), { body: overturn });

    // Act
    const again = await call('POST', decisionPath(caseId), { body: confirm });

    // Assess
    expect(again.status).toBe(409);
    expect(again.json.error).toEqual(expect.any(String));
    const member = await call('GET', memberPath('decided-twice'));
    expect(member.json).toMatchObject({ strikes: 0, interop: { status: 'active' } });
    const one = await call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`);
    expect(one.json).toMatchObject({ status: 'overturned', decision: { decision: 'overturn' } });
  });

  it('refuses a body that is not a decision with 400 and writes nothing', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('bad-body');
    const before = await call('GET', memberPath('bad-body'));

    // Act
    const answers = await Promise.all(
      [
        { ...confirm, decision: 'maybe' },
        { ...confirm, reason: '' },
        { ...confirm, reason: 'x'.repeat(2001) },
        { decision: 'confirm', reason: 'no reviewer' },
        { ...confirm, reviewer: '' },
        { ...confirm, extra: true },
        'not json',
      ].map((body) => call('POST', decisionPath(caseId), { body })),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect((await call('GET', memberPath('bad-body'))).json).toEqual(before.json);
    expect((await call('GET', `/admin/corps/${CORP_ID}/cases/${caseId}`)).json.status).toBe('open');
  });

  it('takes the same Idempotency-Key once, answering the first answer again', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('idempotent');
    const headers = { 'Idempotency-Key': 'review-2026-03-02.001' };

    // Act
    const first = await call('POST', decisionPath(caseId), { body: confirm, headers });
    const retry = await call('POST', decisionPath(caseId), { body: confirm, headers });

    // Assess
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.json.strikes).toBe(1);
  });

  it('answers a retry of a refused decision as the first attempt was answered: 409', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('idempotent-refused');
    await call('POST', decisionPath(caseId), { body: overturn });
    const headers = { 'Idempotency-Key': 'review-2026-03-02.002' };

    // Act
    const first = await call('POST', decisionPath(caseId), { body: confirm, headers });
    const retry = await call('POST', decisionPath(caseId), { body: confirm, headers });

    // Assess
    expect([first.status, retry.status]).toEqual([409, 409]);
    expect((await call('GET', memberPath('idempotent-refused'))).json.strikes).toBe(0);
  });
});

describe('human-review metrics of the admin API', () => {
  it('counts a reviewer’s decision and publishes the category’s measured precision after it', async () => {
    // Prepare
    clock = T0 + HOUR;
    const caseId = await caseFor('measured', { corpId: 'wwMETRICSCORP01' });
    const path = decisionPath(caseId, 'wwMETRICSCORP01');
    const handler = createAdminHandler(
      adminDeps(),
      silentLogger(),
      new Metrics({ namespace: 'Test', serviceName: 'admin-api' }),
    );
    const request: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'test',
        domainName: 'test.local',
        domainPrefix: 'test',
        http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
        requestId: 'req',
        routeKey: '$default',
        stage: '$default',
        time: '02/Mar/2026:01:00:00 +0000',
        timeEpoch: clock,
      },
      isBase64Encoded: false,
      body: JSON.stringify(confirm),
    };
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });

    // Act
    let response: APIGatewayProxyStructuredResultV2;
    try {
      response = (await handler(
        request,
        localLambdaContext('admin-api'),
      )) as APIGatewayProxyStructuredResultV2;
    } finally {
      stdout.mockRestore();
    }

    // Assess
    expect(response.statusCode).toBe(200);
    const emf = written.flatMap((line) => line.split('\n')).filter((line) => line.includes('"_aws"'));
    const published = emf.map((line) => JSON.parse(line));
    expect(published).toContainEqual(expect.objectContaining({ CasesDecided: 1 }));
    expect(published).toContainEqual(
      expect.objectContaining({ CasePrecision: 1, Category: 'inducing-sharing', service: 'admin-api' }),
    );
  });
});
