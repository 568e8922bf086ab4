import { URL_SIGNAL_LISTS } from './url-signal-lists.js';

/**
 * Links in message text and what makes one suspicious, for the `security-threat` category: pure,
 * no network, no DNS. A lexicon gives each signal a weight (`urlSignals`) and can require one
 * together with words (`url:<signal>` in a combination).
 */

/**
 * What a link can show:
 * - `any`: it is a link at all (with or without a scheme);
 * - `ip-host`: its host is a public IPv4 address (private, loopback and link-local ones are not);
 * - `punycode`: a label of its host is punycode (`xn--`), how look-alike Unicode hosts are written;
 * - `lookalike`: its host names a well-known brand (`BRANDS`) without being that brand's domain:
 *   the brand as a word of the host (`wechat-login.xyz`), one edit away (`alipy`), or the same
 *   after confusable characters are folded (`a1ipay`, `paypa1`, `vvechat`);
 * - `suspicious-tld`: its top-level domain is one of `SUSPICIOUS_TLDS`;
 * - `shortener`: its host is a URL shortener (`SHORTENERS`), which hides where it leads.
 */
export const URL_SIGNAL_KINDS = [
  'any',
  'ip-host',
  'punycode',
  'lookalike',
  'suspicious-tld',
  'shortener',
] as const;
export type UrlSignalKind = (typeof URL_SIGNAL_KINDS)[number];

/** One link found in a text. */
export interface FoundUrl {
  /** The link as it stands in the original text (the evidence). */
  readonly written: string;
  /** Its span in the original text. */
  readonly start: number;
  readonly end: number;
  /** The host, folded: lower case, ASCII, full-width and defanged dots made plain. */
  readonly host: string;
  /** Every signal the link shows, `any` first; `lookalike` names the brand in `brand`. */
  readonly signals: readonly UrlSignalKind[];
  readonly brand?: string;
}

/**
 * Top-level domains with high abuse rates in public reports (Spamhaus' "most abused TLDs",
 * Interisle's phishing landscape studies): free or near-free registrations that phishing kits
 * favour. Most sites under them are harmless, so the signal is weak on its own.
 */
export const SUSPICIOUS_TLDS: ReadonlySet<string> = new Set(URL_SIGNAL_LISTS.suspiciousTlds);

/** Hosts of URL shorteners, Chinese and international. */
export const SHORTENERS: ReadonlySet<string> = new Set(URL_SIGNAL_LISTS.shorteners);

/**
 * Brands that phishing in Chinese business chat imitates, each with the registrable domains that
 * are really theirs. A host under one of these domains is never a look-alike of any brand.
 */
export const BRANDS: Readonly<Record<string, readonly string[]>> = URL_SIGNAL_LISTS.brands;

/** Top-level domains a link without a scheme may end in; with a scheme any alphabetic one is a link. */
const SCHEMELESS_TLDS: ReadonlySet<string> = new Set([
  ...SUSPICIOUS_TLDS,
  ...URL_SIGNAL_LISTS.schemelessTlds,
]);

/** Second-level suffixes under which the registrable domain is three labels (`icbc.com.cn`). */
const SECOND_LEVEL: ReadonlySet<string> = new Set(
  URL_SIGNAL_LISTS.secondLevel.labels.flatMap((label) =>
    URL_SIGNAL_LISTS.secondLevel.countries.map((country) => `${label}.${country}`),
  ),
);

