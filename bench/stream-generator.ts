import { DOMAIN_EVENT_VERSION } from '../shared/domain/constants.js';
import type { DomainEvent } from '../shared/domain/events.js';
import { DAY_MS } from '../shared/domain/windows.js';
import { CORP_SIZES, EVENTS, MEMBERS, SPAN_MS, START_AT } from './policy-constants.js';
import { BAD_NAMES, INDUCING, MARKETING, NAMES, PLAIN, R3 } from './policy-texts.js';
import { Random } from './random.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface Member {
  readonly corpId: string;
  readonly userId: string;
  /** The member's recent contacts and recent marketing recipients (external user ids), newest last. */
  readonly contacts: string[];
  readonly marketed: string[];
  readonly rooms: string[];
  banned: boolean;
}

/** A burst: a run of events of one member at its own cadence, merged into the stream by time. */
interface Burst {
  at: number;
  left: number;
  readonly member: Member;
  readonly kind: 'add-spree' | 'machine-adds' | 'mass-send' | 'unban';
  readonly gapMs: readonly [number, number];
  readonly text: string;
}

/** Relative weights of the steady stream; bursts add contact.added and message.sent on top. */
const MIX = [
  ['message.sent', 44],
  ['contact.added', 28.3],
  ['complaint.received', 8],
  ['contact.deleted-by-customer', 7],
  ['contact.half-added', 2.5],
  ['contact.deleted-by-member', 2.5],
  ['message.recalled', 0.3],
  ['member.profile-changed', 0.2],
  ['wechat.status-changed', 0.04],
] as const;
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);
/** Bursts started per steady event. */
const SPREE_RATE = 160 / EVENTS;
const MACHINE_RATE = 40 / EVENTS;
const MASS_SEND_RATE = 20 / EVENTS;

/**
 * Deterministic synthetic domain events, in time order, shaped as ingest normalizes them: a steady
 * stream over members picked with a skew (a few members are far busier than most), plus bursts of
 * adds over the daily limit, adds at machine cadence, mass sends of one text, and ban/unban pairs.
 */
export class StreamGenerator {
  readonly mix = new Map<string, number>();
  lastAt = START_AT;
  readonly #random: Random;
  readonly #members: Member[];
  readonly #bursts: Burst[] = [];
  readonly #total: number;
  #emitted = 0;
  #steadyAt = START_AT;

