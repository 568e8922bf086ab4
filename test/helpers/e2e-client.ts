import { DEV_DEFAULTS } from '../../local/config.js';
import { type SealKeys, sealCallback } from '../../local/seal-callback.js';

/**
 * A client of a running `npm start` that drives it only through HTTP, as WeCom and an operator
 * would: signed, encrypted callbacks (each delivered three times unless told otherwise), the local
 * controls (`/local/drain`, `/local/clock`, `/local/events`, `/local/timers`, `/local/queue`) and
 * the admin API behind the bearer token.
 */

/** The keys every e2e process runs with (set explicitly, so no variable of the caller's shell leaks in). */
export const E2E_KEYS = {
  token: DEV_DEFAULTS.WECOM_TOKEN,
  encodingAesKey: DEV_DEFAULTS.WECOM_ENCODING_AES_KEY,
  adminToken: DEV_DEFAULTS.ADMIN_TOKEN,
} as const;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const MINUTE_MS = 60_000;

/** The callback routes of CONTRACT §3. */
export type CallbackRoute = 'contact' | 'message' | 'wechat-status';

/** The reason of a penalty (CONTRACT §5). */
export interface PenaltyReasonJson {
  readonly rule: 'R1' | 'R2' | 'R3';
  readonly category: string;
  readonly violationId: string;
}

/** `GET /admin/corps/{corpId}/members/{userId}`. */
export interface MemberJson {
  readonly corpId: string;
  readonly userId: string;
  readonly interop: {
    readonly status: 'active' | 'suspended' | 'banned';
    readonly until: string | null;
    readonly canApplyForUnblock: boolean;
    readonly reason: PenaltyReasonJson | null;
  };
  readonly account: { readonly status: 'active' | 'blocked'; readonly reason?: PenaltyReasonJson | null };
  readonly strikes: number;
  readonly linkedWeChat: { readonly status: 'normal' | 'banned'; readonly restoreAt: string | null };
  readonly penalties?: readonly {
    readonly id: string;
    readonly kind: string;
    readonly scope: string;
    readonly rule: string;
  }[];
  readonly appeals?: readonly AppealJson[];
}

/** One entry of `GET .../violations`. */
export interface ViolationJson {
  readonly id: string;
  readonly rule: 'R1' | 'R2' | 'R3';
  readonly category: string;
  readonly at: string;
  readonly status?: 'standing' | 'void';
  readonly badInfluence?: boolean;
  readonly evidence: readonly Record<string, unknown>[];
  readonly penalty: { readonly kind: string; readonly scope: string; readonly until: string | null } | null;
  readonly explanation?: { readonly policyVersion: string; readonly summary: string };
}

/** An appeal as `POST /admin/appeals` and `GET /admin/appeals/{id}` answer it. */
export interface AppealJson {
  readonly id: string;
  readonly corpId: string;
  readonly userId: string | null;
  readonly kind: string;
  readonly status: 'open' | 'approved' | 'rejected';
  readonly violationId?: string;
}

/** `GET /admin/corps/{corpId}`. */
export interface CorpJson {
  readonly corpId: string;
  readonly account: { readonly status: 'active' | 'blocked'; readonly reason?: PenaltyReasonJson | null };
  readonly adminAccount: {
    readonly status: 'active' | 'blocked';
    readonly reason?: PenaltyReasonJson | null;
  };
  readonly limits: { readonly contactAddsPerMemberPerDay: number; readonly contactAddsPerCorpPerDay: number };
  /** The day the daily quantities count, in the policy's time zone, and when it ends (ISO). */
  readonly day: { readonly date: string; readonly timeZone: string; readonly endsAt: string };
  readonly trust: {
    readonly score: number;
    readonly factors: readonly { name: string; score: number; weight: number; detail: string }[];
  };
  readonly advice: readonly string[];
  readonly policyVersion: string;
}

/** One outbound event of `GET /local/events`. */
export interface OutboundEventJson {
  readonly detailType: string;
  readonly time: string;
  readonly detail: {
    readonly id: string;
    readonly type: string;
    readonly corpId: string;
    readonly userId?: string;
    readonly subject: { readonly kind: string; readonly corpId: string; readonly userId?: string };
    readonly penaltyId?: string;
    readonly reason?: PenaltyReasonJson;
    readonly until?: string | null;
    readonly cause?: { readonly kind: string; readonly id: string };
    readonly policyVersion?: string;
  };
}

/** One message of `GET /local/queue`. */
export interface QueuedJson {
  readonly messageId: string;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly body: string;
  readonly state: string;
}

