import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { CorpState } from '../domain/index.js';
import { initialCorpState } from '../domain/index.js';
import {
  type CounterSlot,
  EMPTY_SLOT,
  type ExpressionParts,
  mergeSlots,
  slotFromItem,
  slotFromState,
  writeSlot,
} from './corp-counter-slot.js';
import { storeKeys } from './penalty-table.js';

/**
 * A corp is stored in two kinds of data, so that members of one corp do not queue behind each
 * other on one item:
 *  - its decisions (account and admin status, bad-influence record, appeals, reviews) in `state` on
 *    the corp item, changed only under optimistic concurrency on `version`, and rarely;
 *  - its per-day counters (contact adds and activity, negative feedback, violations, the day's top
 *    adders), changed by nearly every contact event, in counter slots (corp-counter-slot.ts): items
 *    of their own, slots 1 to `shards` (on its slots item, 1 when absent, only ever raised when its
 *    evaluators meet on a slot). An evaluator writes its deltas to its own slot, so concurrent
 *    evaluators of one corp write different items, and a load sums them all. The corp item is
 *    slot 0: it held the counters before slots, is still read and summed, and takes no deltas now,
 *    so that a batch's counters cost a small slot's write units, not the corp item's (about 2 KB
 *    with its decisions: 4 to 6 units a transaction).
 */

/** The attribute of the corp's slots item (storeKeys.corpSlots) that says how many counter slots it has. */
const SHARDS = 'shards';
/** Most counter slots a corp gets (see DynamoDbPenaltyStoreOptions.maxCounterShards). */
export const MAX_COUNTER_SHARDS = 64;

/** How a loaded corp's counters are laid out: each slot's content, slot 0 first. */
interface CorpLayout {
  readonly slots: readonly CounterSlot[];
}
/** The layout each corp state this store loaded or committed came from. */
const layouts = new WeakMap<CorpState, CorpLayout>();

/** The layout of a corp state: as loaded, or (for a state built elsewhere) all of it in slot 0, slot 1 empty. */
function layoutOf(corp: CorpState): CorpLayout {
  return layouts.get(corp) ?? { slots: [slotFromState(corp), EMPTY_SLOT] };
}

/** How many counter slots (after the corp item) a corp state, as this store loaded it, was read from. */
export function slotsOf(corp: CorpState): number {
  return layoutOf(corp).slots.length - 1;
}

/** How many counter slots the corp's slots item says it has (1 for none, or no item). */
export function shardsOf(item: Record<string, AttributeValue> | undefined): number {
  const n = Number(item?.[SHARDS]?.N ?? 1);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_COUNTER_SHARDS) : 1;
}

/** The key of a corp's counter slot: the corp item for slot 0. */
export function slotKey(corpId: string, slot: number): { pk: string; sk: string } {
  return slot === 0 ? storeKeys.corp(corpId) : storeKeys.corpSlot(corpId, slot);
}

/**
 * Rebuilds the corp state from its item and its counter slots' items (slot 1 first, at least one;
 * an absent one is empty), or the initial state for a corp never seen.
 */
export function corpFromItems(
  corpId: string,
  item: Record<string, AttributeValue> | undefined,
  slotItems: readonly (Record<string, AttributeValue> | undefined)[] = [],
): CorpState {
  const stored = item?.state?.S ? (JSON.parse(item.state.S) as CorpState) : initialCorpState(corpId);
  const counterSlots = slotItems.length > 0 ? slotItems.map(slotFromItem) : [EMPTY_SLOT];
  const slots = [item ? slotFromItem(item) : EMPTY_SLOT, ...counterSlots];
  const corp: CorpState = { ...stored, version: Number(item?.version?.N ?? 0), ...mergeSlots(slots) };
  layouts.set(corp, { slots });
  return corp;
}

/** The corp state without its counters: what `state` holds and the version guards. */
function decisionsOf(
  corp: CorpState,
): Omit<CorpState, 'daily' | 'negativeFeedback' | 'violations' | 'addsToday' | 'version'> {
  const { daily: _d, negativeFeedback: _f, violations: _v, addsToday: _t, version: _version, ...rest } = corp;
  return rest;
}

