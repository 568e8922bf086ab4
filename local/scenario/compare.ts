/** Checking a step's expectations against the admin API's views. */

const TIME_FIELDS = new Set(['until', 'restoreAt']);

/**
 * Checks `expected` against `actual` field by field (objects partially, `advice` as strings to
 * find), adds a line per mismatch to `failures`, and returns how many values were checked.
 */
export function compare(expected: unknown, actual: unknown, path: string, failures: string[]): number {
  const field = path.split('.').at(-1) ?? '';
  if (TIME_FIELDS.has(field) && typeof expected === 'number') {
    const time = typeof actual === 'string' ? Date.parse(actual) : Number.NaN;
    if (time !== expected)
      failures.push(`${path}: expected ${new Date(expected).toISOString()}, got ${show(actual)}`);
    return 1;
  }
  if (field === 'openCases') return compareOpenCases(expected, actual, path, failures);
  if (field === 'advice' && Array.isArray(expected)) {
    const given = Array.isArray(actual) ? actual.map(String) : [];
    if (expected.length === 0) {
      if (given.length > 0) failures.push(`${path}: expected none, got ${show(given)}`);
      return 1;
    }
    for (const part of expected as string[]) {
      if (!given.some((advice) => advice.includes(part)))
        failures.push(`${path}: expected one with "${part}", got ${show(given)}`);
    }
    return expected.length;
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null) {
      failures.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return 1;
    }
    let checked = 0;
    for (const [key, value] of Object.entries(expected)) {
      checked += compare(value, (actual as Record<string, unknown>)[key], `${path}.${key}`, failures);
    }
    return checked;
  }
  if (expected !== actual) failures.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
  return 1;
}

/** Open cases: a count, or the whole list (as many, each entry partially, in order). */
function compareOpenCases(expected: unknown, actual: unknown, path: string, failures: string[]): number {
  const given = Array.isArray(actual) ? actual : [];
  const summary = () =>
    show(
      given.map(
        (c: { kind?: unknown; category?: unknown; status?: unknown }) =>
          `${c.kind} ${c.category} ${c.status}`,
      ),
    );
  if (typeof expected === 'number') {
    if (given.length !== expected)
      failures.push(`${path}: expected ${expected}, got ${given.length} ${summary()}`);
    return 1;
  }
  const list = expected as readonly unknown[];
  if (given.length !== list.length) {
    failures.push(`${path}: expected ${list.length} case(s), got ${given.length} ${summary()}`);
    return 1;
  }
  return list.reduce<number>((sum, entry, i) => sum + compare(entry, given[i], `${path}.${i}`, failures), 0);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
