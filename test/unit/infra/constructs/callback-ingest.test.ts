import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { beforeAll, describe, expect, it } from 'vitest';
import { CallbackIngest } from '../../../../infra/constructs/callback-ingest.js';
import { EventQueue } from '../../../../infra/constructs/event-queue.js';
import { WecomCredentials } from '../../../../infra/constructs/wecom-credentials.js';
import { ENV } from '../../../../shared/config/constants.js';
import { testAppContext } from '../test-app-context.js';

describe('CallbackIngest', () => {
  let ingest: CallbackIngest;
  let stage: HttpStage;
  let template: Template;
  const logicalId = (element: unknown): string => Stack.of(ingest).getLogicalId(element as CfnElement);

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App({ context: testAppContext({ bundle: false }) }), 'Test');
    const api = new HttpApi(stack, 'Api', { createDefaultStage: false });
    stage = api.addStage('Stage', { stageName: '$default', autoDeploy: true });

    // Act
    ingest = new CallbackIngest(stack, 'Probe', {
      api,
      stage,
      path: '/callbacks/probe',
      entry: 'test/unit/infra/fixtures/handler.ts',
      serviceName: 'probe-callback',
      credentials: new WecomCredentials(stack, 'Credentials', { corpId: 'wwcorp' }),
      eventQueue: new EventQueue(stack, 'Events'),
    });
    template = Template.fromStack(stack);
  });

  it('routes GET (URL verification) and POST (events) of its path to one Lambda proxy integration', () => {
    // Assess
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'GET /callbacks/probe',
      'POST /callbacks/probe',
    ]);
    const [integrationId, ...others] = Object.keys(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(others).toEqual([]);
    for (const route of routes) {
      expect(route.Properties.Target).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: integrationId }]],
      });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(ingest.function.node.defaultChild), 'Arn'] },
    });
  });

  it('lets API Gateway invoke the function on this path only', () => {
    // Assess
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(2);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      expect(JSON.stringify(permission.Properties.SourceArn)).toMatch(/\/\*\/\*\/callbacks\/probe"/);
    }
  });

  it('throttles each of its routes on the stage by itself: POST for WeCom deliveries, GET far lower', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        'POST /callbacks/probe': { ThrottlingRateLimit: 2_500, ThrottlingBurstLimit: 5_000 },
        'GET /callbacks/probe': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      },
    });
    // CloudFormation refuses settings for a route key the API does not have yet.
    const [stageResource] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    for (const route of ingest.routes)
      expect(stageResource?.DependsOn).toContain(logicalId(route.node.defaultChild));
  });

  it('connects the function to the credentials and the queue', () => {
    // Assess
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(ingest.function.node.defaultChild)];
    expect(Object.keys(fn?.Properties.Environment.Variables)).toEqual(
      expect.arrayContaining([ENV.corpId, ENV.secretArn, ENV.eventQueueUrl]),
    );
  });

  it('acknowledges APIG4 (and nothing else) on its two routes, with the WeCom signature as the reason', () => {
    // Assess
    expect(ingest.routes).toHaveLength(2);
    for (const route of ingest.routes) {
      const acknowledged = route.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>));
      expect(acknowledged.map(([id]) => id.replace(/^annotation::/i, '')).sort()).toEqual([
        'AwsSolutions-APIG4',
      ]);
      for (const [, reason] of acknowledged) expect(reason).toMatch(/msg_signature/);
    }
  });
});