// A host, optionally after a scheme (hxxp is a defanged http), with an optional port and path.
// Not preceded by what would make it part of a longer word, an e-mail address or a file name.
// Linear: the look-behind refuses every start inside a run of host characters, so each run is
// tried from its first character only; a label cannot hold a dot, so it can end in one place; the
// port is bounded and the path, last, is never given back. (Audited for issue 10, with IP_LINK.)
const LINK =
  /(?<![a-z0-9@._/-])((?:h[tx]{2}ps?):\/\/)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:[a-z][a-z0-9-]*[a-z0-9]))(:\d{1,5})?((?:[/?#][a-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*)?)/g;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IP_LINK =
  /(?<![a-z0-9@._/-])((?:h[tx]{2}ps?):\/\/)?(\d{1,3}(?:\.\d{1,3}){3})(:\d{1,5})?((?:[/?#][a-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*)?)/g;
/** Punctuation that ends a sentence rather than a link, dropped from a link's end. */
const TRAILING: ReadonlySet<string> = new Set(['.', ',', ';', ':', '!', '?', ')', ']', "'", '"']);

/**
 * `path` without its trailing punctuation. A backward scan, not `/[…]+$/`: a regular expression
 * anchored at the end is tried from every start position, each running to the end of a run of
 * punctuation, which is quadratic in the run's length (a path of 60,000 dots took seconds).
 */
function withoutTrailing(path: string): string {
  let end = path.length;
  while (end > 0 && TRAILING.has(path.charAt(end - 1))) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** Every link in `text`, in order, with its signals. */
export function findUrls(text: string): FoundUrl[] {
  const view = linkView(text);
  const found: FoundUrl[] = [];
  for (const pattern of [LINK, IP_LINK]) {
    for (const match of view.text.matchAll(pattern)) {
      const [whole, scheme, host = '', port, rawPath = ''] = match;
      const path = withoutTrailing(rawPath);
      const length = whole.length - (rawPath.length - path.length);
      const ip = IPV4.exec(host);
      if (ip) {
        if (ip.slice(1).some((octet) => Number(octet) > 255)) continue;
        // Without a scheme, a dotted quad needs a port or a path to be a link, not a version number.
        if (!scheme && !port && path === '') continue;
      } else {
        const tld = host.slice(host.lastIndexOf('.') + 1);
        if (!scheme && !host.startsWith('www.') && !SCHEMELESS_TLDS.has(tld)) continue;
      }
      const start = match.index;
      const end = start + length;
      const originalStart = view.starts[start] ?? 0;
      const originalEnd = view.ends[end - 1] ?? text.length;
      found.push({
        written: text.slice(originalStart, originalEnd),
        start: originalStart,
        end: originalEnd,
        host,
        ...signalsOf(host, ip),
      });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function signalsOf(host: string, ip: RegExpExecArray | null): { signals: UrlSignalKind[]; brand?: string } {
  const signals: UrlSignalKind[] = ['any'];
  if (ip) {
    if (isPublic(ip.slice(1).map(Number))) signals.push('ip-host');
    return { signals };
  }
  const labels = host.split('.');
  if (labels.some((label) => label.startsWith('xn--'))) signals.push('punycode');
  const brand = lookalikeBrand(host, labels);
  if (brand) signals.push('lookalike');
  if (SUSPICIOUS_TLDS.has(labels.at(-1) ?? '')) signals.push('suspicious-tld');
  if (SHORTENERS.has(host) || SHORTENERS.has(labels.slice(-2).join('.'))) signals.push('shortener');
  return brand ? { signals, brand } : { signals };
}

function isPublic([a = 0, b = 0]: readonly number[]): boolean {
  if (a === 10 || a === 127 || a === 0) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 169 && b === 254) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  return true;
}

/** The registrable domain of a host: its last two labels, or three under `com.cn` and the like. */
export function registrableDomain(host: string): string {
  const labels = host.split('.');
  const lastTwo = labels.slice(-2).join('.');
  return SECOND_LEVEL.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}

const OFFICIAL: ReadonlySet<string> = new Set(Object.values(BRANDS).flat());

function lookalikeBrand(host: string, labels: readonly string[]): string | undefined {
  if (OFFICIAL.has(registrableDomain(host))) return undefined;
  // The words of the host (labels split at hyphens), leaving out the top-level domain.
  const words = labels
    .slice(0, -1)
    .flatMap((label) => label.split('-'))
    .filter((word) => word !== '' && word !== 'xn');
  for (const word of words) {
    const folded = skeleton(word);
    for (const [brand, brandSkeleton] of BRAND_SKELETONS) {
      if (resembles(word, folded, brand, brandSkeleton)) return brand;
    }
  }
  return undefined;
}

function resembles(word: string, wordSkeleton: string, brand: string, brandSkeleton: string): boolean {
  if (word === brand) return true;
  // Longer brands are distinctive enough to be recognised inside a word, and one edit away when
  // the first letter agrees (`alipy`, but not `cloud` for icloud).
  if (brand.length >= 6) {
    if (word.startsWith(brand) || word.endsWith(brand)) return true;
    if (word[0] === brand[0] && Math.abs(word.length - brand.length) <= 1 && editDistance(word, brand) <= 1) {
      return true;
    }
  }
  if (brand.length >= 3 && wordSkeleton === brandSkeleton) return true;
  return false;
}

// Characters that pass for one another in a host name, folded to one representative.
const CONFUSABLE: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'l',
  i: 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
};

function skeleton(word: string): string {
  const folded = word.replaceAll('rn', 'm').replaceAll('vv', 'w');
  let result = '';
  for (const char of folded) result += CONFUSABLE[char] ?? char;
  return result;
}

/** Each brand with its skeleton, worked out once (a host's words are compared with every brand). */
const BRAND_SKELETONS: readonly (readonly [string, string])[] = Object.keys(BRANDS).map(
  (brand) => [brand, skeleton(brand)] as const,
);

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (d[(i - 1) * cols + j] ?? 0) + 1,
        (d[i * cols + j - 1] ?? 0) + 1,
        (d[(i - 1) * cols + j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

/** The text as links are read, with each unit's span in the original. */
interface LinkView {
  readonly text: string;
  /** Per unit of `text` (and no further: the buffers are reused and may be longer). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * The span buffers of linkView, reused from call to call (findUrls is synchronous and the view
 * does not outlive it) and grown by doubling: typed arrays rather than arrays pushed unit by unit,
 * which on a 256 KB text cost more in allocation and garbage collection than the rest of findUrls.
 */
let viewStarts = new Int32Array(4096);
let viewEnds = new Int32Array(4096);

function growView(needed: number, used: number): void {
  let size = viewStarts.length;
  while (size < needed) size *= 2;
  const starts = new Int32Array(size);
  starts.set(viewStarts.subarray(0, used));
  const ends = new Int32Array(size);
  ends.set(viewEnds.subarray(0, used));
  viewStarts = starts;
  viewEnds = ends;
}

// Full stops that stand for a dot between the labels of a host: ideographic, full- and half-width.
const WIDE_DOTS = new Set(['。', '．', '｡']);
// Defanged dots (`example[.]com`, `example(dot)com`), read as plain dots.
const DEFANGED = /^(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))/;
const INVISIBLE = /[\p{Cf}]/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Lower case, NFKC per character (full-width letters and digits become ASCII), invisible format
 * characters dropped, and wide or defanged dots between letters or digits read as dots.
 */
function linkView(original: string): LinkView {
  let text = '';
  // Whether the view so far ends in a letter or digit (what makes a wide or defanged dot a dot):
  // kept as the view grows, since testing the growing text with /[a-z0-9]$/ each time is not
  // linear by construction.
  let afterAlnum = false;
  const push = (unit: string, start: number, end: number): void => {
    const used = text.length;
    if (used + unit.length > viewStarts.length) growView(used + unit.length, used);
    for (let k = 0; k < unit.length; k++) {
      viewStarts[used + k] = start;
      viewEnds[used + k] = end;
    }
    text += unit;
    const last = unit.charCodeAt(unit.length - 1);
    afterAlnum = (last >= 0x61 && last <= 0x7a) || (last >= 0x30 && last <= 0x39);
  };
  let i = 0;
  while (i < original.length) {
    const point = original.codePointAt(i) ?? 0;
    const width = point > 0xffff ? 2 : 1;
    const char = original.slice(i, i + width);
    // Every defanged dot opens with a bracket; other characters need not try the expression.
    const defanged =
      afterAlnum && (point === 0x5b || point === 0x28 || point === 0x7b)
        ? DEFANGED.exec(original.slice(i, i + 5).toLowerCase())
        : null;
    if (defanged) {
      push('.', i, i + defanged[0].length);
      i += defanged[0].length;
      continue;
    }
    if (point < 0x80) {
      // ASCII (the bulk of any link): no format character, no wide dot, folded by lower case alone.
      push(char.toLowerCase(), i, i + 1);
      i += 1;
      continue;
    }
    if (INVISIBLE.test(char)) {
      i += width;
      continue;
    }
    if (WIDE_DOTS.has(char) && afterAlnum) {
      push('.', i, i + width);
      i += width;
      continue;
    }
    const folded = char.normalize('NFKC').toLowerCase();
    // Keep one unit per original character where NFKC expands it, so spans stay simple.
    push(PRINTABLE_ASCII.test(folded) ? folded : char.length === 1 ? char : ' ', i, i + width);
    i += width;
  }
  return { text, starts: viewStarts, ends: viewEnds };
}
