import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AttributeType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdminApi } from '../../../../infra/constructs/admin-api.js';
import { EventQueue } from '../../../../infra/constructs/event-queue.js';
import { PenaltyEngine } from '../../../../infra/constructs/penalty-engine.js';
import { CASES_INDEX, STANDING_INDEX, SWEEP_INDEX } from '../../../../shared/adapters/penalty-table.js';
import { ENV } from '../../../../shared/config/constants.js';
import { permissionsOfRole, roleOfFunction } from '../iam-statements.js';
import { testAppContext } from '../test-app-context.js';

const FIXTURE_ENTRY = 'test/unit/infra/fixtures/handler.ts';

describe('AdminApi', () => {
  let admin: AdminApi;
  let engine: PenaltyEngine;
  let template: Template;
  const logicalId = (element: unknown): string => Stack.of(admin).getLogicalId(element as CfnElement);

  beforeAll(() => {
    // Prepare
    const stack = new Stack(new App({ context: testAppContext({ bundle: false }) }), 'Test');
    const api = new HttpApi(stack, 'Api', { createDefaultStage: false });
    const stage = api.addStage('Stage', { stageName: '$default', autoDeploy: true });
    engine = new PenaltyEngine(stack, 'Engine', {
      table: new TableV2(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } }),
      eventQueue: new EventQueue(stack, 'Events'),
      evaluatorEntry: FIXTURE_ENTRY,
      sweepEntry: FIXTURE_ENTRY,
    });

    // Act
    admin = new AdminApi(stack, 'Admin', { api, stage, entry: FIXTURE_ENTRY, engine });
    template = Template.fromStack(stack);
  });

  it('throttles its route on the stage by itself, at an operator rate', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: { 'ANY /admin/{proxy+}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 } },
    });
    const [stageResource] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stageResource?.DependsOn).toContain(logicalId(admin.route.node.defaultChild));
  });

  it('routes every method under /admin/ to its function, behind IAM authorization', () => {
    // Assess
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes).toHaveLength(1);
    expect(routes[0]?.Properties).toMatchObject({
      RouteKey: 'ANY /admin/{proxy+}',
      AuthorizationType: 'AWS_IAM',
    });
    const integrations = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations).toHaveLength(1);
    const [integrationId, integration] = integrations[0] ?? [];
    expect(integration?.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(admin.function.node.defaultChild), 'Arn'] },
    });
    expect(routes[0]?.Properties.Target).toEqual({
      'Fn::Join': ['', ['integrations/', { Ref: integrationId }]],
    });
  });

  it('lets API Gateway invoke the function on the admin paths only', () => {
    // Assess
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (permission) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    expect(JSON.stringify(permissions[0]?.Properties.SourceArn)).toMatch(/\/\*\/\*\/admin\/\{proxy\+\}"/);
  });

  it('runs the admin-api service with the engine wiring, and no WeCom secret', () => {
    // Assess
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(admin.function.node.defaultChild)];
    expect(fn?.Properties).toMatchObject({ Timeout: 10, MemorySize: 512 });
    const variables = fn?.Properties.Environment.Variables;
    expect(variables.POWERTOOLS_SERVICE_NAME).toBe('admin-api');
    expect(Object.keys(variables)).toEqual(
      expect.arrayContaining([
        ENV.tableName,
        ENV.eventQueueUrl,
        ENV.eventQueueArn,
        ENV.scheduleGroup,
        ENV.schedulerRoleArn,
        ENV.timerDeadLetterArn,
        ENV.eventBusName,
      ]),
    );
    expect(variables).not.toHaveProperty(ENV.secretArn);
  });

  it('gets exactly the engine grants', () => {
    // Assess
    const actions = permissionsOfRole(
      template,
      roleOfFunction(template, logicalId(admin.function.node.defaultChild)),
    )
      .map((p) => p.action)
      .filter((action) => !action.startsWith('xray:') && !action.startsWith('logs:'));
    expect([...new Set(actions)].sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
      'events:PutEvents',
      'iam:PassRole',
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'sqs:SendMessage',
    ]);
  });

  it("may query the cases index for the reviewers' lists, the standing index for the console's, and the sweep index besides, and no other index", () => {
    // Assess
    const queries = permissionsOfRole(
      template,
      roleOfFunction(template, logicalId(admin.function.node.defaultChild)),
    ).filter((p) => p.action === 'dynamodb:Query' && JSON.stringify(p.resource).includes('/index/'));
    expect(queries.map((p) => JSON.stringify(p.resource).match(/\/index\/[a-z]+/)?.[0]).sort()).toEqual([
      `/index/${CASES_INDEX.name}`,
      `/index/${STANDING_INDEX.name}`,
      `/index/${SWEEP_INDEX.name}`,
    ]);
  });

  it('gives the cases and standing indexes to the admin function only: the evaluator and the sweep never list cases or members', () => {
    // Assess
    for (const fn of [engine.evaluator, engine.sweep]) {
      const indexes = permissionsOfRole(template, roleOfFunction(template, logicalId(fn.node.defaultChild)))
        .filter((p) => p.action === 'dynamodb:Query')
        .map((p) => JSON.stringify(p.resource));
      expect(indexes.some((resource) => resource.includes(`/index/${CASES_INDEX.name}`))).toBe(false);
      expect(indexes.some((resource) => resource.includes(`/index/${STANDING_INDEX.name}`))).toBe(false);
    }
  });
});
