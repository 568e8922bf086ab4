import type { AuthConfig } from './config.js';

const TOKEN = 'console.token';
const REVIEWER = 'console.reviewer';
const VERIFIER = 'console.pkce.verifier';
const STATE = 'console.pkce.state';

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

/** Forgets the token (the server refused it): the next data request needs a new sign-in. */
export function forgetSession(): void {
  sessionStorage.removeItem(TOKEN);
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
  const response = await fetch(new URL('/oauth2/token', auth.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: consoleUrl(),
      code_verifier: verifier,
    }),
  });
  if (!response.ok) throw new Error(`token exchange: ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token?: string };
  if (!token) throw new Error('token exchange: no access token');
  sessionStorage.setItem(TOKEN, token);
  return true;
}
