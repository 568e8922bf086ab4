import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Answer, E2eClient, MemberJson, OutboundEventJson } from './e2e-client.js';

/** The human-review routes of the admin API (CONTRACT §5 "Human review (cases)"), through HTTP. */

/** A case as `GET /admin/corps/{corpId}/cases[/{caseId}]` shows it. */
export interface CaseJson {
  readonly id: string;
  readonly corpId: string;
  readonly userId: string;
  readonly kind: 'violation' | 'enterprise-block';
  readonly rule: 'R1' | 'R2' | 'R3';
  readonly category: string;
  readonly violationId: string;
  readonly status: 'open' | 'expired' | 'confirmed' | 'overturned';
  readonly openedAt: string;
  readonly reviewBy: string;
  readonly evidence: readonly Record<string, unknown>[];
  readonly text: { readonly text: string } | null;
  readonly provisional: { readonly penaltyId: string; readonly scope: string; readonly kind: string } | null;
  readonly decision: { readonly decision: string; readonly reviewer: string; readonly reason: string } | null;
}

/** The member view with its open cases. */
export type MemberWithCasesJson = MemberJson & {
  readonly openCases: readonly {
    readonly id: string;
    readonly kind: string;
    readonly rule: string;
    readonly category: string;
    readonly status: string;
  }[];
};

const casesPath = (client: E2eClient) => `/admin/corps/${encodeURIComponent(client.corpId)}/cases`;

/** `GET …/cases?status=`: every page, oldest first. */
export async function listCases(client: E2eClient, status: CaseJson['status']): Promise<CaseJson[]> {
  const all: CaseJson[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?status=${status}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
    const answer = await client.admin<{ cases: CaseJson[]; next: string | null }>(
      'GET',
      `${casesPath(client)}${query}`,
    );
    if (answer.status !== 200)
      throw new Error(`GET cases answered ${answer.status} ${JSON.stringify(answer.body)}`);
    all.push(...answer.body.cases);
    cursor = answer.body.next;
  } while (cursor !== null);
  return all;
}

/** `GET …/cases/{caseId}`. */
export function getCase(client: E2eClient, caseId: string): Promise<Answer<CaseJson & { error?: string }>> {
  return client.admin('GET', `${casesPath(client)}/${encodeURIComponent(caseId)}`);
}

/** `POST …/cases/{caseId}/decision`: the member's status after it, or an error. */
export function decideCase(
  client: E2eClient,
  caseId: string,
  decision: 'confirm' | 'overturn',
  reason = 'checked by hand',
  reviewer = 'reviewer-e2e',
): Promise<Answer<MemberWithCasesJson & { error?: string }>> {
  return client.admin('POST', `${casesPath(client)}/${encodeURIComponent(caseId)}/decision`, {
    decision,
    reviewer,
    reason,
  });
}

/** The member view with its open cases. */
export async function memberWithCases(client: E2eClient, userId: string): Promise<MemberWithCasesJson> {
  return (await client.member(userId)) as MemberWithCasesJson;
}

/** The outbound events local mode wrote to `outbound-events.jsonl` under its DATA_DIR, oldest first. */
export async function outboundFile(dataDir: string): Promise<OutboundEventJson[]> {
  const text = await readFile(join(dataDir, 'outbound-events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OutboundEventJson);
}