  constructor(seed: number, name: string, total: number) {
    this.#random = new Random(seed);
    this.#total = total;
    const r = this.#random;
    const corps = CORP_SIZES.map(() => `ww${r.hex(16)}`);
    this.#members = [];
    for (const [index, size] of CORP_SIZES.entries()) {
      for (let n = 0; n < size; n++) {
        this.#members.push({
          corpId: corps[index] as string,
          userId: `${name}-${String(this.#members.length).padStart(5, '0')}`,
          contacts: [],
          marketed: [],
          rooms: [`wr${r.hex(20)}`, `wr${r.hex(20)}`],
          banned: false,
        });
      }
    }
  }

  get done(): boolean {
    return this.#emitted >= this.#total;
  }

  /** The next `count` events (fewer at the end of the stream). */
  next(count: number): DomainEvent[] {
    const out: DomainEvent[] = [];
    while (out.length < count && this.#emitted < this.#total) {
      const event = this.#one();
      this.#emitted++;
      this.lastAt = event.at;
      this.mix.set(event.type, (this.mix.get(event.type) ?? 0) + 1);
      out.push(event);
    }
    return out;
  }

  #one(): DomainEvent {
    const r = this.#random;
    let burst: Burst | undefined;
    for (const candidate of this.#bursts) if (!burst || candidate.at < burst.at) burst = candidate;
    if (burst && burst.at <= this.#steadyAt) return this.#fromBurst(burst);
    const at = this.#steadyAt;
    this.#steadyAt += r.exponential(SPAN_MS / EVENTS);
    this.#maybeStartBurst(at);
    // Skewed activity: P(rank < k) = (k / N)^(1/1.6); ranks are scattered over the corps.
    const rank = Math.floor(MEMBERS * r.next() ** 1.6);
    const member = this.#members[(rank * 7919) % MEMBERS] as Member;
    let roll = r.next() * MIX_TOTAL;
    let type: (typeof MIX)[number][0] = 'message.sent';
    for (const [name, weight] of MIX) {
      roll -= weight;
      if (roll < 0) {
        type = name;
        break;
      }
    }
    return this.#steady(type, member, Math.floor(at));
  }

  #maybeStartBurst(at: number): void {
    const r = this.#random;
    const member = this.#members[r.int(MEMBERS)] as Member;
    if (r.chance(SPREE_RATE)) {
      this.#bursts.push({
        at,
        left: 40 + r.int(160),
        member,
        kind: 'add-spree',
        gapMs: [20_000, 300_000],
        text: '',
      });
    } else if (r.chance(MACHINE_RATE)) {
      this.#bursts.push({
        at,
        left: 22 + r.int(18),
        member,
        kind: 'machine-adds',
        gapMs: [1000, 2800],
        text: '',
      });
    } else if (r.chance(MASS_SEND_RATE)) {
      this.#bursts.push({
        at,
        left: 210 + r.int(110),
        member,
        kind: 'mass-send',
        gapMs: [50, 250],
        text: r.pick(MARKETING),
      });
    }
  }

  #fromBurst(burst: Burst): DomainEvent {
    const r = this.#random;
    const at = Math.floor(burst.at);
    const { member } = burst;
    burst.left--;
    burst.at += r.between(burst.gapMs[0], burst.gapMs[1]);
    if (burst.left <= 0) this.#bursts.splice(this.#bursts.indexOf(burst), 1);
    switch (burst.kind) {
      case 'add-spree':
      case 'machine-adds':
        return this.#contactAdded(member, at, false);
      case 'mass-send': {
        const recipient = this.#externalId();
        remember(member.marketed, recipient);
        return this.#message(member, at, 'member', [recipient], null, burst.text);
      }
      case 'unban':
        member.banned = false;
        return this.#wechat(member, at, 'unbanned');
    }
  }

  #steady(type: (typeof MIX)[number][0], member: Member, at: number): DomainEvent {
    const r = this.#random;
    const { corpId, userId } = member;
    const seconds = Math.floor(at / 1000) * 1000;
    switch (type) {
      case 'message.sent':
        return this.#steadyMessage(member, at);
      case 'contact.added':
        return this.#contactAdded(member, seconds, r.chance(0.3));
      case 'contact.half-added': {
        const viaContactMe = r.chance(0.5);
        return identified({
          v: DOMAIN_EVENT_VERSION,
          corpId,
          userId,
          at: seconds,
          externalUserId: this.#externalId(),
          type: 'contact.half-added',
          viaContactMe,
          ...(viaContactMe ? { state: `qr-${r.int(20)}` } : {}),
          id: r.hex(40),
        });
      }
      case 'contact.deleted-by-member':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          corpId,
          userId,
          at: seconds,
          externalUserId: this.#counterpart(member, 0, 0.5),
          type: 'contact.deleted-by-member',
          ...(r.chance(0.2) ? { source: 'DELETE_BY_TRANSFER' } : {}),
          id: r.hex(40),
        });
      case 'contact.deleted-by-customer':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          corpId,
          userId,
          at: seconds,
          externalUserId: this.#counterpart(member, 0.12, 0.1),
          type: 'contact.deleted-by-customer',
          id: r.hex(40),
        });
      case 'complaint.received':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          type: 'complaint.received',
          corpId,
          userId,
          at,
          complaintId: `cp${r.hex(24)}`,
          externalUserId: this.#counterpart(member, 0.12, 0.2),
          reason: r.pick(['harassment', 'marketing', 'fraud', 'other']),
          id: r.hex(40),
        });
      case 'message.recalled':
        return identified({
          v: DOMAIN_EVENT_VERSION,
          type: 'message.recalled',
          corpId,
          userId,
          at,
          msgId: `${r.hex(20)}_external`,
          recallMsgId: `${r.hex(20)}_external`,
          id: r.hex(40),
        });
      case 'member.profile-changed': {
        const name = r.chance(0.01) ? r.pick(BAD_NAMES) : r.pick(NAMES);
        return identified({
          v: DOMAIN_EVENT_VERSION,
          type: 'member.profile-changed',
          corpId,
          userId,
          at: seconds,
          changes: r.chance(0.5) ? { Name: name } : { Alias: name },
          id: r.hex(40),
        });
      }
      case 'wechat.status-changed': {
        if (member.banned) return this.#steadyMessage(member, at);
        member.banned = true;
        // Most bans are lifted by WeChat after a while: the unban comes as a one-event burst.
        if (r.chance(0.8)) {
          this.#bursts.push({
            at: at + r.between(3_600_000, 5 * DAY_MS),
            left: 1,
            member,
            kind: 'unban',
            gapMs: [0, 0],
            text: '',
          });
        }
        return this.#wechat(member, at, 'banned');
      }
    }
  }

  #steadyMessage(member: Member, at: number): DomainEvent {
    const r = this.#random;
    const group = r.chance(0.2);
    if (r.chance(0.35)) {
      // A customer writing to the member, alone or in a room.
      const sender = this.#counterpart(member, 0, 0.6);
      const recipients = group ? [member.userId, ...this.#externals(2 + r.int(10))] : [member.userId];
      return this.#message(
        member,
        at,
        'external',
        recipients,
        group ? r.pick(member.rooms) : null,
        r.pick(PLAIN),
        sender,
      );
    }
    // Customer groups hold up to 500; most are small.
    const recipients = group
      ? this.#externals(r.chance(0.002) ? 100 + r.int(400) : 3 + r.int(40))
      : [this.#counterpart(member, 0, 0.8)];
    const roll = r.next();
    const text =
      roll < 0.0002
        ? r.pick(R3)
        : roll < 0.0008
          ? r.pick(INDUCING)
          : roll < 0.2
            ? r.pick(MARKETING)
            : r.pick(PLAIN);
    if (MARKETING.includes(text) || INDUCING.includes(text))
      for (const to of recipients) remember(member.marketed, to);
    return this.#message(member, at, 'member', recipients, group ? r.pick(member.rooms) : null, text);
  }

  #message(
    member: Member,
    at: number,
    senderKind: 'member' | 'external',
    recipients: string[],
    roomId: string | null,
    text: string,
    sender = member.userId,
  ): DomainEvent {
    const r = this.#random;
    const image = r.chance(0.1);
    return identified({
      v: DOMAIN_EVENT_VERSION,
      type: 'message.sent',
      corpId: member.corpId,
      userId: member.userId,
      at,
      msgId: `${r.hex(20)}_${Math.floor(at / 1000)}`,
      sender,
      senderKind,
      recipients,
      roomId,
      msgType: image ? 'image' : 'text',
      text: image ? null : text,
      id: r.hex(40),
    });
  }

  #contactAdded(member: Member, at: number, viaContactMe: boolean): DomainEvent {
    const r = this.#random;
    const externalUserId = this.#externalId();
    remember(member.contacts, externalUserId);
    return identified({
      v: DOMAIN_EVENT_VERSION,
      corpId: member.corpId,
      userId: member.userId,
      at: Math.floor(at / 1000) * 1000,
      externalUserId,
      type: 'contact.added',
      viaContactMe,
      ...(viaContactMe ? { state: `qr-${r.int(20)}` } : {}),
      id: r.hex(40),
    });
  }

  #wechat(member: Member, at: number, status: 'banned' | 'unbanned'): DomainEvent {
    const r = this.#random;
    return identified({
      v: DOMAIN_EVENT_VERSION,
      type: 'wechat.status-changed',
      corpId: member.corpId,
      userId: member.userId,
      at,
      statusId: `st${r.hex(24)}`,
      status,
      ...(status === 'banned' ? { reason: 'spam reports' } : {}),
      id: r.hex(40),
    });
  }

  /** A counterpart: a recent marketing recipient, a recent contact, or someone from long ago. */
  #counterpart(member: Member, marketed: number, contact: number): string {
    const r = this.#random;
    const roll = r.next();
    if (roll < marketed && member.marketed.length > 0) return r.pick(member.marketed);
    if (roll < marketed + contact && member.contacts.length > 0) return r.pick(member.contacts);
    return this.#externalId();
  }

  #externals(count: number): string[] {
    return Array.from({ length: count }, () => this.#externalId());
  }

  /** A WeCom external user id: `wm` and 30 characters. */
  #externalId(): string {
    const r = this.#random;
    let id = 'wm';
    for (let i = 0; i < 5; i++) {
      let word = r.uint32();
      for (let k = 0; k < 6; k++) {
        id += ALPHABET[word % 62];
        word = Math.floor(word / 62);
      }
    }
    return id;
  }
}

/** Keeps the last 16 ids. */
function remember(list: string[], id: string): void {
  list.push(id);
  if (list.length > 16) list.shift();
}

/** The type only: every event literal above carries its id (40 hex) already. */
function identified<E extends DomainEvent>(event: E): DomainEvent {
  return event;
}
