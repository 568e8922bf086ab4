import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, NestedStack, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORP_ID_NOT_CONFIGURED } from '../../../infra/constructs/wecom-credentials.js';
import { CONTEXT_KEYS, createApp, type WecomEnforcementApp } from '../../../infra/create-app.js';
import { DEFAULT_STAGE } from '../../../infra/stage.js';
import { ENV } from '../../../shared/config/constants.js';
import { testAppContext } from './test-app-context.js';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-east-1:123456789012:secret:wecom/callback-AbCdEf';

interface ValidationReport {
  readonly pluginReports: readonly { readonly pluginName: string; readonly violations: readonly unknown[] }[];
}

/** The policy validation report that `cdk synth` prints, as CDK writes it into the cloud assembly. */
const validationReport = (app: App): ValidationReport =>
  JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8'));

describe('createApp', () => {
  describe('with no context (a fresh clone)', () => {
    let built: WecomEnforcementApp;
    let template: Template;
    let stateTemplate: Template;

    beforeAll(() => {
      // Prepare
      built = createApp({ context: testAppContext() });

      // Act: the same synthesis `cdk synth` runs, cdk-nag plugin included
      built.app.synth();
      template = Template.fromStack(built.appStack);
      stateTemplate = Template.fromStack(built.stateStack);
    });

    it('makes one top-level stack, so `npx cdk deploy` needs no name, with the table in its nested state stack', () => {
      // Assess
      expect(built.app.node.children.filter((child) => child instanceof Stack).map((s) => s.node.id)).toEqual(
        [`WecomEnforcement-${DEFAULT_STAGE}`],
      );
      expect(built.stateStack).toBeInstanceOf(NestedStack);
      expect(built.stateStack.nestedStackParent).toBe(built.appStack);
      stateTemplate.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template.resourceCountIs('AWS::CloudFormation::Stack', 1);
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
      template.resourceCountIs('AWS::DynamoDB::Table', 0);
      expect(template.findOutputs('PenaltyTableName')).not.toEqual({});
    });

    it('leaves no cdk-nag AwsSolutions error or warning unacknowledged', () => {
      // Act
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.app);

      // Assess
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    });

    it('synthesizes through the registered nag plugin with an empty validation report', () => {
      // Assess
      const violations = validationReport(built.app).pluginReports.flatMap((r) => r.violations);
      expect(violations).toEqual([]);
      for (const stack of [built.appStack])
        expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    });

    it('tags every taggable resource of both stacks with the project and the default stage', () => {
      // Assess
      const resources = [template, stateTemplate].flatMap((t) =>
        Object.entries(t.toJSON().Resources as Record<string, { Properties?: { Tags?: unknown } }>),
      );
      // CloudFormation spells tags as a list of Key/Value pairs, except a few types (API Gateway v2) that use a map.
      const tag = (tags: unknown, key: string): unknown =>
        Array.isArray(tags)
          ? tags.find((entry: { Key?: unknown }) => entry.Key === key)?.Value
          : (tags as Record<string, unknown>)[key];
      const tagged = resources.filter(([, resource]) => resource.Properties?.Tags !== undefined);
      expect(tagged.length).toBeGreaterThan(10);
      for (const [id, resource] of tagged) {
        expect(tag(resource.Properties?.Tags, 'project'), id).toBe('wecom-enforcement');
        expect(tag(resource.Properties?.Tags, 'stage'), id).toBe(DEFAULT_STAGE);
      }
    });

    it('creates the secret and runs with a placeholder corp id, warning about it', () => {
      // Assess
      template.resourceCountIs('AWS::SecretsManager::Secret', 1);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ [ENV.corpId]: CORP_ID_NOT_CONFIGURED }) },
      });
      Annotations.fromStack(built.appStack).hasWarning(
        '*',
        Match.stringLikeRegexp('No WeCom corp id configured'),
      );
    });
  });

  describe('with wecomCorpId and wecomSecretArn context', () => {
    let built: WecomEnforcementApp;
    let template: Template;

    beforeAll(() => {
      // Prepare
      built = createApp({
        context: {
          ...testAppContext({ bundle: false }),
          [CONTEXT_KEYS.wecomCorpId]: 'wwcorp0001',
          [CONTEXT_KEYS.wecomSecretArn]: SECRET_ARN,
        },
      });

      // Act
      built.app.synth();
      template = Template.fromStack(built.appStack);
    });

    it('uses the existing secret and the given corp id', () => {
      // Assess
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      template.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        {
          Environment: {
            Variables: Match.objectLike({ [ENV.corpId]: 'wwcorp0001', [ENV.secretArn]: SECRET_ARN }),
          },
        },
        3,
      );
      expect(template.findOutputs('WecomSecretArn').WecomSecretArn?.Value).toBe(SECRET_ARN);
      expect(template.findOutputs('SetWecomSecretCommand')).toEqual({});
      Annotations.fromStack(built.appStack).hasNoWarning('*', Match.stringLikeRegexp('corp id'));
    });

    it('synthesizes both stacks without a single warning', () => {
      // Assess
      for (const stack of [built.appStack])
        expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue()), stack.stackName).toEqual([]);
    });

    it('still leaves no cdk-nag finding unacknowledged', () => {
      // Act
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.app);

      // Assess
      expect(report.violations).toEqual([]);
    });
  });

  describe('two stages side by side in one account', () => {
    /**
     * `*Name` properties that name no account-wide resource: an inline policy's name is scoped to its
     * role, an API stage's to its API, a metric's to its namespace (checked apart below), and an SNS
     * display name is a label on the messages. The console's user pool groups and app client are named
     * within their pool, its JWT authorizer within its API.
     */
    const SCOPED_NAMES = new Set([
      'PolicyName',
      'StageName',
      'MetricName',
      'DisplayName',
      'AWS::Cognito::UserPoolGroup.GroupName',
      'AWS::Cognito::UserPoolClient.ClientName',
      'AWS::ApiGatewayV2::Authorizer.Name',
    ]);
    let stages: WecomEnforcementApp[];
    let templates: Record<string, unknown>[][];

    beforeAll(() => {
      // Prepare / Act
      stages = ['prod', 'staging'].map((stage) =>
        createApp({ context: { ...testAppContext({ bundle: false }), [CONTEXT_KEYS.stage]: stage } }),
      );
      templates = stages.map(({ app, appStack, stateStack }) => {
        app.synth();
        return [appStack, stateStack].map((stack) => Template.fromStack(stack).toJSON());
      });
    });

    /** Every literal `*Name` property of every resource of a stage, as `Type.Property=value`. */
    const physicalNames = (stageTemplates: Record<string, unknown>[]): string[] =>
      stageTemplates.flatMap((template) =>
        Object.values(template.Resources as Record<string, { Type: string; Properties?: object }>).flatMap(
          ({ Type, Properties = {} }) =>
            Object.entries(Properties)
              .filter(
                ([key, value]) =>
                  key.endsWith('Name') &&
                  !SCOPED_NAMES.has(key) &&
                  !SCOPED_NAMES.has(`${Type}.${key}`) &&
                  typeof value === 'string',
              )
              .map(([key, value]) => `${Type}.${key}=${String(value)}`),
        ),
      );

    it('names each stack after its stage', () => {
      // Assess
      expect(stages.map(({ appStack }) => appStack.stackName)).toEqual([
        'WecomEnforcement-prod',
        'WecomEnforcement-staging',
      ]);
      expect(stages.map(({ stage }) => stage)).toEqual(['prod', 'staging']);
    });

    it('share no physical name: queues, bus, schedule group, API', () => {
      // Act
      const [prod = [], staging = []] = templates.map(physicalNames);

      // Assess
      expect(prod).toEqual(
        expect.arrayContaining([
          'AWS::SQS::Queue.QueueName=WecomEnforcement-prod-events.fifo',
          'AWS::SQS::Queue.QueueName=WecomEnforcement-prod-events-dlq.fifo',
          'AWS::SQS::Queue.QueueName=WecomEnforcement-prod-timers-dlq',
          'AWS::Scheduler::ScheduleGroup.Name=WecomEnforcement-prod-timers',
          'AWS::Events::EventBus.Name=WecomEnforcement-prod-outbound',
        ]),
      );
      const stagingValues = new Set(staging.map((name) => name.slice(name.indexOf('=') + 1)));
      expect(prod.filter((name) => stagingValues.has(name.slice(name.indexOf('=') + 1)))).toEqual([]);
    });

    it('publish and alarm on their own metrics namespace', () => {
      // Act
      const namespaces = templates.map(
        (stageTemplates) =>
          new Set(
            stageTemplates.flatMap((template) =>
              Object.values(
                template.Resources as Record<string, { Type: string; Properties?: { Namespace?: unknown } }>,
              )
                .filter(({ Type, Properties }) => Type === 'AWS::CloudWatch::Alarm' && Properties?.Namespace)
                .map(({ Properties }) => String(Properties?.Namespace))
                .filter((namespace) => !namespace.startsWith('AWS/')),
            ),
          ),
      );

      // Assess
      expect(namespaces.map((set) => [...set])).toEqual([
        ['WecomEnforcement-prod'],
        ['WecomEnforcement-staging'],
      ]);
    });

    it('leave nothing that is retained under a fixed name: the schedule group goes with its stage, the operators stay', () => {
      // Assess
      for (const stageTemplates of templates) {
        const resources = stageTemplates.flatMap((template) =>
          Object.values(
            template.Resources as Record<
              string,
              { Type: string; DeletionPolicy?: string; Properties?: object }
            >,
          ),
        );
        const retained = resources.filter(({ DeletionPolicy }) => DeletionPolicy === 'Retain');
        expect(new Set(retained.map(({ Type }) => Type))).toEqual(
          new Set(['AWS::DynamoDB::GlobalTable', 'AWS::Logs::LogGroup', 'AWS::Cognito::UserPool']),
        );
        // Retained resources have generated names (unique per deployment), so a redeploy never collides.
        for (const { Properties = {} } of retained)
          expect(Object.keys(Properties).filter((key) => key.endsWith('Name'))).toEqual([]);
        expect(resources.find(({ Type }) => Type === 'AWS::Scheduler::ScheduleGroup')?.DeletionPolicy).toBe(
          'Delete',
        );
      }
    });

    it('refuses an invalid stage before building anything', () => {
      // Act / Assess
      expect(() =>
        createApp({ context: { ...testAppContext({ bundle: false }), [CONTEXT_KEYS.stage]: 'Prod_1' } }),
      ).toThrow(/Invalid stage "Prod_1"/);
    });
  });

  describe('the cdk-nag gate', () => {
    it('fails the synthesis when a resource breaks an AwsSolutions rule', () => {
      // Prepare
      const { app, appStack } = createApp({ context: testAppContext({ bundle: false }) });
      new Queue(appStack, 'UnguardedQueue');

      // Act / Assess
      expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
    });
  });
});