/** The writes that take a corp from `loaded` to `decided`, and the corp as stored once they commit. */
export interface CorpWrites {
  /** No item when nothing changed; the counter slot's, and the corp item's when they differ. */
  readonly items: TransactWriteItem[];
  /**
   * The decided state under the version the writes set (one more than loaded when its decisions
   * changed): a batch commits its next transaction's corp changes from it.
   */
  readonly committed: CorpState;
}

/**
 * The transaction items that take the corp from `loaded` to `decided`: the counters as atomic
 * deltas on the counter slot `pick` chooses among the corp's slots (given how many: it returns 1 to
 * that many), and the decisions, when they changed, on the corp item only if its version is still
 * the one loaded.
 */
export function corpWrites(
  tableName: string,
  corpId: string,
  loaded: CorpState,
  decided: CorpState,
  pick: (slots: number) => number,
): CorpWrites {
  const layout = layoutOf(loaded);
  const k = pick(layout.slots.length - 1);
  const counters = expression();
  const nextSlot = writeSlot(layout.slots[k] as CounterSlot, loaded, decided, counters.parts);
  const decisions = expression();
  const state = JSON.stringify(decisionsOf(decided));
  const changed = state !== JSON.stringify(decisionsOf(loaded));
  if (changed) {
    const { name, value, set, conditions } = decisions.parts;
    const version = name('version');
    set.push(
      `${name('state')} = ${value({ S: state })}`,
      `${version} = ${value({ N: String(loaded.version + 1) })}`,
    );
    conditions.push(
      loaded.version === 0
        ? `attribute_not_exists(${version})`
        : `${version} = ${value({ N: String(loaded.version) })}`,
    );
  }
  const items = [
    counters.item(tableName, slotKey(corpId, k)),
    decisions.item(tableName, storeKeys.corp(corpId)),
  ];
  const committed: CorpState = { ...decided, version: changed ? loaded.version + 1 : loaded.version };
  layouts.set(committed, { slots: layout.slots.map((s, i) => (i === k ? nextSlot : s)) });
  return { items: items.filter((item): item is TransactWriteItem => item !== null), committed };
}

/**
 * The update that raises the corp's counter slots to `next`, only if it has fewer: a single write
 * of the corp's slots item, which no transaction writes (the corp item may be in one at any time).
 */
export function raiseShards(tableName: string, corpId: string, next: number) {
  const key = storeKeys.corpSlots(corpId);
  return {
    TableName: tableName,
    Key: { pk: { S: key.pk }, sk: { S: key.sk } },
    UpdateExpression: 'SET #shards = :next',
    ConditionExpression: 'attribute_not_exists(#shards) OR #shards < :next',
    ExpressionAttributeNames: { '#shards': SHARDS },
    ExpressionAttributeValues: { ':next': { N: String(next) } },
  };
}

/** An update expression's parts, with fresh aliases, and the Update item they make (null if empty). */
function expression() {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  let n = 0;
  const parts: ExpressionParts = {
    name: (attribute) => {
      const alias = `#a${n++}`;
      names[alias] = attribute;
      return alias;
    },
    value: (v) => {
      const alias = `:v${n++}`;
      values[alias] = v;
      return alias;
    },
    set: [],
    add: [],
    remove: [],
    conditions: [],
  };
  const item = (tableName: string, key: { pk: string; sk: string }): TransactWriteItem | null => {
    const { set, add, remove, conditions } = parts;
    if (add.length === 0 && set.length === 0 && remove.length === 0) return null;
    const clauses = [
      set.length > 0 ? `SET ${set.join(', ')}` : '',
      add.length > 0 ? `ADD ${add.join(', ')}` : '',
      remove.length > 0 ? `REMOVE ${remove.join(', ')}` : '',
    ].filter((clause) => clause !== '');
    return {
      Update: {
        TableName: tableName,
        Key: { pk: { S: key.pk }, sk: { S: key.sk } },
        UpdateExpression: clauses.join(' '),
        ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      },
    };
  };
  return { parts, item };
}
