import { describe, expect, it } from 'vitest';
import { DEFAULT_STAGE, parseStage, stackNameFor } from '../../../infra/stage.js';

/** The longest physical names the app derives from the stack name, with their AWS limits. */
const DERIVED_NAMES = [
  { suffix: '-events-dlq.fifo', limit: 80 }, // SQS FIFO queue, `.fifo` included
  { suffix: '-events.fifo', limit: 80 },
  { suffix: '-timers-dlq', limit: 80 }, // SQS standard queue
  { suffix: '-timers', limit: 64 }, // EventBridge Scheduler schedule group
  { suffix: '-outbound', limit: 256 }, // EventBridge event bus
  { suffix: '', limit: 128 }, // CloudFormation stack, HTTP API, CloudWatch namespace (255)
] as const;

describe('parseStage', () => {
  it('defaults to the dev stage', () => {
    // Act / Assess
    expect(parseStage(undefined)).toBe(DEFAULT_STAGE);
    expect(DEFAULT_STAGE).toBe('dev');
  });

  it.each(['dev', 'prod', 'p', 'staging-2', 'eu-west-1', 'a1234567890123456789'])('accepts %j', (stage) => {
    // Act / Assess
    expect(parseStage(stage)).toBe(stage);
  });

  it.each([
    '',
    'Prod',
    'PROD',
    '1prod',
    '-prod',
    'prod-',
    'pr--od',
    'pr_od',
    'pr.od',
    'pr od',
    'prød',
    'a12345678901234567890',
    'prod/../x',
  ])('refuses %j, naming the rule', (stage) => {
    // Act / Assess
    expect(() => parseStage(stage)).toThrow(/Invalid stage .*lowercase letters, digits and single hyphens/);
  });

  it('keeps every derived physical name of the longest stage within its AWS limit', () => {
    // Prepare
    const longest = parseStage('a'.repeat(20));

    // Act
    const names = DERIVED_NAMES.map(({ suffix, limit }) => ({
      name: `${stackNameFor(longest)}${suffix}`,
      limit,
    }));

    // Assess
    for (const { name, limit } of names) expect(name.length, name).toBeLessThanOrEqual(limit);
  });
});
