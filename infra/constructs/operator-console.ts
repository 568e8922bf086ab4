import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  type IHttpApi,
  type IHttpRouteAuthorizer,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CONSOLE_API_PREFIX } from '../../shared/admin/constants.js';
import type { ConsoleRole } from '../../shared/admin/types.js';
import { ENV } from '../../shared/config/constants.js';
import { ADMIN_THROTTLE } from './admin-api.js';
import { type RouteThrottle, throttleRoute } from './route-throttle.js';

/** Path of the console's pages and files; its API is under {@link CONSOLE_API_PREFIX}. */
export const CONSOLE_PATH = '/console';

/** Environment variables of the admin function that make it serve the console (shared/console). */
export const CONSOLE_ENV = {
  authDomain: 'CONSOLE_AUTH_DOMAIN',
  clientId: 'CONSOLE_CLIENT_ID',
} as const;

/**
 * The operators' groups, each with what it may do (shared/admin/permissions.ts decides; these only
 * describe it to whoever adds people in the Cognito console). Precedence: the most powerful first.
 */
export const CONSOLE_GROUPS: Readonly<Record<ConsoleRole, { precedence: number; description: string }>> = {
  admin: {
    precedence: 0,
    description:
      'Reads and decides everything, and administers: unblock applications, appeals for the corp, parked inputs',
  },
  reviewer: { precedence: 1, description: 'Reads everything, and decides cases and appeals' },
  viewer: { precedence: 2, description: 'Reads members, cases, appeals and policy; changes nothing' },
};

/**
 * Throttling of the console's static routes (index, config.json, content-hashed assets): a page load is
 * four requests, and the browser caches the assets for good, so an operator rate is plenty.
 */
export const CONSOLE_STATIC_THROTTLE: RouteThrottle = { rateLimit: 10, burstLimit: 20 };

/** Lifetimes of the console's tokens. */
export const CONSOLE_TOKEN_VALIDITY = {
  /** Short: a token taken from a browser is of little use for long; the refresh token renews it quietly. */
  access: Duration.minutes(15),
  id: Duration.minutes(15),
  /** A working day: an operator signs in (with the TOTP code) once a day, not once an hour. */
  refresh: Duration.hours(10),
} as const;

/** Words Cognito refuses in a domain prefix. */
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

/** Props of the {@link OperatorConsole}. */
export interface OperatorConsoleProps {
  readonly api: IHttpApi;
  /** The stage the routes are served on; each route gets its own throttling there. */
  readonly stage: HttpStage;
  /** The admin function: it serves the console's files and its API (the admin routes under another prefix). */
  readonly adminFunction: LambdaFunction;
  /** The corp the console shows (config.json). */
  readonly corpId: string;
}

/**
 * The operator console on AWS: a Cognito user pool of the operators (groups viewer, reviewer, admin),
 * its hosted sign-in domain and the console's public app client (authorization code flow with PKCE);
 * the console's API routed to the admin function behind a JWT authorizer of that pool, and its static
 * files (no data in them) routed to the same function without one.
 */
