import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ADDS_TOP_MEMBERS, type Buckets, type CorpState } from '../domain/index.js';

/**
 * A corp's per-day counters live in counter slots: slot 0 is the corp item itself (as before
 * slots existed), slots 1.. are items of their own. Each evaluator writes its counters' deltas to
 * one slot, so that evaluators of one corp, each on its own slot, never meet on an item; a load
 * reads every slot and merges them. This file is one slot: what it holds, its merge with the
 * others, and the update expression that takes it to what an evaluator decided.
 */

/** The per-day counter fields of CorpState, and the attribute prefix each is kept under. */
const COUNTERS = { daily: 'n_a_', negativeFeedback: 'n_f_', violations: 'n_v_' } as const;
type CounterField = keyof typeof COUNTERS;
const FIELDS = Object.keys(COUNTERS) as CounterField[];
const COUNTER_ATTRIBUTE = /^n_([afv])_(\d+)$/;
const FIELD_OF: Record<string, CounterField> = { a: 'daily', f: 'negativeFeedback', v: 'violations' };
/** The day's top contact adder as this slot last saw it: its day, count and member. */
const TOP = { day: 'topDay', count: 'topCount', user: 'topUser' } as const;
/**
 * The day's top adders this slot was told of: `addsTop` maps each member to its exact count of the
 * day `addsDay`. One map entry per member, so that writers of different members set their own
 * entry. Items stored before it have neither: their list starts empty.
 */
const LIST = { day: 'addsDay', members: 'addsTop' } as const;

/** What one counter slot holds. */
export interface CounterSlot {
  readonly counters: Readonly<Record<CounterField, ReadonlyMap<number, number>>>;
  readonly top: { readonly day: number; readonly count: number; readonly userId: string } | null;
  readonly list: { readonly day: number; readonly members: ReadonlyMap<string, number> } | null;
}

/** A slot no one has written. */
export const EMPTY_SLOT: CounterSlot = {
  counters: { daily: new Map(), negativeFeedback: new Map(), violations: new Map() },
  top: null,
  list: null,
};

/** The counters of the corp state, the fields a merge of slots yields. */
export type CorpCounters = Pick<CorpState, CounterField | 'addsToday'>;

/** The slot a stored item holds (the corp item's or a slot item's attributes; none for no item). */
export function slotFromItem(item: Record<string, AttributeValue> | undefined): CounterSlot {
  if (!item) return EMPTY_SLOT;
  const counters: Record<CounterField, Map<number, number>> = {
    daily: new Map(),
    negativeFeedback: new Map(),
    violations: new Map(),
  };
  for (const [name, value] of Object.entries(item)) {
    const match = COUNTER_ATTRIBUTE.exec(name);
    if (!match?.[1] || !match[2] || value.N === undefined) continue;
    const field = FIELD_OF[match[1]];
    if (field) counters[field].set(Number(match[2]), Number(value.N));
  }
  const topDay = item[TOP.day]?.N;
  const listDay = item[LIST.day]?.N;
  return {
    counters,
    top:
      topDay === undefined
        ? null
        : { day: Number(topDay), count: Number(item[TOP.count]?.N ?? 0), userId: item[TOP.user]?.S ?? '' },
    list:
      listDay === undefined
        ? null
        : {
            day: Number(listDay),
            members: new Map(
              Object.entries(item[LIST.members]?.M ?? {}).map(([u, c]) => [u, Number(c.N ?? 0)]),
            ),
          },
  };
}

/** The slot that holds exactly a corp state's counters (for a state this store did not load). */
export function slotFromState(corp: CorpCounters): CounterSlot {
  const { addsToday } = corp;
  return {
    counters: {
      daily: toMap(corp.daily),
      negativeFeedback: toMap(corp.negativeFeedback),
      violations: toMap(corp.violations),
    },
    top:
      addsToday.topUserId === ''
        ? null
        : { day: addsToday.day, count: addsToday.topCount, userId: addsToday.topUserId },
    list:
      addsToday.day === 0
        ? null
        : { day: addsToday.day, members: new Map((addsToday.members ?? []).map((m) => [m.userId, m.count])) },
  };
}

/**
 * The corp's counters from all its slots: each day's counts summed; the day's top adder the
 * highest count of the latest day any slot saw; the top adders the highest count each member
 * reached in any slot's list of that day (counts of a day only grow), most first.
 */
