import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_ENV,
  domainPrefixOf,
  OperatorConsole,
} from '../../../../infra/constructs/operator-console.js';
import { WecomFunction } from '../../../../infra/constructs/wecom-function.js';
import { ENV } from '../../../../shared/config/constants.js';
import { acknowledgements } from '../acknowledgements.js';
import { testAppContext } from '../test-app-context.js';

const FIXTURE_ENTRY = 'test/unit/infra/fixtures/handler.ts';
const CORP_ID = 'wwtestcorp0001';

describe('OperatorConsole', () => {
  let stack: Stack;
  let api: HttpApi;
  let operatorConsole: OperatorConsole;
  let adminFunction: WecomFunction;
  let otherFunction: WecomFunction;
  let template: Template;
  const logicalId = (element: unknown): string => stack.getLogicalId(element as CfnElement);
  const routes = () =>
    Object.fromEntries(
      Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => [
        route.Properties.RouteKey as string,
        route.Properties,
      ]),
    );

  beforeAll(() => {
    // Prepare
    stack = new Stack(new App({ context: testAppContext({ bundle: false }) }), 'WecomEnforcement-test');
    api = new HttpApi(stack, 'Api', { createDefaultStage: false });
    const stage = api.addStage('Stage', { stageName: '$default', autoDeploy: true });
    adminFunction = new WecomFunction(stack, 'Admin', { entry: FIXTURE_ENTRY, serviceName: 'admin-api' });
    otherFunction = new WecomFunction(stack, 'Other', { entry: FIXTURE_ENTRY, serviceName: 'other' });

    // Act
    operatorConsole = new OperatorConsole(stack, 'Console', { api, stage, adminFunction, corpId: CORP_ID });
    template = Template.fromStack(stack);
  });

  describe('user pool', () => {
    it('lets no one sign up, signs in by username or email, and requires a strong password and TOTP', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        AliasAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      });
    });

    it('enforces threat protection on the Plus plan', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      });
    });

    it('keeps the operators: deletion protection on, retained by a stack delete, under a generated name', () => {
      // Assess
      const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool'));
      expect(pool?.DeletionPolicy).toBe('Retain');
      expect(pool?.UpdateReplacePolicy).toBe('Retain');
      expect(pool?.Properties.DeletionProtection).toBe('ACTIVE');
      expect(pool?.Properties).not.toHaveProperty('UserPoolName');
    });

    it('has the groups viewer, reviewer and admin, each described, the most powerful first', () => {
      // Assess
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
        ({ Properties }) => Properties,
      );
      expect(groups.map(({ GroupName, Precedence }) => [GroupName, Precedence]).sort()).toEqual([
        ['admin', 0],
        ['reviewer', 1],
        ['viewer', 2],
      ]);
      for (const group of groups) {
        expect(group.UserPoolId).toEqual({ Ref: logicalId(operatorConsole.userPool.node.defaultChild) });
      }
      const description = (name: string) => groups.find(({ GroupName }) => GroupName === name)?.Description;
      expect(description('viewer')).toMatch(/^Reads .*changes nothing/);
      expect(description('reviewer')).toMatch(/decides cases and appeals/);
      expect(description('admin')).toMatch(/unblock applications, appeals for the corp, parked inputs/);
    });
  });

  describe('hosted domain', () => {
    it('is a Cognito domain named after the stack and the UUID of its stack id', () => {
      // Assess
      const [domain] = Object.values(template.findResources('AWS::Cognito::UserPoolDomain'));
      expect(JSON.stringify(domain?.Properties.Domain)).toContain('wecomenforcement-test-');
      expect(JSON.stringify(domain?.Properties.Domain)).toContain('AWS::StackId');
      expect(domain?.Properties).not.toHaveProperty('CustomDomainConfig');
    });

    it('refuses a stack name Cognito would refuse in a prefix', () => {
      // Prepare
      const named = new Stack(new App(), 'WecomEnforcement-laws');

      // Act / Assess
      expect(() => domainPrefixOf(named)).toThrow(/aws, amazon or cognito/);
    });
  });

  describe('app client', () => {
    it('is public and uses the authorization code flow only, for openid, email and profile', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
      });
    });

    it('sends the browser back to the console URL after sign-in and sign-out', () => {
      // Assess
      const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
      const urls = JSON.stringify([client?.Properties.CallbackURLs, client?.Properties.LogoutURLs]);
      expect(client?.Properties.CallbackURLs).toHaveLength(1);
      expect(client?.Properties.CallbackURLs).toEqual(client?.Properties.LogoutURLs);
      expect(urls).toContain('console/');
      expect(urls).toContain(logicalId(api.node.defaultChild));
    });

    it('issues short-lived access and ID tokens and a refresh token for a working day', () => {
      // Assess
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        AccessTokenValidity: 15,
        IdTokenValidity: 15,
        RefreshTokenValidity: 600,
        TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      });
    });
  });

  describe('routes', () => {
    it("puts the console's API behind a JWT authorizer of the pool, for the console's client", () => {
      // Assess
      const apiRoute = routes()['ANY /console/api/{proxy+}'];
      expect(apiRoute?.AuthorizationType).toBe('JWT');
      const authorizers = Object.entries(template.findResources('AWS::ApiGatewayV2::Authorizer'));
      expect(authorizers).toHaveLength(1);
      const [authorizerId, authorizer] = authorizers[0] ?? [];
      expect(apiRoute?.AuthorizerId).toEqual({ Ref: authorizerId });
      const poolId = logicalId(operatorConsole.userPool.node.defaultChild);
      expect(authorizer?.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: logicalId(operatorConsole.client.node.defaultChild) }],
          Issuer: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }],
            ],
          },
        },
      });
    });

    it('serves the page and its files without an authorizer, GET only', () => {
      // Assess
      const all = routes();
      expect(Object.keys(all).sort()).toEqual([
        'ANY /console/api/{proxy+}',
        'GET /console',
        'GET /console/{proxy+}',
      ]);
      for (const key of ['GET /console', 'GET /console/{proxy+}']) {
        expect(all[key]?.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(all[key]).not.toHaveProperty('AuthorizerId');
      }
    });

    it('sends every route to the admin function with payload format 2.0', () => {
      // Assess
      const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
      expect(integrations.map(({ Properties }) => Properties.IntegrationUri)).toEqual([
        { 'Fn::GetAtt': [logicalId(adminFunction.node.defaultChild), 'Arn'] },
      ]);
      expect(integrations[0]?.Properties.PayloadFormatVersion).toBe('2.0');
    });

    it('throttles each route by itself at an operator rate', () => {
      // Assess
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        RouteSettings: {
          'ANY /console/api/{proxy+}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
          'GET /console': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
          'GET /console/{proxy+}': { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
        },
      });
    });
  });

  it('gives the admin function the hosted domain, the client id and the corp, and no other function', () => {
    // Assess
    const variablesOf = (fn: WecomFunction) =>
      template.findResources('AWS::Lambda::Function')[logicalId(fn.node.defaultChild)]?.Properties.Environment
        .Variables;
    const admin = variablesOf(adminFunction);
    expect(admin[CONSOLE_ENV.clientId]).toEqual({ Ref: logicalId(operatorConsole.client.node.defaultChild) });
    expect(JSON.stringify(admin[CONSOLE_ENV.authDomain])).toMatch(
      /"https:\/\/".*\.auth\..*amazoncognito\.com/,
    );
    expect(admin[ENV.corpId]).toBe(CORP_ID);
    expect(Object.keys(variablesOf(otherFunction)).filter((name) => name.startsWith('CONSOLE_'))).toEqual([]);
    expect(variablesOf(otherFunction)).not.toHaveProperty(ENV.corpId);
  });

  it('leaves no cdk-nag AwsSolutions finding but the justified open static routes', () => {
    // Act: its own resources (the test's bare API stage has no access log; the app's has)
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(operatorConsole);

    // Assess
    expect(report.violations).toEqual([]);
    for (const route of operatorConsole.staticRoutes)
      expect(acknowledgements(route)).toEqual([
        ['AwsSolutions-APIG4', expect.stringMatching(/hold no data/)],
      ]);
    expect(acknowledgements(operatorConsole.apiRoute)).toEqual([]);
    expect(acknowledgements(operatorConsole.userPool)).toEqual([]);
  });
});
