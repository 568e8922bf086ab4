import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { AddsCount, Buckets, CorpState } from '../domain/index.js';
import { initialCorpState } from '../domain/index.js';

/**
 * The corp item keeps two kinds of data apart, so that members of one corp do not queue behind
 * each other on it:
 *  - the corp's decisions (account and admin status, bad-influence record, appeals) in `state`,
 *    changed only under optimistic concurrency on `version`;
 *  - its per-day counters (contact adds and activity, negative feedback, violations, and the
 *    day's top adder) as top-level number attributes changed with atomic `ADD`, which concurrent
 *    evaluators of different members never conflict on and never lose.
 */

/** The per-day counter fields of CorpState, and the attribute prefix each is kept under. */
const COUNTERS = { daily: 'n_a_', negativeFeedback: 'n_f_', violations: 'n_v_' } as const;
type CounterField = keyof typeof COUNTERS;
const COUNTER_ATTRIBUTE = /^n_([afv])_(\d+)$/;
const FIELD_OF: Record<string, CounterField> = { a: 'daily', f: 'negativeFeedback', v: 'violations' };
/** The day's top contact adder: its day, count and member. */
const TOP = { day: 'topDay', count: 'topCount', user: 'topUser' } as const;
/**
 * The day's top adders (ADDS_TOP_MEMBERS at most): `addsTop` maps each member to its exact count,
 * of the day `addsDay`. One map entry per member, so that evaluators of different members each set
 * their own entry without conflict. Items stored before it have neither: their list starts empty.
 */
const LIST = { day: 'addsDay', members: 'addsTop' } as const;

/** Rebuilds the corp state from its item (or the initial state for a corp never seen). */
export function corpFromItem(corpId: string, item: Record<string, AttributeValue> | undefined): CorpState {
  const stored = item?.state?.S ? (JSON.parse(item.state.S) as CorpState) : initialCorpState(corpId);
  if (!item) return stored;
  const buckets: Record<CounterField, [number, number][]> = {
    daily: [],
    negativeFeedback: [],
    violations: [],
  };
  for (const [name, value] of Object.entries(item)) {
    const match = COUNTER_ATTRIBUTE.exec(name);
    if (!match?.[1] || !match[2] || value.N === undefined) continue;
    const field = FIELD_OF[match[1]];
    if (field) buckets[field].push([Number(match[2]), Number(value.N)]);
  }
  const flat = (pairs: [number, number][]): Buckets => pairs.sort((a, b) => a[0] - b[0]).flat();
  const daily = flat(buckets.daily);
  const topDay = item[TOP.day]?.N;
  let addsToday: CorpState['addsToday'] = { day: 0, total: 0, topUserId: '', topCount: 0, members: [] };
  if (topDay !== undefined) {
    const day = Number(topDay);
    // The day's total is its add counter; the top is set by every add that day that leads.
    let total = 0;
    for (let i = 0; i < daily.length; i += 2) if (daily[i] === day) total = daily[i + 1] as number;
    addsToday = {
      day,
      total,
      topUserId: item[TOP.user]?.S ?? '',
      topCount: Number(item[TOP.count]?.N ?? 0),
      members: Number(item[LIST.day]?.N) === day ? membersOf(item[LIST.members]?.M) : [],
    };
  }
  return {
    ...stored,
    version: Number(item.version?.N ?? 0),
    daily,
    negativeFeedback: flat(buckets.negativeFeedback),
    violations: flat(buckets.violations),
    addsToday,
  };
}

/** The corp state without its counters: what `state` holds and the version guards. */
function decisionsOf(corp: CorpState): Omit<CorpState, CounterField | 'addsToday' | 'version'> {
  const { daily: _d, negativeFeedback: _f, violations: _v, addsToday: _t, version: _version, ...rest } = corp;
  return rest;
}

/**
 * The transaction item that takes the corp from `loaded` to `decided`: counters as atomic deltas,
 * and the decisions, when they changed, only if the version is still the one loaded. Null when
 * nothing changed.
 */
