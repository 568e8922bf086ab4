import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll } from 'vitest';
import { localLambdaContext } from '../../local/api-gateway-event.js';
import { DynamoDbPenaltyStore } from '../../shared/adapters/dynamodb-penalty-store.js';
import { createAdminDependencies } from '../../shared/admin/admin-dependencies.js';
import { createAdminHandler } from '../../shared/admin/admin-handler.js';
import { handleAdminRequest } from '../../shared/admin/handle-admin-request.js';
import type { AdminDependencies, AdminPrincipal, AdminResponse } from '../../shared/admin/types.js';
import type { Classifier } from '../../shared/domain/classification.js';
import { DEFAULT_POLICY_SET, type PolicySet } from '../../shared/domain/policy.js';
import type { StateReader } from '../../shared/domain/ports.js';
import type { EngineInput } from '../../shared/domain/types.js';
import { evaluateInput } from '../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from './domain-classifier.js';
import { aMessage, CORP_ID, nextId, T0 } from './domain-inputs.js';
import { type TestTable, usePenaltyTable } from './dynamodb.js';
import { silentLogger, silentMetrics } from './observability.js';
import { RecordingSideEffects } from './recording-side-effects.js';

/** An admin API answer. */
/** A machine client (IAM on AWS, the admin token locally): allowed every route. */
export const MACHINE: AdminPrincipal = { kind: 'machine' };

/** What API Gateway's IAM authorizer leaves in the request context of a signed request. */
const IAM_CALLER = {
  accountId: '000000000000',
  principalOrgId: null,
  userArn: 'arn:aws:iam::000000000000:user/operator',
};

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the answer's JSON, asserted field by field
  readonly json: any;
}

/** The admin API of the test file that calls it, on a table of its own. */
export interface AdminApi {
  /** Sets the admin API's clock: the time its requests happen at. */
  at(time: number): void;
  /** The file's own table. */
  readonly table: TestTable;
  /** The store over the file's table (once the table is up). */
  store(): DynamoDbPenaltyStore;
  /** The side effects the engine and the admin API asked for. */
  readonly effects: RecordingSideEffects;
  /** The admin API's dependencies: the default policy unless told, the store's reader unless given one. */
  deps(policies?: PolicySet, reader?: StateReader): AdminDependencies;
  /** One admin request; an object body is sent as its JSON, a string body as it is. */
  call(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      headers?: Record<string, string>;
      policies?: PolicySet;
      /** Who asks (default: a machine client, which may do everything). */
      principal?: AdminPrincipal;
    },
  ): Promise<Answer>;
  /** One admin request through the Lambda handler, where the body limit is (a string body as it is). */
  callLambda(method: string, path: string, options?: { body?: unknown }): Promise<Answer>;
  /** Drives the engine as the evaluator would, with a WeCom event or a command. */
  drive(input: EngineInput): Promise<void>;
  /** A rule-1 violation (inducing sharing) by the member at `at`; returns the violation's id. */
  inducingSharing(userId: string, at?: number, corpId?: string): Promise<string>;
  /** A message of the member's in `category` at `at` (T0), which opens a case; answers the case's id. */
  caseFor(
    userId: string,
    options?: { at?: number; corpId?: string; category?: keyof typeof TERMS },
  ): Promise<string>;
}

/**
 * The admin API through the real store and engine. Its requests run under the default policy
 * unless a request names another; the inputs it drives run under `drivenBy`: the default policy
 * (text-detected categories open a case for a reviewer, POLICY.md "Enforcement modes", with the
 * member's interop suspended meanwhile) unless told, or e.g. the faithful policy (every category
 * acting at once, as WeCom does). Both classify text with `classifier`: the test lexicon unless told.
 */
export function useAdminApi(options: { drivenBy?: PolicySet; classifier?: Classifier } = {}): AdminApi {
  const drivenBy = options.drivenBy ?? DEFAULT_POLICY_SET;
  const classifier = options.classifier ?? testClassifier;
  const table = usePenaltyTable();
  const effects = new RecordingSideEffects();
  let store: DynamoDbPenaltyStore;
  let clock = T0;
  beforeAll(() => {
    store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
  });
  const deps: AdminApi['deps'] = (policies = DEFAULT_POLICY_SET, reader) => {
    const dependencies = createAdminDependencies({
      store,
      effects,
      policies,
      classifier,
      now: () => clock,
      newId: nextId,
    });
    return reader ? { ...dependencies, reader } : dependencies;
  };
  const call: AdminApi['call'] = async (method, path, options = {}) => {
    const body =
      options.body === undefined
        ? null
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    return answer(
      await handleAdminRequest(
        {
          method,
          path,
          body,
          principal: options.principal ?? MACHINE,
          ...(options.headers ? { headers: options.headers } : {}),
        },
        deps(options.policies),
      ),
    );
  };
  const callLambda: AdminApi['callLambda'] = async (method, path, options = {}) => {
    const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const handler = createAdminHandler(deps(), silentLogger(), silentMetrics());
    const response = await handler(
      adminEvent(method, path, options.body === undefined ? undefined : body),
      localLambdaContext('admin-api'),
    );
    return answer(response as AdminResponse);
  };
  const drive: AdminApi['drive'] = async (input) => {
    await evaluateInput(input, { store, effects, policies: drivenBy, classifier });
  };
  return {
    at: (time) => {
      clock = time;
    },
    table,
    store: () => store,
    effects,
    deps,
    call,
    callLambda,
    drive,
    inducingSharing: async (userId, at = T0, corpId = CORP_ID) => {
      const message = aMessage({ corpId, userId, at, text: `please ${TERMS['inducing-sharing']} now` });
      await drive(message);
      return message.id;
    },
    caseFor: async (userId, options = {}) => {
      const corpId = options.corpId ?? CORP_ID;
      const category = options.category ?? 'inducing-sharing';
      await drive(aMessage({ corpId, userId, at: options.at ?? T0, text: `please ${TERMS[category]} now` }));
      const member = await call('GET', memberPath(userId, corpId));
      const open = member.json.openCases.at(-1);
      if (!open) throw new Error('the message opened no case');
      return open.id;
    },
  };
}

function answer(response: AdminResponse): Answer {
  return { status: response.statusCode, headers: response.headers, json: JSON.parse(response.body) };
}

/** An API Gateway event (HTTP API, payload format 2.0) of an admin request. */
export function adminEvent(
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
      authorizer: { iam: IAM_CALLER },
    } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded,
    ...(body === undefined ? {} : { body }),
  };
}

export const iso = (at: number) => new Date(at).toISOString();
export const memberPath = (userId: string, corpId = CORP_ID) =>
  `/admin/corps/${corpId}/members/${encodeURIComponent(userId)}`;
export const casesPath = (query = '', corpId = CORP_ID) => `/admin/corps/${corpId}/cases${query}`;
export const decisionPath = (caseId: string, corpId = CORP_ID) =>
  `/admin/corps/${corpId}/cases/${caseId}/decision`;
export const confirm = {
  decision: 'confirm',
  reviewer: 'li.reviewer',
  reason: 'asks customers to share to Moments',
};
export const overturn = {
  decision: 'overturn',
  reviewer: 'li.reviewer',
  reason: 'quoting the rules to a colleague',
};