/** An HTTP answer: its status and its body (parsed when JSON). */
export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** How a callback is delivered. */
export interface DeliveryOptions {
  /** Deliveries of the same callback, each sealed afresh (new nonce, timestamp, random bytes); 3 by default. */
  readonly times?: number;
  readonly envelope?: 'xml' | 'json';
}

let sequence = 0;
/** A short id unique in this test run. */
export function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}${process.pid.toString(36)}${sequence.toString(36)}`;
}

/** An external user id of WeCom's shape (`wm` + at least 20 characters), unique to `seed`. */
export function externalId(seed: string, n: number): string {
  return `wm${`${seed.replace(/[^A-Za-z0-9]/g, '')}x${n}`.padEnd(26, '0')}`;
}

/** Escapes text for a CDATA section. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

function whole(at: number): number {
  if (at % 1000 !== 0) throw new RangeError(`an XML event time is whole seconds; ${at} ms is not`);
  return at / 1000;
}

/** The client of one running `npm start`. */
export class E2eClient {
  readonly corpId: string;
  readonly #url: () => string;
  readonly #keys: SealKeys;

  /** `url` may be a function, read at each request, for a client made before its process starts. */
  constructor(url: string | (() => string), corpId: string) {
    this.#url = typeof url === 'string' ? () => url : url;
    this.corpId = corpId;
    this.#keys = { corpId, token: E2E_KEYS.token, encodingAesKey: E2E_KEYS.encodingAesKey };
  }

  /** The base URL of the running `npm start`. */
  get url(): string {
    return this.#url();
  }

  // ---- callbacks -------------------------------------------------------------------------------

  /**
   * Seals `plaintext` and POSTs it to `/callbacks/{route}` `times` times (3 by default), each
   * delivery sealed afresh; throws unless every delivery is answered `200 success`.
   */
  async deliver(route: CallbackRoute, plaintext: string, options: DeliveryOptions = {}): Promise<void> {
    const times = options.times ?? 3;
    const envelope = options.envelope ?? (route === 'contact' ? 'xml' : 'json');
    for (let i = 0; i < times; i++) {
      const answer = await this.post(route, plaintext, envelope);
      if (answer.status !== 200 || answer.body !== 'success') {
        throw new Error(
          `POST /callbacks/${route} (delivery ${i + 1}) answered ${answer.status} ${answer.body}`,
        );
      }
    }
  }

  /** POSTs one sealed delivery and answers its status and text, whatever they are. */
  async post(
    route: CallbackRoute,
    plaintext: string,
    envelope: 'xml' | 'json' = route === 'contact' ? 'xml' : 'json',
  ): Promise<Answer<string>> {
    const sealed = sealCallback(plaintext, this.#keys, { envelope });
    const response = await fetch(`${this.url}/callbacks/${route}?${sealed.query}`, {
      method: 'POST',
      headers: { 'content-type': envelope === 'json' ? 'application/json' : 'text/xml' },
      body: sealed.body,
    });
    return { status: response.status, body: await response.text() };
  }

  /** The decrypted XML of a `change_external_contact` event. */
  contactXml(
    changeType: string,
    userId: string,
    externalUserId: string,
    at: number,
    extra: Record<string, string> = {},
  ): string {
    const fields = Object.entries(extra)
      .map(([name, value]) => `<${name}>${cdata(value)}</${name}>`)
      .join('');
    return (
      `<xml><ToUserName>${cdata(this.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
      `<CreateTime>${whole(at)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
      `<Event>${cdata('change_external_contact')}</Event><ChangeType>${cdata(changeType)}</ChangeType>` +
      `<UserID>${cdata(userId)}</UserID><ExternalUserID>${cdata(externalUserId)}</ExternalUserID>` +
      `${fields}</xml>`
    );
  }

  /** The member added an external contact (`add_external_contact`); `state` marks a "contact me" code. */
  addContact(
    userId: string,
    externalUserId: string,
    at: number,
    options: DeliveryOptions & { state?: string } = {},
  ): Promise<void> {
    const extra: Record<string, string> = { WelcomeCode: 'WELCOMECODE' };
    if (options.state !== undefined) extra.State = options.state;
    return this.deliver(
      'contact',
      this.contactXml('add_external_contact', userId, externalUserId, at, extra),
      options,
    );
  }

  /** The customer deleted the member (`del_follow_user`). */
  customerDeleted(
    userId: string,
    externalUserId: string,
    at: number,
    options: DeliveryOptions = {},
  ): Promise<void> {
    return this.deliver('contact', this.contactXml('del_follow_user', userId, externalUserId, at), options);
  }

  /** `change_contact` / `update_user` with the given profile fields (Name, Alias, ...). */
  updateUser(
    userId: string,
    profile: Record<string, string>,
    at: number,
    options: DeliveryOptions = {},
  ): Promise<void> {
    const fields = Object.entries(profile)
      .map(([name, value]) => `<${name}>${cdata(value)}</${name}>`)
      .join('');
    const xml =
      `<xml><ToUserName>${cdata(this.corpId)}</ToUserName><FromUserName>${cdata('sys')}</FromUserName>` +
      `<CreateTime>${whole(at)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
      `<Event>${cdata('change_contact')}</Event><ChangeType>${cdata('update_user')}</ChangeType>` +
      `<UserID>${cdata(userId)}</UserID>${fields}</xml>`;
    return this.deliver('contact', xml, options);
  }

  /** A conversation-archive text message sent by the member. */
  textRecord(
    userId: string,
    text: string,
    at: number,
    options: { to?: readonly string[]; roomId?: string; msgId?: string } = {},
  ): Record<string, unknown> {
    return {
      msgid: options.msgId ?? uniqueId('msg'),
      action: 'send',
      from: userId,
      tolist: options.to ?? [externalId(userId, 0)],
      roomid: options.roomId ?? '',
      msgtime: at,
      msgtype: 'text',
      text: { content: text },
    };
  }

  /** The member sent `text` (one archive record on `/callbacks/message`). */
  sendText(
    userId: string,
    text: string,
    at: number,
    options: DeliveryOptions & { to?: readonly string[]; roomId?: string; msgId?: string } = {},
  ): Promise<void> {
    return this.deliver('message', JSON.stringify(this.textRecord(userId, text, at, options)), options);
  }

  /** A customer complaint about the member. */
  complaintRecord(userId: string, from: string, at: number, id = uniqueId('cmp')): Record<string, unknown> {
    return { type: 'complaint', id, from, userId, reason: 'harassment', time: at };
  }

  /** A customer (`from`) complained about the member. */
  complain(
    userId: string,
    from: string,
    at: number,
    options: DeliveryOptions & { id?: string } = {},
  ): Promise<void> {
    return this.deliver(
      'message',
      JSON.stringify(this.complaintRecord(userId, from, at, options.id)),
      options,
    );
  }

  /** Several message-route records in one callback (`{"records": [...]}`). */
  records(records: readonly Record<string, unknown>[], options: DeliveryOptions = {}): Promise<void> {
    return this.deliver('message', JSON.stringify({ records }), options);
  }

  /** WeChat banned or unbanned the WeChat account linked to the member. */
  wechatStatus(
    userId: string,
    status: 'banned' | 'unbanned',
    at: number,
    options: DeliveryOptions & { id?: string; reason?: string } = {},
  ): Promise<void> {
    const record = {
      id: options.id ?? uniqueId('ws'),
      userId,
      status,
      ...(options.reason === undefined ? {} : { reason: options.reason }),
      time: at,
    };
    return this.deliver('wechat-status', JSON.stringify(record), options);
  }

  // ---- local controls --------------------------------------------------------------------------

  /** `POST /local/drain`: resolves once everything queued is evaluated, with how many were. */
  async drain(): Promise<number> {
    const answer = await this.#json<{ processed: number }>('POST', '/local/drain');
    if (answer.status !== 200) throw new Error(`POST /local/drain answered ${answer.status}`);
    return answer.body.processed;
  }

  /** `POST /local/clock {"set": ISO}`: answers the new time. */
  async setClock(at: number | string): Promise<string> {
    const iso = typeof at === 'number' ? new Date(at).toISOString() : at;
    return this.#clock({ set: iso });
  }

  /** `POST /local/clock {"advanceMs": n}`: fires what is due, drains; answers the new time. */
  advanceClock(ms: number): Promise<string> {
    return this.#clock({ advanceMs: ms });
  }

  async #clock(move: { set: string } | { advanceMs: number }): Promise<string> {
    const answer = await this.#json<{ now: string }>('POST', '/local/clock', move);
    if (answer.status !== 200) {
      throw new Error(`POST /local/clock answered ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body.now;
  }

  /** `GET /local/events`: the latest outbound events, oldest first. */
  async events(): Promise<OutboundEventJson[]> {
    return (await this.#json<{ events: OutboundEventJson[] }>('GET', '/local/events')).body.events;
  }

  /** The outbound events about one member. */
  async memberEvents(userId: string): Promise<OutboundEventJson[]> {
    return (await this.events()).filter(
      (e) => e.detail.corpId === this.corpId && e.detail.subject.userId === userId,
    );
  }

  /** `GET /local/timers`: the timers waiting for the clock. */
  async timers(): Promise<{ name: string; at: string }[]> {
    return (await this.#json<{ timers: { name: string; at: string }[] }>('GET', '/local/timers')).body.timers;
  }

  /** `GET /local/queue`: what is queued, and the dead-letter queue. */
  async queue(): Promise<{ queue: QueuedJson[]; deadLetterQueue: QueuedJson[] }> {
    return (await this.#json<{ queue: QueuedJson[]; deadLetterQueue: QueuedJson[] }>('GET', '/local/queue'))
      .body;
  }

  // ---- admin API -------------------------------------------------------------------------------

  /** A request to the admin API with the bearer token; answers the status and the JSON body. */
  admin<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    return this.#json<T>(method, path.startsWith('/admin') ? path : `/admin${path}`, body, {
      authorization: `Bearer ${E2E_KEYS.adminToken}`,
      ...headers,
    });
  }

  /** `GET /admin/corps/{corpId}/members/{userId}` (this client's corp unless told). */
  async member(userId: string, corpId = this.corpId): Promise<MemberJson> {
    return this.#ok(await this.admin<MemberJson>('GET', memberPath(corpId, userId)), 'member');
  }

  /** `GET /admin/corps/{corpId}/members/{userId}/violations`, newest first: every page, following `next`. */
  async violations(userId: string, corpId = this.corpId): Promise<ViolationJson[]> {
    const all: ViolationJson[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const answer = await this.admin<{ violations: ViolationJson[]; next: string | null }>(
        'GET',
        `${memberPath(corpId, userId)}/violations${query}`,
      );
      const page = this.#ok(answer, 'violations');
      all.push(...page.violations);
      cursor = page.next;
    } while (cursor !== null);
    return all;
  }

  /** `GET /admin/corps/{corpId}`. */
  async corp(corpId = this.corpId): Promise<CorpJson> {
    return this.#ok(await this.admin<CorpJson>('GET', `/admin/corps/${encodeURIComponent(corpId)}`), 'corp');
  }

  /** A reviewer's report: `POST .../members/{userId}/violations`. */
  report(
    userId: string,
    body: { category: string; reviewer?: string; badInfluence?: boolean; note?: string },
    corpId = this.corpId,
  ): Promise<Answer<{ violationId: string; member: MemberJson; error?: string }>> {
    return this.admin('POST', `${memberPath(corpId, userId)}/violations`, {
      reviewer: 'reviewer-e2e',
      ...body,
    });
  }

  /** `POST .../members/{userId}/unblock-application`. */
  applyForUnblock(userId: string, corpId = this.corpId): Promise<Answer<MemberJson & { error?: string }>> {
    return this.admin('POST', `${memberPath(corpId, userId)}/unblock-application`, {});
  }

  /** `POST /admin/appeals`. */
  fileAppeal(body: Record<string, unknown>): Promise<Answer<AppealJson & { error?: string }>> {
    return this.admin('POST', '/admin/appeals', body);
  }

  /** `GET /admin/appeals/{id}`. */
  appeal(id: string): Promise<Answer<AppealJson & { error?: string }>> {
    return this.admin('GET', `/admin/appeals/${encodeURIComponent(id)}`);
  }

  /** `POST /admin/appeals/{id}/decision`. */
  decideAppeal(
    id: string,
    approved: boolean,
    reviewer = 'reviewer-e2e',
  ): Promise<Answer<AppealJson & { error?: string }>> {
    return this.admin('POST', `/admin/appeals/${encodeURIComponent(id)}/decision`, { approved, reviewer });
  }

  #ok<T>(answer: Answer<T>, what: string): T {
    if (answer.status !== 200)
      throw new Error(`GET ${what} answered ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async #json<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON: the text itself.
    }
    return { status: response.status, body: parsed as T };
  }
}

function memberPath(corpId: string, userId: string): string {
  return `/admin/corps/${encodeURIComponent(corpId)}/members/${encodeURIComponent(userId)}`;
}

/** A scenario's start: `2027-01-01T00:00:00Z` plus `n` × 120 days (far enough apart for every window). */
export function scenarioStart(n: number): number {
  return Date.UTC(2027, 0, 1) + n * 120 * DAY_MS;
}

/** ISO text of a time in ms. */
export function iso(at: number): string {
  return new Date(at).toISOString();
}
