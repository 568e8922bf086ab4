import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDbParkedInputs,
  DynamoDbPenaltyStore,
  EventBridgeOutbound,
  SchedulerTimers,
  SqsCommandQueue,
} from '../adapters/index.js';
import { defaultClassifier } from '../classifier/index.js';
import { ENV, loadPolicySet, requireEnv } from '../config/index.js';
import type { Classifier, PolicySet, SideEffects } from '../domain/index.js';
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