// About 90 lines: one DynamoDB UpdateExpression is assembled from every counter delta and the
// decisions; its clauses, names and values must agree, so they are built side by side.
export function corpUpdate(
  tableName: string,
  key: { pk: string; sk: string },
  loaded: CorpState,
  decided: CorpState,
): TransactWriteItem | null {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const add: string[] = [];
  const set: string[] = [];
  const remove: string[] = [];
  const conditions: string[] = [];
  let n = 0;
  const name = (attribute: string) => {
    const alias = `#a${n++}`;
    names[alias] = attribute;
    return alias;
  };
  const value = (v: AttributeValue) => {
    const alias = `:v${n++}`;
    values[alias] = v;
    return alias;
  };

  for (const field of Object.keys(COUNTERS) as CounterField[]) {
    const before = toMap(loaded[field]);
    const after = toMap(decided[field]);
    for (const [day, count] of after) {
      const delta = count - (before.get(day) ?? 0);
      // A new day is added even at 0: the corp was active that day.
      if (delta !== 0 || !before.has(day))
        add.push(`${name(`${COUNTERS[field]}${day}`)} ${value({ N: String(delta) })}`);
    }
    for (const day of before.keys()) if (!after.has(day)) remove.push(name(`${COUNTERS[field]}${day}`));
  }

  const top = decided.addsToday;
  const loadedTop = loaded.addsToday;
  if (
    top.topUserId !== '' &&
    (top.day !== loadedTop.day ||
      top.topUserId !== loadedTop.topUserId ||
      top.topCount !== loadedTop.topCount)
  ) {
    const day = name(TOP.day);
    const count = name(TOP.count);
    const user = name(TOP.user);
    const today = value({ N: String(top.day) });
    const mine = value({ N: String(top.topCount) });
    const me = value({ S: top.topUserId });
    set.push(`${day} = ${today}`, `${count} = ${mine}`, `${user} = ${me}`);
    // The day's top adder only moves up: if a concurrent evaluator stored a higher count, this
    // transaction is cancelled and decided again on the new count.
    conditions.push(
      `(attribute_not_exists(${day}) OR ${day} < ${today} OR ${count} <= ${mine} OR ${user} = ${me})`,
    );
  }

  listUpdate(loaded.addsToday, decided.addsToday, { name, value, set, remove, conditions });

  const decisions = JSON.stringify(decisionsOf(decided));
  if (decisions !== JSON.stringify(decisionsOf(loaded))) {
    const version = name('version');
    set.push(
      `${name('state')} = ${value({ S: decisions })}`,
      `${version} = ${value({ N: String(loaded.version + 1) })}`,
    );
    conditions.push(
      loaded.version === 0
        ? `attribute_not_exists(${version})`
        : `${version} = ${value({ N: String(loaded.version) })}`,
    );
  }

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
}

/**
 * The corp as stored once `corpUpdate(loaded, decided)` has committed: the decided state under the
 * version the update set (one more than loaded when its decisions changed, else the one loaded).
 * A batch commits the next transaction's corp changes from it.
 */
export function corpCommitted(loaded: CorpState, decided: CorpState): CorpState {
  const changed = JSON.stringify(decisionsOf(decided)) !== JSON.stringify(decisionsOf(loaded));
  return { ...decided, version: changed ? loaded.version + 1 : loaded.version };
}

/** The top adders a stored map holds, most first (ties by user id, as the domain orders them). */
function membersOf(map: Record<string, AttributeValue> | undefined): AddsCount[] {
  return Object.entries(map ?? {})
    .map(([userId, count]) => ({ userId, count: Number(count.N ?? 0) }))
    .sort((a, b) => b.count - a.count || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** What an update expression is assembled from (see corpUpdate). */
interface ExpressionParts {
  readonly name: (attribute: string) => string;
  readonly value: (v: AttributeValue) => string;
  readonly set: string[];
  readonly remove: string[];
  readonly conditions: string[];
}

/**
 * The clauses that take the stored top adders from `loaded` to `decided`. A new day (or a list not
 * kept yet) writes the whole map, only if no one wrote this day's meanwhile; the same day sets the
 * entries that changed and removes those dropped, only if the list is still this day's and a dropped
 * member's count has not grown meanwhile (otherwise the transaction is cancelled and decided again).
 * A late add of an earlier day leaves today's list alone (the domain does not move it either).
 */
function listUpdate(
  loaded: CorpState['addsToday'],
  decided: CorpState['addsToday'],
  { name, value, set, remove, conditions }: ExpressionParts,
): void {
  const before = loaded.day === decided.day ? (loaded.members ?? []) : [];
  const after = decided.members ?? [];
  if (decided.day < loaded.day || JSON.stringify(before) === JSON.stringify(after)) return;
  const day = name(LIST.day);
  const list = name(LIST.members);
  const today = value({ N: String(decided.day) });
  if (before.length === 0) {
    const map = Object.fromEntries(after.map((m) => [m.userId, { N: String(m.count) }]));
    set.push(`${day} = ${today}`, `${list} = ${value({ M: map })}`);
    conditions.push(`(attribute_not_exists(${day}) OR ${day} < ${today})`);
    return;
  }
  conditions.push(`${day} = ${today}`);
  const was = new Map(before.map((m) => [m.userId, m.count]));
  const kept = new Set(after.map((m) => m.userId));
  for (const m of after) {
    if (was.get(m.userId) !== m.count)
      set.push(`${list}.${name(m.userId)} = ${value({ N: String(m.count) })}`);
  }
  for (const [userId, count] of was) {
    if (kept.has(userId)) continue;
    const entry = `${list}.${name(userId)}`;
    remove.push(entry);
    conditions.push(`(attribute_not_exists(${entry}) OR ${entry} <= ${value({ N: String(count) })})`);
  }
}

function toMap(buckets: Buckets): Map<number, number> {
  const map = new Map<number, number>();
  for (let i = 0; i < buckets.length; i += 2) map.set(buckets[i] as number, buckets[i + 1] as number);
  return map;
}
