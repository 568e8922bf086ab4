/** One operation to time; it may return a promise, which is awaited. */
export interface TimedCase {
  readonly name: string;
  readonly run: () => unknown;
}

/** How the cases of one comparison are timed. */
export interface TimingOptions {
  /** Warm-up per case before anything is recorded (JIT, caches), in ms. */
  readonly warmupMs?: number;
  /** Rounds per case; the figure is the median of the rounds' per-op times. */
  readonly rounds?: number;
  /** Target duration of one round, in ms; the warm-up calibrates how many ops that is. */
  readonly roundMs?: number;
}

/** The per-op time of one case: the median over rounds, and the spread of the rounds. */
export interface Timing {
  readonly name: string;
  readonly medianNs: number;
  readonly p25Ns: number;
  readonly p75Ns: number;
  readonly rounds: number;
  readonly opsPerRound: number;
  /** ns/op of each round, in round order: round i of every case ran within the same sweep. */
  readonly samples: readonly number[];
}

/**
 * Times each case in ns per op: warm-up, then `rounds` rounds of a calibrated number of ops,
 * interleaving the cases round by round so that machine noise falls on all of them alike; the
 * figure is the median of the rounds.
 */
export async function timePerOp(cases: readonly TimedCase[], options: TimingOptions = {}): Promise<Timing[]> {
  const warmupMs = options.warmupMs ?? 250;
  const rounds = options.rounds ?? 40;
  const roundMs = options.roundMs ?? 10;
  // Warm up all cases round-robin first: they share code (parser, schemas), and the first one to
  // run would otherwise pay for everyone's JIT and distort its calibration.
  const warmupNs = BigInt(warmupMs) * 1_000_000n;
  const spent = cases.map(() => 0n);
  const calls = cases.map(() => 0);
  while (spent.some((ns) => ns < warmupNs)) {
    for (const [index, item] of cases.entries()) {
      if ((spent[index] ?? 0n) >= warmupNs) continue;
      const start = process.hrtime.bigint();
      await runOps(item.run, 8);
      spent[index] = (spent[index] ?? 0n) + process.hrtime.bigint() - start;
      calls[index] = (calls[index] ?? 0) + 8;
    }
  }
  // Calibrate on warm code: how many ops make one round of about roundMs.
  const opsPerRound = cases.map((_, index) => {
    const nsPerOp = Number(spent[index] ?? 1n) / (calls[index] ?? 1);
    return Math.max(1, Math.round((roundMs * 1e6) / nsPerOp));
  });
  // Noise only ever adds time, so the fastest of a few short runs is the best estimate.
  for (let attempt = 0; attempt < 3; attempt++) {
    for (const [index, item] of cases.entries()) {
      const ops = Math.max(1, Math.round((opsPerRound[index] ?? 1) / 2));
      const start = process.hrtime.bigint();
      await runOps(item.run, ops);
      const nsPerOp = Number(process.hrtime.bigint() - start) / ops;
      opsPerRound[index] = Math.max(opsPerRound[index] ?? 1, Math.round((roundMs * 1e6) / nsPerOp));
    }
  }
  const samples: number[][] = cases.map(() => []);
  for (let round = 0; round < rounds; round++) {
    // Each sweep starts at a different case; the cyclic order stays, so neighbours in `cases` always
    // run moments apart (what pairedRatio relies on).
    for (let k = 0; k < cases.length; k++) {
      const index = (round + k) % cases.length;
      const item = cases[index];
      const ops = opsPerRound[index] ?? 1;
      if (!item) continue;
      const start = process.hrtime.bigint();
      await runOps(item.run, ops);
      samples[index]?.push(Number(process.hrtime.bigint() - start) / ops);
    }
  }
  return cases.map((item, index) => {
    const values = samples[index] ?? [];
    return {
      name: item.name,
      medianNs: percentile(values, 50),
      p25Ns: percentile(values, 25),
      p75Ns: percentile(values, 75),
      rounds,
      opsPerRound: opsPerRound[index] ?? 1,
      samples: values,
    };
  });
}

