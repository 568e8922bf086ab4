import { type DynamoDBClient, type TransactWriteItem, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { CorpState } from '../domain/index.js';
import { MAX_COUNTER_SHARDS, raiseShards, slotKey, slotsOf } from './corp-item.js';

/** What the counter slots of one store need. */
export interface CounterSlotsOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Most counter slots a corp is spread over (MAX_COUNTER_SHARDS by default, and at most). */
  readonly maxCounterShards?: number;
  /** Where the slot is drawn from (Math.random by default). */
  readonly random?: () => number;
}

/**
 * Which counter slot a store's transactions write a corp's counters to (see corp-item.ts), and the
 * spreading of a corp whose evaluators met on one.
 */
export class CounterSlots {
  readonly #options: CounterSlotsOptions;
  readonly #max: number;
  /**
   * This store's counter slot, drawn at random (each Lambda environment its own), and drawn again
   * when its transaction met another on a corp's item: concurrent evaluators spread over the slots.
   */
  #slot: number;
  /** The counter slots (their keys) this store's transactions in flight write, with how many. */
  readonly #busy = new Map<string, number>();

  constructor(options: CounterSlotsOptions) {
    this.#options = options;
    this.#max = Math.max(1, Math.min(options.maxCounterShards ?? MAX_COUNTER_SHARDS, MAX_COUNTER_SHARDS));
    this.#slot = this.#draw(this.#max);
  }

  /**
   * The counter slot (1 to the corp's `slots`) a transaction writes: this store's own, unless another
   * of its transactions in flight writes it (a batch's one-by-one fallback commits members at once),
   * then another drawn at random. The slot's key is added to `held` until `release(held)`.
   */
  pick(corpId: string, slots: number, held: string[]): number {
    let slot = 1 + (this.#slot % slots);
    for (let draw = 0; draw < 8 && this.#busy.has(slotKey(corpId, slot).pk); draw++)
      slot = 1 + this.#draw(slots);
    const pk = slotKey(corpId, slot).pk;
    this.#busy.set(pk, (this.#busy.get(pk) ?? 0) + 1);
    held.push(pk);
    return slot;
  }

  /** The slots a transaction held, free again once it is done. */
  release(held: readonly string[]): void {
    for (const pk of held) {
      const left = (this.#busy.get(pk) ?? 1) - 1;
      if (left === 0) this.#busy.delete(pk);
      else this.#busy.set(pk, left);
    }
  }

  /**
   * After a transaction met another on one of a corp's counter slots (a TransactionConflict on it):
   * this store draws its slot again, and the corp gets twice its slots (up to the
   * maximum), so that its evaluators spread out. The raise is one conditional write; if it fails
   * (another evaluator raised it first) the next conflict tries again.
   */
  async spreadOnConflict(
    items: readonly TransactWriteItem[],
    reasons: readonly { Code?: string }[],
    corps: ReadonlyMap<string, CorpState>,
  ): Promise<void> {
    const conflicted = new Set<string>();
    for (const [i, reason] of reasons.entries())
      if (reason.Code === 'TransactionConflict') conflicted.add(items[i]?.Update?.Key?.pk?.S ?? '');
    const met: [string, number][] = [];
    for (const [corpId, corp] of corps) {
      const shards = slotsOf(corp);
      // A meeting on a counter slot: more slots spread the evaluators (not on the corp item, whose
      // decisions are written under their version, rarely).
      for (let slot = 1; slot <= shards; slot++) {
        if (!conflicted.has(slotKey(corpId, slot).pk)) continue;
        met.push([corpId, shards]);
        break;
      }
    }
    if (met.length === 0) return;
    this.#slot = this.#draw(this.#max);
    for (const [corpId, shards] of met) {
      if (shards >= this.#max) continue;
      const next = Math.min(this.#max, shards * 2);
      try {
        await this.#options.client.send(
          new UpdateItemCommand(raiseShards(this.#options.tableName, corpId, next)),
        );
      } catch {
        // Raised by another evaluator first (its condition failed), or a throttle: the next conflict tries again.
      }
    }
  }

  #draw(below: number): number {
    return Math.floor((this.#options.random ?? Math.random)() * below);
  }
}
