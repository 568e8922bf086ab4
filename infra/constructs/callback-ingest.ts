import { Validations } from 'aws-cdk-lib';
import {
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  type IHttpApi,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import type { EventQueue } from './event-queue.js';
import { type RouteThrottle, throttleRoute } from './route-throttle.js';
import type { WecomCredentials } from './wecom-credentials.js';
import { WecomFunction } from './wecom-function.js';

/**
 * Throttling of each callback route, per route. POST carries WeCom's deliveries: each event once, then
 * again every 5 s while unanswered (about 3 deliveries in all), and a 429 may never be redelivered, so
 * the limit sits above any legitimate peak: 2,500 requests/s a route is a corp of 50,000 members at its
 * busiest with room to spare, the three POST routes together (7,500/s) stay under the account's
 * 10,000/s that every API of the account and region shares, and the burst is the account's (5,000).
 * A 429 is counted and alarmed on (AppStack: ThrottledRequests). GET is URL verification, sent once
 * when an admin saves the URL in the WeCom console: a few a second is plenty, and a flood of unsigned
 * GETs is cut before it reaches the function. README, "Scale", lists what to change past each limit.
 */
export const CALLBACK_THROTTLE = {
  [HttpMethod.POST]: { rateLimit: 2_500, burstLimit: 5_000 },
  [HttpMethod.GET]: { rateLimit: 5, burstLimit: 10 },
} as const satisfies Partial<Record<HttpMethod, RouteThrottle>>;

/** Props of a {@link CallbackIngest}. */
export interface CallbackIngestProps {
  readonly api: IHttpApi;
  /** The stage the routes are served on; each route gets its own {@link CALLBACK_THROTTLE} there. */
  readonly stage: HttpStage;
  /** Route path, e.g. `/callbacks/contact`; GET (URL verification) and POST (events) are both routed. */
  readonly path: string;
  /** Handler file relative to the repository root. */
  readonly entry: string;
  /** Powertools service name of the function. */
  readonly serviceName: string;
  readonly credentials: WecomCredentials;
  readonly eventQueue: EventQueue;
}

/**
 * One WeCom callback endpoint: a GET and a POST route on the HTTP API, proxied to one function that
 * may read the WeCom credentials and send to the event queue, and do nothing else.
 */
export class CallbackIngest extends Construct {
  public readonly function: WecomFunction;
  public readonly routes: readonly HttpRoute[];

  constructor(scope: Construct, id: string, props: CallbackIngestProps) {
    super(scope, id);
    this.function = new WecomFunction(this, 'Function', {
      entry: props.entry,
      serviceName: props.serviceName,
      description: `WeCom callback ${props.path}: verifies, decrypts and queues`,
    });
    props.credentials.connectReader(this.function);
    props.eventQueue.connectSender(this.function);

    const integration = new HttpLambdaIntegration('Integration', this.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    this.routes = ([HttpMethod.GET, HttpMethod.POST] as const).map((method) => {
      const routeKey = HttpRouteKey.with(props.path, method);
      const route = new HttpRoute(this, method, { httpApi: props.api, routeKey, integration });
      throttleRoute(props.stage, route, routeKey, CALLBACK_THROTTLE[method]);
      const wecomAuth =
        'WeCom calls this route itself and cannot sign with AWS credentials or present a JWT or Cognito ' +
        'token; every request is authenticated inside the handler by the WeCom msg_signature (SHA1 over ' +
        'the callback Token) and the AES-encrypted receive id, and refused with 401 otherwise.';
      // APIG4 only: cdk-nag's COG4 (Cognito authorizer) checks REST API methods, never HTTP API routes.
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: wecomAuth });
      return route;
    });
  }
}
