import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbPenaltyStore } from '../adapters/dynamodb-penalty-store.js';
import { ENV } from '../config/constants.js';
import { requireEnv } from '../config/env.js';
import { loadPolicySet } from '../config/policy-file.js';
import type { Classifier } from '../domain/classification.js';
import { defaultClassifier } from '../domain/lexicon-classifier.js';
import type { PolicySet } from '../domain/policy.js';
import type { PenaltyStore, SideEffects, StateReader } from '../domain/ports.js';
import { evaluateInput } from '../evaluator/evaluate-input.js';
import type { AdminDependencies } from './admin-api.js';

/** What the admin API is built from; everything but the side effects has a default. */
export interface AdminDependencyOptions {
  /** Schedules and outbound events of the commands it evaluates (the evaluator's own). */
  readonly effects: SideEffects;
  /** The store it reads and evaluates with; by default DynamoDB, table `TABLE_NAME`. */
  readonly store?: PenaltyStore & StateReader;
  /** By default the `POLICY_FILE` policy, else the built-in one. */
  readonly policies?: PolicySet;
  /** By default the lexicon classifier. */
  readonly classifier?: Classifier;
  readonly env?: NodeJS.ProcessEnv;
  /** By default the wall clock. */
  readonly now?: () => number;
  /** By default a random UUID. */
  readonly newId?: () => string;
}

/**
 * Wires the admin API: it reads through the store and evaluates commands synchronously with the
 * same store, side effects, policy and classifier as the evaluator. A missing variable throws
 * naming it, at init.
 */
export function createAdminDependencies(options: AdminDependencyOptions): AdminDependencies {
  const env = options.env ?? process.env;
  const store =
    options.store ??
    new DynamoDbPenaltyStore({
      client: new DynamoDBClient({
        ...(env.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB } : {}),
      }),
      tableName: requireEnv(ENV.tableName, env),
    });
  const policies = options.policies ?? loadPolicySet(env);
  const classifier = options.classifier ?? defaultClassifier;
  const { effects } = options;
  return {
    reader: store,
    evaluate: (input) => evaluateInput(input, { store, effects, policies, classifier }),
    policies,
    now: options.now ?? Date.now,
    newId: options.newId ?? randomUUID,
  };
}
