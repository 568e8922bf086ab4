import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { WecomFunction } from '../../../../infra/constructs/wecom-function.js';
import { testAppContext } from '../test-app-context.js';

const FIXTURE_ENTRY = 'test/unit/infra/fixtures/handler.ts';

/** The SDK version the tests run, as package.json pins it. */
const PINNED_SDK_VERSION: unknown = JSON.parse(
  readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8'),
).dependencies['@aws-sdk/client-sqs'];

describe('WecomFunction', () => {
  let app: App;
  let fn: WecomFunction;
  let tuned: WecomFunction;
  let template: Template;
  const logicalId = (element: unknown): string => Stack.of(fn).getLogicalId(element as CfnElement);

  beforeAll(() => {
    // Prepare
    app = new App({ context: testAppContext() });
    const stack = new Stack(app, 'Test');

    // Act
    fn = new WecomFunction(stack, 'Fn', { entry: FIXTURE_ENTRY, serviceName: 'fixture' });
    tuned = new WecomFunction(stack, 'Tuned', {
      entry: FIXTURE_ENTRY,
      serviceName: 'tuned',
      memorySize: 1024,
      timeout: Duration.seconds(30),
    });
    template = Template.fromStack(stack);
  });

  it('fixes runtime, architecture, memory, timeout, tracing and source maps', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 6,
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: {
        Variables: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'fixture' },
      },
    });
  });

  it('lets a function choose its own memory and timeout', () => {
    // Assess
    const resource = template.findResources('AWS::Lambda::Function')[logicalId(tuned.node.defaultChild)];
    expect(resource?.Properties).toMatchObject({ MemorySize: 1024, Timeout: 30, Runtime: 'nodejs24.x' });
  });

  it('logs to its own log group kept one month, not through the deprecated logRetention', () => {
    // Assess
    const logGroupId = logicalId(fn.logGroup.node.defaultChild);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'fixture' } },
      LoggingConfig: { LogGroup: { Ref: logGroupId } },
    });
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  it('runs under its own role with no managed policy, writing only to its own log group', () => {
    // Assess
    const roleId = logicalId(fn.role?.node.defaultChild);
    const role = template.findResources('AWS::IAM::Role')[roleId];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [logicalId(fn.logGroup.node.defaultChild), 'Arn'] },
          },
        ]),
      },
    });
  });

  it('acknowledges only the X-Ray Resource::* finding on its role', () => {
    // Assess
    const acknowledged = fn.role?.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
    expect(acknowledged?.map((id) => id.replace(/^annotation::/i, ''))).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
    ]);
  });

  it('bundles an ES module with a require shim, a source map, and the pinned AWS SDK inside it', () => {
    // Prepare
    const code = fn.node.findChild('Code');
    if (!(code instanceof Asset)) throw new Error('expected the bundled code to be an asset');
    const dir = join(app.outdir, code.assetPath);

    // Act
    const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');

    // Assess
    expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(")).toBe(
      true,
    );
    // Nothing is left for the runtime to provide: the SDK the tests ran is the SDK deployed.
    // Not after `[`: the SDK's error messages quote `[require("@aws-sdk/signature-v4-crt");]` as advice.
    const externalSdk = [
      ...bundle.matchAll(/(?<!\[)(?:from|import\(|require\()\s*["'](@(?:aws-sdk|smithy)\/[^"']+)/g),
    ].map((match) => match[1]);
    expect(externalSdk).toEqual([]);
    expect(bundle).toContain('SQSServiceException');
    expect(bundle).toContain(`"${PINNED_SDK_VERSION}"`);
    expect(readFileSync(join(dir, 'index.mjs.map'), 'utf8')).toContain('"sources"');
  });
});
