import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { OUTBOUND_EVENT_SOURCE } from '../config/index.js';
import type { OutboundEvents, PendingEffects } from '../domain/index.js';
import { isOutboundDecision, type OutboundDecision } from '../domain/index.js';
import { EntriesRefusedError } from './errors.js';

/** EventBridge takes at most 10 entries per PutEvents. */
const BATCH_SIZE = 10;

/** Options of the EventBridge outbound events adapter. */
export interface EventBridgeOutboundOptions {
  readonly client: EventBridgeClient;
  readonly busName: string;
  /** Sends of an entry, counting the first, before an entry EventBridge keeps refusing is given up on (default 4). */
  readonly maxAttempts?: number;
  /** First back-off delay in ms; doubles per attempt, with full jitter. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * The PutEvents entries of an input's effects: one per `penalty.applied`, `penalty.lifted`,
 * `quota.changed`, `case.opened` and `case.decided`, in order. Each detail carries an id made of the bus name, the input's id and the
 * decision's index in the effects, the same on every redelivery, so consumers can drop duplicates;
 * times are ISO strings. Nothing is added that is not in the decision or the effects.
 *
 * The bus name is in the id because the input's id is not the stage's own: it is WeCom's (a msgid, a
 * callback's identity), so a replay into `dev` of what `prod` received gives the same input ids, and a
 * consumer that gathers both stages' buses (a central bus, one archive) would drop one stage's events
 * as the other's duplicates. Each stage has its own bus (`WecomEnforcement-<stage>-outbound`).
 */
export function outboundEntries(effects: PendingEffects, busName: string): PutEventsRequestEntry[] {
  const entries: PutEventsRequestEntry[] = [];
  effects.decisions.forEach((decision, index) => {
    if (!isOutboundDecision(decision)) return;
    entries.push({
      Source: OUTBOUND_EVENT_SOURCE,
      DetailType: decision.type,
      EventBusName: busName,
      Time: new Date(effects.at),
      Resources: [],
      Detail: JSON.stringify(outboundDetail(decision, `${busName}:${effects.inputId}.${index}`, effects.at)),
    });
  });
  return entries;
}

/** The detail of one outbound event: id, type, corp, member (member subjects only), subject, time, then the decision. */
function outboundDetail(decision: OutboundDecision, id: string, at: number): Record<string, unknown> {
  const { type, ...fields } = decision;
  const time = new Date(at).toISOString();
  if (type === 'quota.changed') return { id, type, corpId: decision.corpId, at: time, ...fields };
  const isoOf = (ms: number) => new Date(ms).toISOString();
  if (decision.type === 'case.opened') {
    // The text a reviewer reads stays in the table, behind the admin API: the bus carries the
    // case without the member's message (its matched terms, bounded, are in the explanation).
    const { text: _text, ...c } = decision.case;
    return {
      id,
      type,
      corpId: c.corpId,
      userId: c.userId,
      subject: { kind: 'member', corpId: c.corpId, userId: c.userId },
      at: time,
      case: {
        ...c,
        violationAt: isoOf(c.violationAt),
        openedAt: isoOf(c.openedAt),
        reviewBy: isoOf(c.reviewBy),
      },
    };
  }
  if (decision.type === 'case.decided') {
    return {
      id,
      type,
      corpId: decision.corpId,
      userId: decision.userId,
      subject: { kind: 'member', corpId: decision.corpId, userId: decision.userId },
      at: time,
      ...fields,
      openedAt: isoOf(decision.openedAt),
      decision: { ...decision.decision, at: isoOf(decision.decision.at) },
    };
  }
  const { subject } = decision;
  return {
    id,
    type,
    corpId: subject.corpId,
    ...(subject.kind === 'member' ? { userId: subject.userId } : {}),
    subject,
    at: time,
    ...fields,
    ...(decision.type === 'penalty.applied'
      ? { until: decision.until === null ? null : new Date(decision.until).toISOString() }
      : {}),
  };
}

/**
 * OutboundEvents on an EventBridge bus. Entries go out 10 per PutEvents; the ones EventBridge
 * reports failed are sent again, alone, with back-off, up to `maxAttempts` sends in all.
 */
export class EventBridgeOutbound implements OutboundEvents {
  readonly #options: Required<EventBridgeOutboundOptions>;

  constructor(options: EventBridgeOutboundOptions) {
    this.#options = {
      ...options,
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 2_000,
    };
  }

  /**
   * Publishes the effects' outbound events. Rejects naming how many were still refused and the
   * first error code, or with the client's error when a request itself fails (the SDK has retried
   * it already).
   */
  async publish(effects: PendingEffects): Promise<void> {
    const entries = outboundEntries(effects, this.#options.busName);
    const batches: PutEventsRequestEntry[][] = [];
    for (let i = 0; i < entries.length; i += BATCH_SIZE) batches.push(entries.slice(i, i + BATCH_SIZE));
    const refused = await Promise.all(batches.map((batch) => this.#putBatch(batch)));
    const failed = refused.reduce((sum, batch) => sum + batch.count, 0);
    if (failed > 0) {
      const code = refused.find((batch) => batch.code !== undefined)?.code ?? 'unknown';
      throw new EntriesRefusedError(
        `EventBridge refused ${failed} of ${entries.length} outbound events of input ${effects.inputId} after ${this.#options.maxAttempts} attempts (first error: ${code})`,
      );
    }
  }

  /** Puts one batch, re-sending only the refused entries; answers how many were still refused at the end. */
  async #putBatch(batch: PutEventsRequestEntry[]): Promise<{ count: number; code?: string }> {
    let pending = batch;
    let code: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const result = await this.#options.client.send(new PutEventsCommand({ Entries: pending }));
      const results = result.Entries ?? [];
      // Result entries answer request entries by position; a failure without them fails them all.
      const refused =
        results.length === pending.length
          ? pending.filter((_, i) => Boolean(results[i]?.ErrorCode))
          : (result.FailedEntryCount ?? 0) > 0
            ? pending
            : [];
      if (refused.length === 0) return { count: 0 };
      code ??= results.find((entry) => entry.ErrorCode)?.ErrorCode;
      pending = refused;
      if (attempt + 1 >= this.#options.maxAttempts) return { count: pending.length, code };
      const ceiling = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
