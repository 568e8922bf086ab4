import { describe, expect, it } from 'vitest';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import { ENV } from '../../../../shared/config/constants.js';
import { DEFAULT_POLICY_SET } from '../../../../shared/domain/policy.js';
import { createEngineDependencies } from '../../../../shared/evaluator/engine-dependencies.js';
import { DecisionEffects } from '../../../../shared/evaluator/side-effects.js';

const COMPLETE: NodeJS.ProcessEnv = {
  AWS_REGION: 'ap-east-1',
  [ENV.tableName]: 'penalties',
  [ENV.eventQueueUrl]: 'https://sqs.ap-east-1.amazonaws.com/123456789012/events.fifo',
  [ENV.eventQueueArn]: 'arn:aws:sqs:ap-east-1:123456789012:events.fifo',
  [ENV.scheduleGroup]: 'wecom-enforcement-timers',
  [ENV.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/scheduler',
  [ENV.timerDeadLetterArn]: 'arn:aws:sqs:ap-east-1:123456789012:timer-dlq',
  [ENV.eventBusName]: 'wecom-enforcement',
};

describe('createEngineDependencies: the engine wired from the environment', () => {
  it.each([
    ENV.tableName,
    ENV.eventQueueUrl,
    ENV.eventQueueArn,
    ENV.scheduleGroup,
    ENV.schedulerRoleArn,
    ENV.timerDeadLetterArn,
    ENV.eventBusName,
  ])('refuses to start without %s, naming it', (name) => {
    // Prepare
    const env = { ...COMPLETE, [name]: undefined };

    // Act, Assess
    expect(() => createEngineDependencies(env)).toThrow(
      new RegExp(`environment variable ${name} is not set`),
    );
  });

  it('builds the store, side effects and the default policy from a complete environment', () => {
    // Act
    const engine = createEngineDependencies(COMPLETE);

    // Assess
    expect(engine.policies).toBe(DEFAULT_POLICY_SET);
    expect(engine.effects).toBeInstanceOf(DecisionEffects);
    expect(engine.store).toBeInstanceOf(DynamoDbPenaltyStore);
  });

  it('names the policy file when POLICY_FILE points at nothing readable', () => {
    // Act, Assess
    expect(() =>
      createEngineDependencies({ ...COMPLETE, [ENV.policyFile]: '/nonexistent/policy.json' }),
    ).toThrow(/POLICY_FILE=\/nonexistent\/policy.json cannot be read/);
  });
});
