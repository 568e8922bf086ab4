import { currentSession } from './auth.js';

/** An answer other than 2xx: its status and the server's `error` text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON answer, and when (performance.now()) it arrived: countdowns run from the server's asOf then. */
export interface Fetched<T> {
  readonly data: T;
  readonly receivedAt: number;
}

/**
 * The console's API client: bearer token, JSON, errors as ApiError; a 401 renews the token once
 * (`refresh`, Cognito's refresh token) and tries again, else goes back to sign-in.
 */
export class Api {
  constructor(
    private readonly base: string,
    private readonly onUnauthorized: () => void,
    private readonly refresh: () => Promise<boolean> = async () => false,
  ) {}

  /** GETs a path under the API base (`/corps/...`, `/policy`). */
  async get<T>(path: string): Promise<Fetched<T>> {
    return this.send<T>('GET', path);
  }

  /** POSTs a command with its Idempotency-Key (one per user action, the same on a retry of it). */
  async post<T>(path: string, body: unknown, key: string): Promise<Fetched<T>> {
    return this.send<T>('POST', path, body, key);
  }

  /** A refresh in progress, which requests refused at the same time share. */
  private renewing: Promise<boolean> | null = null;

  /**
   * Whether a token newer than `sent` is there to retry with: one renewed meanwhile by another
   * request, or else one this asks for (one refresh for all the requests refused together).
   */
  private async tokenRenewed(sent: string): Promise<boolean> {
    const current = currentSession()?.token;
    if (current !== undefined && current !== sent) return true;
    this.renewing ??= this.refresh().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async send<T>(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
    renewed = false,
  ): Promise<Fetched<T>> {
    const session = currentSession();
    // No data request is made without a token: the server would refuse it anyway.
    if (!session) {
      this.onUnauthorized();
      throw new ApiError(401, 'not signed in');
    }
    const headers: Record<string, string> = { authorization: `Bearer ${session.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      cache: 'no-store',
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    // The same Idempotency-Key on the retry: a command that took effect is not applied twice.
    if (response.status === 401 && !renewed && (await this.tokenRenewed(session.token))) {
      return this.send(method, path, body, key, true);
    }
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) {
      const error = (json as { error?: unknown } | null)?.error;
      throw new ApiError(response.status, typeof error === 'string' ? error : `HTTP ${response.status}`);
    }
    return { data: json as T, receivedAt: performance.now() };
  }
}