async function runOps(run: () => unknown, ops: number): Promise<void> {
  for (let i = 0; i < ops; i++) {
    const result = run();
    if (result instanceof Promise) await result;
  }
}

/**
 * `a` relative to `b` as the median of their per-round ratios: rounds of the same index ran
 * moments apart, so load that comes and goes during the run cancels out of each pair.
 */
export function pairedRatio(a: Timing, b: Timing): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.samples.length, b.samples.length); i++) {
    ratios.push((a.samples[i] ?? Number.NaN) / (b.samples[i] ?? Number.NaN));
  }
  return median(ratios);
}

/** The p-th percentile (0–100) of `values`, by linear interpolation; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] ?? Number.NaN;
  const b = sorted[high] ?? Number.NaN;
  return a + (b - a) * (rank - low);
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** A bound a figure is checked against: on its value, or on its ratio to its reference. */
export interface Target {
  readonly on: 'value' | 'ratio';
  readonly max: number;
  /** `<` instead of `≤`. */
  readonly strict?: boolean;
  readonly unit?: string;
}

/** One printed figure: a value, the reference measured in the same run, and an optional target. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly digits?: number;
  /** The reference; `ratio` overrides value ÷ reference value (e.g. a paired ratio). */
  readonly reference?: { readonly name: string; readonly value: number; readonly ratio?: number };
  readonly target?: Target;
}

/** Whether a figure meets its target; undefined when it has none. */
export function targetMet(figure: Figure): boolean | undefined {
  const { target } = figure;
  if (!target) return undefined;
  const subject = target.on === 'value' ? figure.value : ratioOf(figure);
  if (subject === undefined || Number.isNaN(subject)) return false;
  return target.strict ? subject < target.max : subject <= target.max;
}

function ratioOf(figure: Figure): number | undefined {
  const { reference } = figure;
  if (!reference) return undefined;
  return reference.ratio ?? figure.value / reference.value;
}

/**
 * Prints a section's table, one figure a line: `name  value unit  (ratio × reference)  target`.
 * A figure without a reference is itself a reference and says so.
 */
export function printTable(title: string, figures: readonly Figure[], notes: readonly string[] = []): void {
  const rows = figures.map((figure) => {
    const ratio = ratioOf(figure);
    const met = targetMet(figure);
    const target = figure.target;
    return [
      figure.name,
      formatNumber(figure.value, figure.digits),
      figure.unit,
      figure.reference && ratio !== undefined
        ? `(${formatNumber(ratio, ratio < 10 ? 2 : 1)} × ${figure.reference.name})`
        : '(reference)',
      target
        ? `target ${target.strict ? '<' : '≤'} ${target.max}${target.on === 'ratio' ? ' ×' : ` ${target.unit ?? figure.unit}`}: ${met ? 'yes' : 'NO'}`
        : '',
    ];
  });
  const widths = [0, 1, 2, 3].map((column) => Math.max(0, ...rows.map((row) => (row[column] ?? '').length)));
  console.log(`\n${title}`);
  for (const row of rows) {
    const [name = '', value = '', unit = '', ratio = '', target = ''] = row;
    const line = [
      name.padEnd(widths[0] ?? 0),
      value.padStart(widths[1] ?? 0),
      unit.padEnd(widths[2] ?? 0),
      ratio.padEnd(widths[3] ?? 0),
      target,
    ];
    console.log(`  ${line.join('  ').trimEnd()}`);
  }
  for (const note of notes) console.log(`  · ${note}`);
}

function formatNumber(value: number, digits?: number): string {
  if (!Number.isFinite(value)) return String(value);
  const places = digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
}

/**
 * A Timing from per-round ns/op samples measured elsewhere (e.g. a stateful stream cut into rounds,
 * which timePerOp cannot repeat); pairedRatio and printTable take it like any other.
 */
export function timingFromSamples(name: string, samples: readonly number[], opsPerRound: number): Timing {
  return {
    name,
    medianNs: percentile(samples, 50),
    p25Ns: percentile(samples, 25),
    p75Ns: percentile(samples, 75),
    rounds: samples.length,
    opsPerRound,
    samples,
  };
}
