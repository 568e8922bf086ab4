import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import {
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  type IHttpApi,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { shellQuote } from './bundle-files.js';
import type { PenaltyEngine } from './penalty-engine.js';
import { type RouteThrottle, throttleRoute } from './route-throttle.js';
import { WecomFunction } from './wecom-function.js';

/** Path prefix of every admin route (CONTRACT §5). */
export const ADMIN_PATH = '/admin';

/**
 * Throttling of the admin route: operators and their scripts, not WeCom. Its own limit, so that a flood
 * of (refused) unsigned admin requests cannot use up the callbacks' limits; SDK clients retry a 429.
 */
export const ADMIN_THROTTLE: RouteThrottle = { rateLimit: 10, burstLimit: 20 };

/**
 * The commands that write the operator console (console/build.ts) into the `console/` directory beside
 * the admin function's bundled handler, where the handler loads it from. Run from the repository root,
 * so that `tsx` and esbuild resolve from its node_modules; the console is built on every synth, as the
 * handler is, so the two always deploy together.
 */
export function writeConsoleCommands(outputDir: string): string[] {
  return [`node --import tsx console/write-console-cli.ts ${shellQuote(join(outputDir, 'console'))}`];
}

/** Props of the {@link AdminApi}. */
export interface AdminApiProps {
  readonly api: IHttpApi;
  /** The stage the route is served on; the route gets its own {@link ADMIN_THROTTLE} there. */
  readonly stage: HttpStage;
  /** Handler file relative to the repository root. */
  readonly entry: string;
  readonly engine: PenaltyEngine;
}

/**
 * The admin API (CONTRACT §5): every method under `/admin/` routed to one function, which routes
 * inside, behind IAM authorization, so that only SigV4-signed callers allowed `execute-api:Invoke`
 * on these routes reach it. The function may do what the engine does, and nothing more.
 */
export class AdminApi extends Construct {
  public readonly function: WecomFunction;
  public readonly route: HttpRoute;

  constructor(scope: Construct, id: string, props: AdminApiProps) {
    super(scope, id);
    this.function = new WecomFunction(this, 'Function', {
      entry: props.entry,
      serviceName: 'admin-api',
      description:
        'Admin API: member and corp status, violations, unblock applications, appeals, cases, policy',
      // Reads a few items or queues one command; well inside API Gateway's 30 s integration timeout.
      timeout: Duration.seconds(10),
      afterBundling: writeConsoleCommands,
      carriesClassifier: true,
    });
    props.engine.grantEngine(this.function);
    // The reviewers' case lists (GET /admin/corps/{corpId}/cases) read the cases index: only this
    // function reads it, so only it may query it.
    props.engine.grantCaseLists(this.function);
    // The console's members by standing read the standing index: likewise this function's alone.
    props.engine.grantStandingLists(this.function);

    const routeKey = HttpRouteKey.with(`${ADMIN_PATH}/{proxy+}`, HttpMethod.ANY);
    this.route = new HttpRoute(this, 'Route', {
      httpApi: props.api,
      routeKey,
      integration: new HttpLambdaIntegration('Integration', this.function, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
      authorizer: new HttpIamAuthorizer(),
    });
    throttleRoute(props.stage, this.route, routeKey, ADMIN_THROTTLE);
  }
}
