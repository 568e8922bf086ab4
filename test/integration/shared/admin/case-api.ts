import { beforeAll } from 'vitest';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { createAdminDependencies } from '../../../../shared/admin/admin-dependencies.js';
import { handleAdminRequest } from '../../../../shared/admin/handle-admin-request.js';
import type { AdminDependencies } from '../../../../shared/admin/types.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, CORP_ID, nextId, T0 } from '../../../helpers/domain-inputs.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

/** An admin API answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: the answer's JSON, asserted field by field
  readonly json: any;
}

/** The admin API of the test file that calls it, on a table of its own. */
export interface CaseApi {
  /** Sets the admin API's clock: the time its requests happen at. */
  at(time: number): void;
  deps(): AdminDependencies;
  /** One admin request; an object body is sent as its JSON, a string body as it is. */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  /** A message of the member's in `category` at `at` (T0), which opens a case; answers the case's id. */
  caseFor(
    userId: string,
    options?: { at?: number; corpId?: string; category?: keyof typeof TERMS },
  ): Promise<string>;
}

/**
 * The admin API through the real store and engine, under the default policy: text-detected
 * categories open a case for a reviewer (POLICY.md "Enforcement modes"), with the member's interop
 * suspended meanwhile.
 */
export function useCaseApi(): CaseApi {
  const table = usePenaltyTable();
  const effects = new RecordingSideEffects();
  let store: DynamoDbPenaltyStore;
  let clock = T0;
  beforeAll(() => {
    store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
  });
  const deps = () =>
    createAdminDependencies({
      store,
      effects,
      policies: DEFAULT_POLICY_SET,
      classifier: testClassifier,
      now: () => clock,
      newId: nextId,
    });
  const call: CaseApi['call'] = async (method, path, options = {}) => {
    const body =
      options.body === undefined
        ? null
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    const response = await handleAdminRequest(
      { method, path, body, ...(options.headers ? { headers: options.headers } : {}) },
      deps(),
    );
    return { status: response.statusCode, headers: response.headers, json: JSON.parse(response.body) };
  };
  return {
    at: (time) => {
      clock = time;
    },
    deps,
    call,
    caseFor: async (userId, options = {}) => {
      const corpId = options.corpId ?? CORP_ID;
      const category = options.category ?? 'inducing-sharing';
      const message = aMessage({
        corpId,
        userId,
        at: options.at ?? T0,
        text: `please ${TERMS[category]} now`,
      });
      await evaluateInput(message, {
        store,
        effects,
        policies: DEFAULT_POLICY_SET,
        classifier: testClassifier,
      });
      const member = await call('GET', memberPath(userId, corpId));
      const open = member.json.openCases.at(-1);
      if (!open) throw new Error('the message opened no case');
      return open.id;
    },
  };
}

export const iso = (at: number) => new Date(at).toISOString();
export const memberPath = (userId: string, corpId = CORP_ID) => `/admin/corps/${corpId}/members/${userId}`;
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
