import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CORP_ID_NOT_CONFIGURED,
  TOKEN_NOT_CONFIGURED,
  WecomCredentials,
  type WecomCredentialsProps,
} from '../../../../infra/constructs/wecom-credentials.js';
import { WecomFunction } from '../../../../infra/constructs/wecom-function.js';
import { ENV, SECRET_KEYS } from '../../../../shared/config/constants.js';
import { testAppContext } from '../test-app-context.js';

const SECRET_ARN = 'arn:aws:secretsmanager:ap-east-1:123456789012:secret:wecom/callback-AbCdEf';

const synth = (props: WecomCredentialsProps) => {
  const stack = new Stack(new App({ context: testAppContext({ bundle: false }) }), 'Test');
  const reader = new WecomFunction(stack, 'Reader', {
    entry: 'test/unit/infra/fixtures/handler.ts',
    serviceName: 'reader',
  });
  const credentials = new WecomCredentials(stack, 'Credentials', props);
  credentials.connectReader(reader);
  return { stack, credentials, template: Template.fromStack(stack) };
};

describe('WecomCredentials', () => {
  let configured: ReturnType<typeof synth>;
  let imported: ReturnType<typeof synth>;
  let unconfigured: ReturnType<typeof synth>;

  beforeAll(() => {
    // Prepare / Act: one synthesis per configuration, shared by the tests below
    configured = synth({ corpId: 'wwcorp' });
    imported = synth({ corpId: 'wwcorp', secretArn: SECRET_ARN });
    unconfigured = synth({});
  });

  describe('without an existing secret', () => {
    it('creates one holding only a placeholder token and a generated key', () => {
      const { credentials, template } = configured;

      // Assess
      expect(credentials.secretCreated).toBe(true);
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        SecretString: Match.absent(),
        GenerateSecretString: {
          SecretStringTemplate: JSON.stringify({ [SECRET_KEYS.token]: TOKEN_NOT_CONFIGURED }),
          GenerateStringKey: SECRET_KEYS.encodingAesKey,
          PasswordLength: 43,
          ExcludePunctuation: true,
          IncludeSpace: false,
        },
      });
    });

    it('acknowledges AwsSolutions-SMG4 on that secret only', () => {
      const { credentials } = configured;

      // Assess
      const acknowledged = credentials.secret.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.keys(entry.data as Record<string, string>));
      expect(acknowledged.map((id) => id.replace(/^annotation::/i, ''))).toEqual(['AwsSolutions-SMG4']);
    });

    it('gives a reader the corp id, the secret ARN as a reference, and GetSecretValue on that secret', () => {
      // Prepare
      const { stack, credentials, template } = configured;
      const secretId = stack.getLogicalId(credentials.secret.node.defaultChild as CfnElement);

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({ [ENV.corpId]: 'wwcorp', [ENV.secretArn]: { Ref: secretId } }),
        },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: { Ref: secretId } },
          ]),
        },
      });
    });
  });

  describe('with an existing secret', () => {
    it('imports it instead of creating one, and grants read on exactly that ARN', () => {
      const { credentials, template } = imported;

      // Assess
      expect(credentials.secretCreated).toBe(false);
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ [ENV.secretArn]: SECRET_ARN }) },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET_ARN },
          ]),
        },
      });
    });
  });

  describe('with a partial secret ARN', () => {
    it('refuses to synthesize, since IAM would deny the functions access to the secret', () => {
      // Prepare
      const partialArn = SECRET_ARN.replace(/-AbCdEf$/, '');

      // Act / Assess
      expect(() => synth({ corpId: 'wwcorp', secretArn: partialArn })).toThrow(/6-character suffix/);
    });
  });

  describe('without a corp id', () => {
    it('still synthesizes, with a placeholder corp id and a warning', () => {
      const { stack, template } = unconfigured;

      // Assess
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ [ENV.corpId]: CORP_ID_NOT_CONFIGURED }) },
      });
      Annotations.fromStack(stack).hasWarning(
        '/Test/Credentials',
        Match.stringLikeRegexp('No WeCom corp id configured'),
      );
    });

    it('warns about nothing once the corp id is given', () => {
      const { stack } = configured;

      // Assess
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('corp id'));
    });
  });
});
