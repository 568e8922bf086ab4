/**
 * The build of a PatternAutomaton (automaton.ts): its typed arrays from a list of patterns, laid
 * out as that file's header describes (alphabet compression, double-array goto, failure links,
 * output chains, one record per state).
 */

/** The arrays of an automaton. */
export interface AutomatonParts {
  readonly symbols: Uint16Array;
  readonly records: Int32Array;
  readonly nextOutput: Int32Array;
  readonly pattern: Int32Array;
  readonly samePattern: Int32Array;
  readonly lengths: Int32Array;
  readonly stateCount: number;
  readonly alphabetSize: number;
}

// One function of about 200 lines: the trie, the failure links and the dense transition table are
// built over the same typed arrays in three passes that share their indices; split, they would
// pass those arrays and counters back and forth for no reader's gain.
export function buildParts(patterns: readonly string[]): AutomatonParts {
  const patternCount = patterns.length;
  const lengths = new Int32Array(patternCount);

  // Alphabet: dense ids by descending frequency (frequent units get small ids, which packs the
  // double array's busiest rows tightly).
  const counts = new Uint32Array(0x10000);
  let totalUnits = 0;
  for (let p = 0; p < patternCount; p++) {
    const pattern = patterns[p] as string;
    if (pattern.length === 0) throw new RangeError(`pattern ${p} is empty`);
    lengths[p] = pattern.length;
    totalUnits += pattern.length;
    for (let k = 0; k < pattern.length; k++)
      counts[pattern.charCodeAt(k)] = (counts[pattern.charCodeAt(k)] ?? 0) + 1;
  }
  const used: number[] = [];
  for (let unit = 0; unit < 0x10000; unit++) if ((counts[unit] as number) > 0) used.push(unit);
  used.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b);
  const symbols = new Uint16Array(0x10000);
  for (let k = 0; k < used.length; k++) symbols[used[k] as number] = k + 1;
  const alphabetSize = used.length;

  // The trie: node 0 is the root, each node's children a linked list (firstChild, nextSibling),
  // found on insertion through a hash map keyed by parent and symbol.
  const maxNodes = totalUnits + 1;
  const firstChild = new Int32Array(maxNodes).fill(-1);
  const nextSibling = new Int32Array(maxNodes).fill(-1);
  const nodeSymbol = new Int32Array(maxNodes);
  const nodePattern = new Int32Array(maxNodes).fill(-1);
  const samePattern = new Int32Array(patternCount).fill(-1);
  const lastSame = new Int32Array(maxNodes).fill(-1);
  const edges = new Map<number, number>();
  const stride = alphabetSize + 1;
  let nodeCount = 1;
  for (let p = 0; p < patternCount; p++) {
    const pattern = patterns[p] as string;
    let node = 0;
    for (let k = 0; k < pattern.length; k++) {
      const symbol = symbols[pattern.charCodeAt(k)] as number;
      const key = node * stride + symbol;
      let child = edges.get(key);
      if (child === undefined) {
        child = nodeCount++;
        nodeSymbol[child] = symbol;
        nextSibling[child] = firstChild[node] as number;
        firstChild[node] = child;
        edges.set(key, child);
      }
      node = child;
    }
    if ((nodePattern[node] as number) < 0) nodePattern[node] = p;
    else samePattern[lastSame[node] as number] = p;
    lastSame[node] = p;
  }

  // Double-array placement, breadth first: each node's children go to base + symbol, with base
  // chosen first fit over free slots. slotOf maps trie nodes to slots.
  let capacity = Math.max(1024, nodeCount + alphabetSize + 2);
  let check = new Int32Array(capacity).fill(-1);
  let base = new Int32Array(capacity);
  const slotOf = new Int32Array(nodeCount);
  const order = new Int32Array(nodeCount); // BFS order of trie nodes
  check[0] = 0; // the root's slot is taken (by itself)
  slotOf[0] = 0;
  order[0] = 0;
  let orderLength = 1;
  let firstFree = 1;
  const childSymbols: number[] = [];
  const grow = (needed: number): void => {
    if (needed < capacity) return;
    let size = capacity;
    while (size <= needed) size *= 2;
    const newCheck = new Int32Array(size).fill(-1);
    newCheck.set(check);
    const newBase = new Int32Array(size);
    newBase.set(base);
    check = newCheck;
    base = newBase;
    capacity = size;
  };
  for (let head = 0; head < orderLength; head++) {
    const node = order[head] as number;
    const slot = slotOf[node] as number;
    childSymbols.length = 0;
    for (let child = firstChild[node] as number; child >= 0; child = nextSibling[child] as number) {
      childSymbols.push(nodeSymbol[child] as number);
    }
    if (childSymbols.length === 0) {
      base[slot] = 0; // check[0 + c] is never this leaf, so every lookup fails
      continue;
    }
    childSymbols.sort((a, b) => a - b);
    const smallest = childSymbols[0] as number;
    const largest = childSymbols[childSymbols.length - 1] as number;
    while (check[firstFree] !== -1) {
      firstFree++;
      grow(firstFree + 1);
    }
    let position = firstFree;
    for (;;) {
      const candidate = position - smallest;
      if (candidate >= 0) {
        grow(candidate + largest + 1);
        let fits = true;
        for (let k = 1; k < childSymbols.length; k++) {
          if (check[candidate + (childSymbols[k] as number)] !== -1) {
            fits = false;
            break;
          }
        }
        if (fits) break;
      }
      // Next free slot.
      position++;
      grow(position + 1);
      while (check[position] !== -1) {
        position++;
        grow(position + 1);
      }
    }
    const b = position - smallest;
    base[slot] = b;
    for (let child = firstChild[node] as number; child >= 0; child = nextSibling[child] as number) {
      const childSlot = b + (nodeSymbol[child] as number);
      check[childSlot] = slot;
      slotOf[child] = childSlot;
      order[orderLength++] = child;
    }
  }

  // Slots in use: the highest used slot + 1, plus room for any base + symbol lookup to stay in
  // bounds (base of a placed node ≤ highest slot; symbols ≤ alphabetSize).
  let highest = 0;
  for (let s = capacity - 1; s >= 0; s--) {
    if (check[s] !== -1) {
      highest = s;
      break;
    }
  }
  let maxBase = 0;
  for (let s = 0; s <= highest; s++)
    if (check[s] !== -1 && (base[s] as number) > maxBase) maxBase = base[s] as number;
  const slots = Math.max(highest, maxBase + alphabetSize) + 1;
  const cells = new Int32Array(slots * 2).fill(-1);
  for (let s = 0; s < slots; s++) {
    cells[s * 2] = s < capacity && check[s] !== -1 ? (base[s] as number) : 0;
    cells[s * 2 + 1] = s < capacity ? (check[s] as number) : -1;
  }
  // The root checks itself at slot 0 (check[0] = 0): base[0] + c never is 0, since c ≥ 1 and
  // base[0] ≥ 0, so this cannot fake a transition.

  // Failure links and outputs, breadth first (parents before children).
  const fail = new Int32Array(slots);
  const firstOutput = new Int32Array(slots).fill(-1);
  const nextOutput = new Int32Array(slots).fill(-1);
  const pattern = new Int32Array(slots).fill(-1);
  for (let k = 0; k < orderLength; k++) {
    const node = order[k] as number;
    const p = nodePattern[node] as number;
    if (p >= 0) pattern[slotOf[node] as number] = p;
  }
  const goto = (state: number, symbol: number): number => {
    const next = (cells[state * 2] as number) + symbol;
    return cells[next * 2 + 1] === state ? next : -1;
  };
  for (let k = 0; k < orderLength; k++) {
    const node = order[k] as number;
    const slot = slotOf[node] as number;
    if (slot !== 0) {
      const failure = fail[slot] as number;
      const ownOutput = (pattern[slot] as number) >= 0;
      const inherited = firstOutput[failure] as number;
      if (ownOutput) {
        firstOutput[slot] = slot;
        nextOutput[slot] = inherited;
      } else {
        firstOutput[slot] = inherited;
      }
    }
    for (let child = firstChild[node] as number; child >= 0; child = nextSibling[child] as number) {
      const symbol = nodeSymbol[child] as number;
      const childSlot = slotOf[child] as number;
      if (slot === 0) {
        fail[childSlot] = 0;
        continue;
      }
      let f = fail[slot] as number;
      let target = goto(f, symbol);
      while (target < 0 && f !== 0) {
        f = fail[f] as number;
        target = goto(f, symbol);
      }
      fail[childSlot] = target < 0 ? 0 : target;
    }
  }

  // The scan's records: base, check, fail (× 4) and firstOutput of each slot, side by side.
  const records = new Int32Array(slots * 4);
  for (let t = 0; t < slots; t++) {
    records[t * 4] = (cells[t * 2] as number) * 4;
    records[t * 4 + 1] = (cells[t * 2 + 1] as number) * 4;
    records[t * 4 + 2] = (fail[t] as number) * 4;
    records[t * 4 + 3] = firstOutput[t] as number;
  }
  return {
    symbols,
    records,
    nextOutput,
    pattern,
    samePattern,
    lengths,
    stateCount: nodeCount,
    alphabetSize,
  };
}
