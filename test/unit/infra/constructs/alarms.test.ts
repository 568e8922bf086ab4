import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { Alarms } from '../../../../infra/constructs/alarms.js';
import { testAppContext } from '../test-app-context.js';

describe('Alarms', () => {
  let app: App;
  let alarms: Alarms;
  let template: Template;
  const logicalId = (element: unknown): string => Stack.of(alarms).getLogicalId(element as CfnElement);

  beforeAll(() => {
    // Prepare
    app = new App({ context: testAppContext({ bundle: false }) });
    const stack = new Stack(app, 'Test');
    alarms = new Alarms(stack, 'Alarms');

    // Act
    alarms.add('Probe', {
      description: 'probe alarm',
      metric: new Metric({ namespace: 'Test', metricName: 'Probe', statistic: 'Sum' }),
    });
    alarms.add('Tuned', {
      description: 'tuned alarm',
      metric: new Metric({ namespace: 'Test', metricName: 'Tuned', statistic: 'Maximum' }),
      threshold: 900,
    });
    template = Template.fromStack(stack);
  });

  it('fires at the threshold (1 by default) in one period, notifying the topic on ALARM and on OK', () => {
    // Assess
    const topic = { Ref: logicalId(alarms.topic.node.defaultChild) };
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'probe alarm',
      MetricName: 'Probe',
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Tuned', Threshold: 900 });
    expect(alarms.alarms).toHaveLength(2);
  });

  it("encrypts the topic with a rotated customer managed key that only this account's alarms may use", () => {
    // Assess
    const keyId = logicalId(alarms.topic.masterKey?.node.defaultChild);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    const key = template.findResources('AWS::KMS::Key')[keyId];
    expect(key?.Properties.EnableKeyRotation).toBe(true);
    expect(key?.Properties.KeyPolicy.Statement).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudwatch:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':alarm:*',
              ],
            ],
          },
        },
      },
    });
    // No other statement lets CloudWatch in unconditionally.
    const cloudwatch = (
      key?.Properties.KeyPolicy.Statement as { Principal?: unknown; Condition?: unknown }[]
    ).filter((statement) => JSON.stringify(statement.Principal ?? {}).includes('cloudwatch.amazonaws.com'));
    expect(cloudwatch).toHaveLength(1);
  });

  it("lets only this account's CloudWatch alarms publish, over TLS only", () => {
    // Assess
    const [policy, ...others] = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(others).toEqual([]);
    const statements: { Effect: string; Principal: unknown; Condition: Record<string, unknown> }[] =
      policy?.Properties.PolicyDocument.Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(allow?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(allow?.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    expect(JSON.stringify(allow?.Condition.ArnLike)).toContain(':alarm:*');
  });

  it('passes the cdk-nag AwsSolutions checks without acknowledgements', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);

    // Assess
    expect(report.violations).toEqual([]);
  });
});