export function mergeSlots(slots: readonly CounterSlot[]): CorpCounters {
  const sums: Record<CounterField, Map<number, number>> = {
    daily: new Map(),
    negativeFeedback: new Map(),
    violations: new Map(),
  };
  let top: CounterSlot['top'] = null;
  for (const slot of slots) {
    for (const field of FIELDS) {
      for (const [day, count] of slot.counters[field])
        sums[field].set(day, (sums[field].get(day) ?? 0) + count);
    }
    const t = slot.top;
    if (t && (!top || t.day > top.day || (t.day === top.day && t.count > top.count))) top = t;
  }
  const flat = (map: Map<number, number>): Buckets => [...map].sort((a, b) => a[0] - b[0]).flat();
  let addsToday: CorpState['addsToday'] = { day: 0, total: 0, topUserId: '', topCount: 0, members: [] };
  if (top) {
    const members = new Map<string, number>();
    for (const slot of slots) {
      if (slot.list?.day !== top.day) continue;
      for (const [userId, count] of slot.list.members)
        if (count > (members.get(userId) ?? -1)) members.set(userId, count);
    }
    addsToday = {
      day: top.day,
      total: sums.daily.get(top.day) ?? 0,
      topUserId: top.userId,
      topCount: top.count,
      members: [...members]
        .map(([userId, count]) => ({ userId, count }))
        .sort((a, b) => b.count - a.count || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
        .slice(0, ADDS_TOP_MEMBERS),
    };
  }
  return {
    daily: flat(sums.daily),
    negativeFeedback: flat(sums.negativeFeedback),
    violations: flat(sums.violations),
    addsToday,
  };
}

/** What an update expression is assembled from: aliases, then its clauses and conditions. */
export interface ExpressionParts {
  readonly name: (attribute: string) => string;
  readonly value: (v: AttributeValue) => string;
  readonly set: string[];
  readonly add: string[];
  readonly remove: string[];
  readonly conditions: string[];
}

/**
 * Adds to `x` the clauses that take one slot (`stored`) from the corp as loaded (all slots merged)
 * to the corp as decided, and returns the slot as they leave it:
 *  - each counter's change as an atomic `ADD` of its delta (a new day even at 0: the corp was
 *    active that day), and the days the decision dropped (out of their window) removed;
 *  - the day's top adder, when it moved, only moving up within the slot;
 *  - the top adders that changed (see listWrite).
 */
export function writeSlot(
  stored: CounterSlot,
  loaded: CorpCounters,
  decided: CorpCounters,
  x: ExpressionParts,
): CounterSlot {
  const counters = {} as Record<CounterField, Map<number, number>>;
  for (const field of FIELDS) {
    const before = toMap(loaded[field]);
    const after = toMap(decided[field]);
    const mine = new Map(stored.counters[field]);
    for (const [day, count] of after) {
      const delta = count - (before.get(day) ?? 0);
      if (delta === 0 && before.has(day)) continue;
      x.add.push(`${x.name(`${COUNTERS[field]}${day}`)} ${x.value({ N: String(delta) })}`);
      mine.set(day, (mine.get(day) ?? 0) + delta);
    }
    for (const day of [...mine.keys()]) {
      if (after.has(day)) continue;
      x.remove.push(x.name(`${COUNTERS[field]}${day}`));
      mine.delete(day);
    }
    counters[field] = mine;
  }

  let top = stored.top;
  const t = decided.addsToday;
  const was = loaded.addsToday;
  if (
    t.topUserId !== '' &&
    (t.day !== was.day || t.topUserId !== was.topUserId || t.topCount !== was.topCount)
  ) {
    const day = x.name(TOP.day);
    const count = x.name(TOP.count);
    const user = x.name(TOP.user);
    const today = x.value({ N: String(t.day) });
    const mine = x.value({ N: String(t.topCount) });
    const me = x.value({ S: t.topUserId });
    x.set.push(`${day} = ${today}`, `${count} = ${mine}`, `${user} = ${me}`);
    // The day's top adder only moves up: if a concurrent writer of this slot stored a higher count,
    // this transaction is cancelled and decided again on the new count.
    x.conditions.push(
      `(attribute_not_exists(${day}) OR ${day} < ${today} OR ${count} <= ${mine} OR ${user} = ${me})`,
    );
    top = { day: t.day, count: t.topCount, userId: t.topUserId };
  }
  return { counters, top, list: listWrite(stored.list, was, t, x) };
}

/**
 * The clauses that give the slot the top adders that changed from `loaded` to `decided`, and the
 * slot's list after them. A slot whose list is of an earlier day (or has none) gets a new list of
 * the changed members, only if no one wrote this day's meanwhile; a slot already on this day sets
 * the entries that changed and drops those no longer among the corp's top adders, only if its list
 * is still this day's and a dropped member's count has not grown meanwhile (otherwise the
 * transaction is cancelled and decided again). A late add of an earlier day leaves the list alone
 * (the domain does not move it either).
 */
function listWrite(
  stored: CounterSlot['list'],
  loaded: CorpState['addsToday'],
  decided: CorpState['addsToday'],
  { name, value, set, remove, conditions }: ExpressionParts,
): CounterSlot['list'] {
  const before = new Map(
    (loaded.day === decided.day ? (loaded.members ?? []) : []).map((m) => [m.userId, m.count]),
  );
  const after = decided.members ?? [];
  const changed = after.filter((m) => before.get(m.userId) !== m.count);
  if (decided.day < loaded.day) return stored;
  if (changed.length === 0 && after.length === before.size) return stored;
  const day = name(LIST.day);
  const list = name(LIST.members);
  const today = value({ N: String(decided.day) });
  if (stored?.day !== decided.day) {
    const map = Object.fromEntries(changed.map((m) => [m.userId, { N: String(m.count) }]));
    set.push(`${day} = ${today}`, `${list} = ${value({ M: map })}`);
    conditions.push(`(attribute_not_exists(${day}) OR ${day} < ${today})`);
    return { day: decided.day, members: new Map(changed.map((m) => [m.userId, m.count])) };
  }
  conditions.push(`${day} = ${today}`);
  const members = new Map(stored.members);
  for (const m of changed) {
    set.push(`${list}.${name(m.userId)} = ${value({ N: String(m.count) })}`);
    members.set(m.userId, m.count);
  }
  const kept = new Set(after.map((m) => m.userId));
  for (const [userId, count] of stored.members) {
    if (kept.has(userId)) continue;
    const entry = `${list}.${name(userId)}`;
    remove.push(entry);
    conditions.push(`(attribute_not_exists(${entry}) OR ${entry} <= ${value({ N: String(count) })})`);
    members.delete(userId);
  }
  return { day: decided.day, members };
}

function toMap(buckets: Buckets): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < buckets.length; i += 2) map.set(buckets[i] as number, buckets[i + 1] as number);
  return map;
}
