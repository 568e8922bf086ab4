import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readLocalConfig } from '../local/config.js';

const USAGE = `usage: npm run export-cases -- [--url http://127.0.0.1:3000] [--corp <corpId>] [--out <file.jsonl>]
  writes every decided case of the corp (confirmed and overturned) as labeled JSONL, one message
  per line: {"text", "labels", "lang", "note", "category", "decision", "caseId", "decidedAt"}.
  A confirmed case labels its text with its category; an overturned one labels it with none (a
  reviewer found it is not that violation). The lines are the evaluation set's own format
  (test/classifier-eval/), so the classifier's evaluation reads them as they are.
  Reads the admin API of a running \`npm start\` with ADMIN_TOKEN (or --url).
  --url URL     the admin API (default http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --corp ID     the corp (default WECOM_CORP_ID, or local mode's dev corp)
  --out FILE    where to write (default stdout)`;

/** Cases asked for per page: the admin API's largest page. */
const PAGE_LIMIT = 200;

/** A decided case as the admin API lists it: the fields the export reads. */
export interface ListedCase {
  readonly id: string;
  readonly kind: string;
  readonly category: string;
  readonly status: string;
  readonly text: { readonly text: string; readonly length: number; readonly truncated: boolean } | null;
  readonly decision: { readonly decision: 'confirm' | 'overturn'; readonly at: string } | null;
}

/** One labeled line of the export, in the evaluation set's format plus the case's own fields. */
export interface LabeledCase {
  readonly text: string;
  readonly labels: readonly string[];
  readonly lang: 'zh' | 'en';
  readonly note: string;
  readonly category: string;
  readonly decision: 'confirm' | 'overturn';
  readonly caseId: string;
  readonly decidedAt: string;
}

/** Han characters, kana or hangul: the text is Chinese (the set's two languages are zh and en). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * The labeled line of a decided case, or null when it has nothing to label: an enterprise block's
 * case (about accounts, not a text), or a case with no text (a count or a report).
 */
export function labeledCase(c: ListedCase): LabeledCase | null {
  if (c.kind !== 'violation' || c.text === null || c.decision === null) return null;
  const confirmed = c.decision.decision === 'confirm';
  return {
    text: c.text.text,
    labels: confirmed ? [c.category] : [],
    lang: CJK.test(c.text.text) ? 'zh' : 'en',
    note: `decided case ${c.id}: ${confirmed ? 'confirmed' : 'overturned'} as ${c.category}${
      c.text.truncated ? ` (text cut from ${c.text.length} characters)` : ''
    }`,
    category: c.category,
    decision: c.decision.decision,
    caseId: c.id,
    decidedAt: c.decision.at,
  };
}

/** Every case of one status, page after page, from the admin API. */
async function* listCases(
  url: string,
  token: string,
  corpId: string,
  status: 'confirmed' | 'overturned',
): AsyncGenerator<ListedCase> {
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ status, limit: String(PAGE_LIMIT), ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${url}/admin/corps/${encodeURIComponent(corpId)}/cases?${query}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { cases?: ListedCase[]; next?: string | null; error?: string };
    if (response.status !== 200 || !Array.isArray(body.cases)) {
      throw new Error(
        `GET cases (${status}) answered ${response.status}: ${body.error ?? 'not a case list'}`,
      );
    }
    yield* body.cases;
    cursor = body.next ?? null;
  } while (cursor !== null);
}

/** The labeled lines of the corp's decided cases, confirmed first, each oldest first. */
export async function exportCases(options: {
  readonly url: string;
  readonly adminToken: string;
  readonly corpId: string;
}): Promise<LabeledCase[]> {
  const lines: LabeledCase[] = [];
  for (const status of ['confirmed', 'overturned'] as const) {
    for await (const listed of listCases(options.url, options.adminToken, options.corpId, status)) {
      const line = labeledCase(listed);
      if (line) lines.push(line);
    }
  }
  return lines;
}

async function main(argv: readonly string[]): Promise<number> {
  let values: { url?: string; corp?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        corp: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = readLocalConfig();
  const url = (values.url ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
  const lines = await exportCases({
    url,
    adminToken: config.adminToken,
    corpId: values.corp ?? config.corpId,
  });
  const text = lines.map((line) => JSON.stringify(line)).join('\n') + (lines.length > 0 ? '\n' : '');
  if (values.out) {
    await writeFile(values.out, text);
    console.error(`${lines.length} decided cases written to ${values.out}`);
  } else {
    process.stdout.write(text);
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
