/** How the console signs in: a bearer token typed in (local mode), or Cognito's hosted sign-in. */
export type AuthConfig =
  | { readonly kind: 'token' }
  | {
      readonly kind: 'cognito';
      readonly domain: string;
      readonly clientId: string;
      readonly scopes: readonly string[];
    };

/** `/console/config.json`: the corp, where the API is, how to sign in. */
export interface ConsoleConfig {
  readonly corpId: string;
  readonly api: string;
  readonly auth: AuthConfig;
}

/** Reads the console's configuration, served beside it (it carries no data and needs no token). */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/console/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
