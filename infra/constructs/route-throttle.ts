import type { CfnStage, HttpRoute, HttpRouteKey, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';

/** Steady rate (requests per second) and burst of one route. */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Gives `route` its own throttling on `stage` (the stage's `RouteSettings`, which the L2 HttpStage does
 * not expose), so that traffic on one route cannot use up another's limit.
 */
export function throttleRoute(
  stage: HttpStage,
  route: HttpRoute,
  routeKey: HttpRouteKey,
  throttle: RouteThrottle,
): void {
  const cfnStage = stage.node.defaultChild as CfnStage;
  const existing: unknown = cfnStage.routeSettings;
  if (existing !== undefined && (typeof existing !== 'object' || existing === null)) {
    throw new Error(`the route settings of stage ${stage.node.path} are not a plain object`);
  }
  cfnStage.routeSettings = {
    ...(existing as Record<string, unknown> | undefined),
    [routeKey.key]: {
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    },
  };
  // CloudFormation refuses route settings for a route key the API does not have yet.
  stage.node.addDependency(route);
}
