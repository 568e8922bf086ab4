import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbParkedInputs } from '../adapters/dynamodb-parked-inputs.js';
import { DynamoDbPenaltyStore } from '../adapters/dynamodb-penalty-store.js';
import { EventBridgeOutbound } from '../adapters/eventbridge-outbound.js';
import { SchedulerTimers } from '../adapters/scheduler-timers.js';
import { SqsCommandQueue } from '../adapters/sqs-command-queue.js';
import { defaultClassifier } from '../classifier/lexicon-classifier.js';
import { ENV } from '../config/constants.js';
import { requireEnv } from '../config/env.js';
import { loadPolicySet } from '../config/policy-file.js';
import type { Classifier } from '../domain/classification.js';
import type { PolicySet } from '../domain/policy.js';
import type { SideEffects } from '../domain/ports.js';
import { DecisionEffects } from './side-effects.js';

/** What the evaluator, the sweep and the admin API share on AWS: the store, side effects, policy and classifier. */
export interface EngineDependencies {
  readonly store: DynamoDbPenaltyStore;
  /** Where inputs that fail again and again are parked (the same table). */
  readonly parked: DynamoDbParkedInputs;
  readonly effects: SideEffects;
  readonly commands: SqsCommandQueue;
  readonly sqs: SQSClient;
  readonly policies: PolicySet;
  readonly classifier: Classifier;
}

/**
 * Wires the engine from the environment (names in ENV): a missing variable throws naming it, at
 * init, before any message is taken. Clients are built once per container and reused.
 */
export function createEngineDependencies(env: NodeJS.ProcessEnv = process.env): EngineDependencies {
  const tableName = requireEnv(ENV.tableName, env);
  const queueUrl = requireEnv(ENV.eventQueueUrl, env);
  const sqs = new SQSClient({ ...(env.AWS_ENDPOINT_URL_SQS ? { endpoint: env.AWS_ENDPOINT_URL_SQS } : {}) });
  const dynamodb = new DynamoDBClient({
    ...(env.AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB } : {}),
  });
  const store = new DynamoDbPenaltyStore({ client: dynamodb, tableName });
  const parked = new DynamoDbParkedInputs({ client: dynamodb, tableName });
  const commands = new SqsCommandQueue({ client: sqs, queueUrl });
  const timers = new SchedulerTimers({
    client: new SchedulerClient({}),
    groupName: requireEnv(ENV.scheduleGroup, env),
    queueArn: requireEnv(ENV.eventQueueArn, env),
    roleArn: requireEnv(ENV.schedulerRoleArn, env),
    deadLetterArn: requireEnv(ENV.timerDeadLetterArn, env),
    commands,
  });
  const outbound = new EventBridgeOutbound({
    client: new EventBridgeClient({}),
    busName: requireEnv(ENV.eventBusName, env),
  });
  return {
    store,
    parked,
    effects: new DecisionEffects({ timers, outbound }),
    commands,
    sqs,
    policies: loadPolicySet(env),
    classifier: defaultClassifier,
  };
}