export class OperatorConsole extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  public readonly domain: UserPoolDomain;
  public readonly groups: Readonly<Record<ConsoleRole, UserPoolGroup>>;
  /** The console's URL (`<stage url>console/`): the client's callback and sign-out URL. */
  public readonly url: string;
  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the hosted sign-in pages and the token endpoint. */
  public readonly authDomainUrl: string;
  /** `ANY /console/api/{proxy+}`, behind the JWT authorizer. */
  public readonly apiRoute: HttpRoute;
  /** `GET /console` and `GET /console/{proxy+}`, without authorizer. */
  public readonly staticRoutes: readonly HttpRoute[];

  constructor(scope: Construct, id: string, props: OperatorConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.url = `${props.stage.url}${CONSOLE_PATH.slice(1)}/`;

    this.userPool = new UserPool(this, 'UserPool', {
      // No name: retained resources keep generated names, so a redeploy after a delete never collides.
      // Operators are added by an admin (README, "Console on AWS"), never by themselves.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // TOTP required, not optional: a console that lifts blocks and decides cases must not open to a
      // guessed or phished password alone. No SMS: it can be SIM-swapped, costs per message and needs
      // an SNS role; an authenticator app is set up at the first sign-in on the hosted pages.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus, with threat protection enforced: compromised credentials are refused and risky sign-ins
      // challenged or blocked. Billed per monthly active user, which for a handful of operators is cents.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // The pool holds the operators and their MFA devices: a stack update or delete must not lose them.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const groups = {} as Record<ConsoleRole, UserPoolGroup>;
    for (const [name, { precedence, description }] of Object.entries(CONSOLE_GROUPS) as [
      ConsoleRole,
      (typeof CONSOLE_GROUPS)[ConsoleRole],
    ][]) {
      groups[name] = new UserPoolGroup(this, `Group-${name}`, {
        userPool: this.userPool,
        groupName: name,
        description,
        precedence,
      });
    }
    this.groups = groups;

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: domainPrefixOf(stack) },
    });
    this.authDomainUrl = this.domain.baseUrl();

    this.client = this.userPool.addClient('Client', {
      userPoolClientName: 'console',
      // A browser app cannot keep a secret: a public client, its code exchange protected by PKCE.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: CONSOLE_TOKEN_VALIDITY.access,
      idTokenValidity: CONSOLE_TOKEN_VALIDITY.id,
      refreshTokenValidity: CONSOLE_TOKEN_VALIDITY.refresh,
      authSessionValidity: Duration.minutes(5),
    });

    // Set here only: the function serves no console without them (shared/console/console-config.ts).
    props.adminFunction.addEnvironment(CONSOLE_ENV.authDomain, this.authDomainUrl);
    props.adminFunction.addEnvironment(CONSOLE_ENV.clientId, this.client.userPoolClientId);
    props.adminFunction.addEnvironment(ENV.corpId, props.corpId);

    const integration = new HttpLambdaIntegration('Integration', props.adminFunction, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    // Issuer: the pool; audience: the console's client. API Gateway checks the signature, expiry, issuer
    // and the token's aud (ID token) or client_id (access token) before the function runs.
    const authorizer = new HttpUserPoolAuthorizer('ConsoleAuthorizer', this.userPool, {
      userPoolClients: [this.client],
      identitySource: ['$request.header.Authorization'],
    });
    const route = (routeId: string, method: HttpMethod, path: string, auth?: IHttpRouteAuthorizer) => {
      const routeKey = HttpRouteKey.with(path, method);
      const created = new HttpRoute(this, routeId, {
        httpApi: props.api,
        routeKey,
        integration,
        authorizer: auth,
      });
      return { created, routeKey };
    };

    // API Gateway picks the longest matching path first, so GET /console/api/... is this route, not
    // the static GET /console/{proxy+}; were it ever not, the function answers 401 to a call without
    // an authorizer's claims (shared/admin/principal-of.ts).
    const api = route('ApiRoute', HttpMethod.ANY, `${CONSOLE_API_PREFIX}/{proxy+}`, authorizer);
    this.apiRoute = api.created;
    throttleRoute(props.stage, api.created, api.routeKey, ADMIN_THROTTLE);

    const staticRoutes = [
      route('IndexRoute', HttpMethod.GET, CONSOLE_PATH),
      route('FilesRoute', HttpMethod.GET, `${CONSOLE_PATH}/{proxy+}`),
    ];
    for (const { created, routeKey } of staticRoutes) {
      throttleRoute(props.stage, created, routeKey, CONSOLE_STATIC_THROTTLE);
      Validations.of(created).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The console page, config.json and the content-hashed script and style must load before anyone ' +
          'signs in (they start the sign-in); they are GET only and hold no data: the corp id and the public ' +
          'client id, which the sign-in URL shows anyway. Every data call goes to /console/api/, behind the JWT authorizer.',
      });
    }
    this.staticRoutes = staticRoutes.map(({ created }) => created);
  }
}

/**
 * The hosted domain's prefix: the stack name (lower-case, so the stage is in it) and the last group of
 * the stack's id, a UUID fixed for the stack's life. Domain prefixes are global per region, so the
 * same stage deployed in two accounts must not collide; 17 + 20 + 1 + 12 characters at most, within 63.
 */
export function domainPrefixOf(stack: Stack): string {
  const name = stack.stackName.toLowerCase();
  if (RESERVED_IN_PREFIX.test(name))
    throw new Error(
      `The stack name ${JSON.stringify(stack.stackName)} contains aws, amazon or cognito, which Cognito ` +
        'refuses in a domain prefix: choose another stage.',
    );
  return `${name}-${Fn.select(4, Fn.split('-', Fn.select(2, Fn.split('/', stack.stackId))))}`;
}
