import { describeFetchError } from '../recording.js';
import { ScenarioRunError } from './errors.js';
import type { CorpStatus, MemberStatus, ScenarioRunOptions } from './types.js';

/** One HTTP exchange with local mode. */
export interface LocalModeAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Local mode's routes the runner uses: the clock, drain, and the admin API. */
export class LocalModeClient {
  readonly #options: ScenarioRunOptions;

  constructor(options: ScenarioRunOptions) {
    this.#options = options;
  }

  async request(method: string, path: string, body?: unknown): Promise<LocalModeAnswer> {
    const admin = path.startsWith('/admin/');
    let response: Response;
    try {
      response = await fetch(`${this.#options.url}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(admin ? { authorization: `Bearer ${this.#options.adminToken}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new ScenarioRunError(
        `no answer from ${this.#options.url} (${describeFetchError(error)}): is \`npm start\` running there?`,
      );
    }
    const raw = await response.text();
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // Not JSON: kept as text.
    }
    if (response.status === 401 && admin) {
      throw new ScenarioRunError(
        'the admin API refused the bearer token: run with the ADMIN_TOKEN that `npm start` uses',
      );
    }
    if (response.status === 404 && path.startsWith('/local/')) {
      throw new ScenarioRunError(
        `${this.#options.url} has no ${path}: scenarios run against local mode (\`npm start\`)`,
      );
    }
    return { status: response.status, body: parsed };
  }

  async setClock(at: number): Promise<number> {
    const answer = await this.request('POST', '/local/clock', { set: new Date(at).toISOString() });
    const now = (answer.body as { now?: string }).now;
    if (answer.status !== 200 || now === undefined) {
      throw new ScenarioRunError(
        `POST /local/clock answered ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    return Date.parse(now);
  }

  async drain(): Promise<void> {
    const answer = await this.request('POST', '/local/drain');
    if (answer.status !== 200) throw new ScenarioRunError(`POST /local/drain answered ${answer.status}`);
  }

  async views(corpId: string, userId: string): Promise<{ member: MemberStatus; corp: CorpStatus }> {
    const corpPath = `/admin/corps/${encodeURIComponent(corpId)}`;
    const [member, corp] = await Promise.all([
      this.request('GET', `${corpPath}/members/${encodeURIComponent(userId)}`),
      this.request('GET', corpPath),
    ]);
    for (const [what, answer] of [
      ['member', member],
      ['corp', corp],
    ] as const) {
      if (answer.status !== 200) {
        throw new ScenarioRunError(
          `GET of the ${what} answered ${answer.status} ${JSON.stringify(answer.body)}`,
        );
      }
    }
    return { member: member.body as MemberStatus, corp: corp.body as CorpStatus };
  }
}
