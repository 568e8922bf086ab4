import { ENV } from '../config/index.js';

/** How the console signs people in. */
export type ConsoleAuth =
  | { readonly kind: 'token' }
  | {
      readonly kind: 'cognito';
      readonly domain: string;
      readonly clientId: string;
      readonly scopes: readonly string[];
    };

/** `/console/config.json`: the corp, the API base the console calls, and how it signs in. */
export interface ConsoleClientConfig {
  readonly corpId: string;
  readonly api: '/admin' | '/console/api';
  readonly auth: ConsoleAuth;
}

/** The scopes the console asks Cognito for. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * The console's content security policy: only its own files, no inline script or style, no
 * framing; the Cognito domain is added where the code flow needs it (the token exchange, sign-in).
 */
export function consoleCsp(config: ConsoleClientConfig): string {
  const cognito = config.auth.kind === 'cognito' ? ` ${config.auth.domain}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${cognito}`,
    `form-action 'self'${cognito}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * The console's config from the admin function's environment: without a Cognito client id there is
 * no console (undefined); with one, the hosted domain too, and the corp.
 */
export function consoleConfigFromEnv(env: NodeJS.ProcessEnv): ConsoleClientConfig | undefined {
  const clientId = env.CONSOLE_CLIENT_ID?.trim();
  if (!clientId) return undefined;
  const domain = env.CONSOLE_AUTH_DOMAIN?.trim();
  const corpId = env[ENV.corpId]?.trim();
  if (!domain || !corpId)
    throw new Error('CONSOLE_CLIENT_ID is set: CONSOLE_AUTH_DOMAIN and WECOM_CORP_ID are needed too');
  return {
    corpId,
    api: '/console/api',
    auth: { kind: 'cognito', domain: domain.replace(/\/+$/, ''), clientId, scopes: [...CONSOLE_SCOPES] },
  };
}
