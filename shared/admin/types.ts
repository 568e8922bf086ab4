import type { EngineInput, ParkedInputs, PolicySet, StateReader } from '../domain/index.js';
import type { Evaluation } from '../evaluator/index.js';

/** An HTTP request as the admin API sees it, whatever carried it (API Gateway, the local server). */
export interface AdminRequest {
  readonly method: string;
  /** The raw (percent-encoded) path, with the query string when there is one. */
  readonly path: string;
  readonly body: string | null;
  /** Header names in any case. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** Who is asking, as the API's authorizer established it. */
  readonly principal: AdminPrincipal;
}

/** The console groups (Cognito groups on AWS, a token per group locally). */
export type ConsoleRole = 'viewer' | 'reviewer' | 'admin';

/** What a route needs: to read views, to decide cases and appeals, or to act for the corp. */
export type Permission = 'read' | 'decide' | 'administer';

/**
 * Who sends a request: a machine client (SigV4 under IAM on AWS, the admin token locally), trusted
 * with every route, or a person signed in to the console, with their name and groups.
 */
export type AdminPrincipal =
  | { readonly kind: 'machine' }
  | { readonly kind: 'person'; readonly name: string; readonly roles: readonly ConsoleRole[] };

/** The answer: always a JSON body. */
export interface AdminResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the admin API reads and evaluates with. */
export interface AdminDependencies {
  readonly reader: StateReader;
  /**
   * Evaluates an input synchronously: load, decide, commit once, carry out the side effects. Commands
   * of the admin API, and parked inputs retried.
   */
  readonly evaluate: (input: EngineInput) => Promise<Evaluation>;
  /** The parked inputs (CONTRACT §5); the routes answer 404 without them. */
  readonly parked?: ParkedInputs;
  readonly policies: PolicySet;
  /** The time commands take effect at and views are computed at (ms). */
  readonly now: () => number;
  /** A fresh command id, for a request without an Idempotency-Key. */
  readonly newId: () => string;
}

/** What a route handler is given: the request, validated as far as routing goes, and the dependencies. */
export interface RouteContext {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: string | null;
  readonly idempotencyKey: string | null;
  /** The request's time: commands take effect at it and views are computed at it. */
  readonly at: number;
  readonly principal: AdminPrincipal;
  readonly deps: AdminDependencies;
}

/** One method of one admin route. */
export type RouteHandler = (context: RouteContext) => Promise<AdminResponse>;

/** A method of a route: its handler and what the caller needs to be allowed it. */
export interface RouteMethod {
  readonly handler: RouteHandler;
  readonly needs: Permission;
}
