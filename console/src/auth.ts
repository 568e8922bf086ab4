import type { AuthConfig } from './config.js';

const TOKEN = 'console.token';
const REVIEWER = 'console.reviewer';
const VERIFIER = 'console.pkce.verifier';
const STATE = 'console.pkce.state';
const REFRESH = 'console.refresh';

/** The signed-in session: the bearer token (sessionStorage only: gone with the browser session). */
export interface Session {
  readonly token: string;
  /** For a machine token: the name recorded with decisions (a person's own name comes from the server). */
  readonly reviewer: string | null;
}

/** The session kept for this tab, or null. */
export function currentSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN);
  return token ? { token, reviewer: sessionStorage.getItem(REVIEWER) } : null;
}

/** Forgets the tokens (the server refused them): the next data request needs a new sign-in. */
export function forgetSession(): void {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(REFRESH);
}

/** Keeps a token typed in the sign-in form. */
export function signInWithToken(token: string, reviewer: string): void {
  sessionStorage.setItem(TOKEN, token);
  if (reviewer) sessionStorage.setItem(REVIEWER, reviewer);
  else sessionStorage.removeItem(REVIEWER);
}

/** Forgets the session; with Cognito, signs out at the hosted domain too. */
export function signOut(auth: AuthConfig): void {
  sessionStorage.removeItem(TOKEN);
  sessionStorage.removeItem(REVIEWER);
  sessionStorage.removeItem(REFRESH);
  if (auth.kind === 'cognito') {
    const url = new URL('/logout', auth.domain);
    url.searchParams.set('client_id', auth.clientId);
    url.searchParams.set('logout_uri', consoleUrl());
    location.assign(url.toString());
    return;
  }
  location.hash = '#/';
  location.reload();
}

/** The console's own address, without query or hash: Cognito's callback and logout URL. */
function consoleUrl(): string {
  return `${location.origin}${location.pathname}`;
}

function base64Url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function randomText(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Starts the OAuth code flow with PKCE (S256) at Cognito's hosted sign-in. */
export async function startCognitoSignIn(auth: Extract<AuthConfig, { kind: 'cognito' }>): Promise<void> {
  const verifier = randomText();
  const state = randomText();
  sessionStorage.setItem(VERIFIER, verifier);
  sessionStorage.setItem(STATE, state);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const url = new URL('/oauth2/authorize', auth.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: consoleUrl(),
    scope: auth.scopes.join(' '),
    state,
    code_challenge: base64Url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Completes the code flow when Cognito redirected back with `?code=&state=`: the state must be the
 * one this tab sent; the code and the verifier are exchanged for an access token. True when signed in.
 */
export async function completeCognitoSignIn(
  auth: Extract<AuthConfig, { kind: 'cognito' }>,
): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  const verifier = sessionStorage.getItem(VERIFIER);
  const expected = sessionStorage.getItem(STATE);
  sessionStorage.removeItem(VERIFIER);
  sessionStorage.removeItem(STATE);
  history.replaceState(null, '', `${consoleUrl()}${location.hash}`);
  if (!verifier || !expected || params.get('state') !== expected) throw new Error('sign-in state mismatch');
  const response = await tokenRequest(auth, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: consoleUrl(),
    code_verifier: verifier,
  });
  if (!response.ok) throw new Error(`token exchange: ${response.status}`);
  const tokens = (await response.json()) as { access_token?: string; refresh_token?: string };
  if (!tokens.access_token) throw new Error('token exchange: no access token');
  sessionStorage.setItem(TOKEN, tokens.access_token);
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH, tokens.refresh_token);
  return true;
}

/**
 * Renews an expired access token with the refresh token Cognito gave at sign-in (the API's tokens
 * live minutes, the session a working day). True when a new token is kept; false without a refresh
 * token, or when Cognito refuses it (the session is over: sign in again).
 */
export async function refreshSession(auth: AuthConfig): Promise<boolean> {
  const refresh = sessionStorage.getItem(REFRESH);
  if (auth.kind !== 'cognito' || !refresh) return false;
  const response = await tokenRequest(auth, { grant_type: 'refresh_token', refresh_token: refresh }).catch(
    () => null,
  );
  const token = response?.ok
    ? ((await response.json()) as { access_token?: string }).access_token
    : undefined;
  if (!token) {
    sessionStorage.removeItem(REFRESH);
    return false;
  }
  sessionStorage.setItem(TOKEN, token);
  return true;
}

/** A request to Cognito's token endpoint for this console's client: a code exchange or a refresh. */
function tokenRequest(
  auth: Extract<AuthConfig, { kind: 'cognito' }>,
  grant: Readonly<Record<string, string>>,
): Promise<Response> {
  return fetch(new URL('/oauth2/token', auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...grant, client_id: auth.clientId }),
  });
}
