import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbParkedInputs, DynamoDbPenaltyStore } from '../adapters/index.js';
import { defaultClassifier } from '../classifier/index.js';
import { ENV, loadPolicySet, requireEnv } from '../config/index.js';
import type {
  Classifier,
  ParkedInputs,
  PenaltyStore,
  PolicySet,
  SideEffects,
  StateReader,
} from '../domain/index.js';
import { evaluateInput } from '../evaluator/index.js';
import type { AdminDependencies } from './types.js';

/** What the admin API is built from; everything but the side effects has a default. */
export interface AdminDependencyOptions {
  /** Schedules and outbound events of the commands it evaluates (the evaluator's own). */
  readonly effects: SideEffects;
  /** The store it reads and evaluates with; by default DynamoDB, table `TABLE_NAME`. */
  readonly store?: PenaltyStore & StateReader;
  /** The parked inputs; by default in the same DynamoDB table. */
  readonly parked?: ParkedInputs;
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
  const client = (): DynamoDBClient =>
    new DynamoDBClient({
      ...(env.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB } : {}),
    });
  const store =
    options.store ??
    new DynamoDbPenaltyStore({ client: client(), tableName: requireEnv(ENV.tableName, env) });
  // Given a store of its own (tests), the API keeps no parked inputs unless given those too.
  const parked =
    options.parked ??
    (options.store
      ? undefined
      : new DynamoDbParkedInputs({ client: client(), tableName: requireEnv(ENV.tableName, env) }));
  const policies = options.policies ?? loadPolicySet(env);
  const classifier = options.classifier ?? defaultClassifier;
  const { effects } = options;
  return {
    reader: store,
    ...(parked ? { parked } : {}),
    evaluate: (input) => evaluateInput(input, { store, effects, policies, classifier }),
    policies,
    now: options.now ?? Date.now,
    newId: options.newId ?? randomUUID,
  };
}
