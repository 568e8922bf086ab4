import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, typeCheck } from '../../../helpers/typecheck.js';

const ROOT = REPO_ROOT;
const DECISIONS = `${ROOT}shared/domain/decisions.ts`;
const ROUTES = `${ROOT}shared/domain/decision-routes.ts`;
const RECORDS = `${ROOT}shared/adapters/decision-records.ts`;
const OUTBOUND = `${ROOT}shared/adapters/eventbridge-outbound.ts`;
const EFFECTS = `${ROOT}shared/evaluator/side-effects.ts`;

/** A decision type the sources do not know, with none of the fields the shell reads. */
const NEW_TYPE = "  | { readonly type: 'review.requested'; readonly reviewId: string }";

/** The compiler's messages per file over the routing table and every reader of it. */
function diagnosticsIn(replaced: ReadonlyMap<string, string>): Map<string, string[]> {
  return typeCheck([ROUTES, RECORDS, OUTBOUND, EFFECTS], replaced);
}

/** The sources with NEW_TYPE added to Decision, and routed as `route` when one is given. */
function withNewType(route?: string): Map<string, string> {
  const sources = new Map([
    [
      DECISIONS,
      readFileSync(DECISIONS, 'utf8').replace(
        'export type Decision =',
        `export type Decision =\n${NEW_TYPE}`,
      ),
    ],
  ]);
  if (route !== undefined) {
    const routes = readFileSync(ROUTES, 'utf8');
    const entry = "  'quota.changed':";
    expect(routes).toContain(entry);
    sources.set(ROUTES, routes.replace(entry, `  'review.requested': ${route},\n${entry}`));
  }
  return sources;
}

describe('DECISION_ROUTES: the compiler names every place a new decision type must be handled', () => {
  it('compiles cleanly as it is', () => {
    // Act
    const byFile = diagnosticsIn(new Map());

    // Assess
    expect([...byFile.keys()]).toEqual([]);
  }, 60_000);

  it('fails on a new member of Decision until the table routes it', () => {
    // Act
    const byFile = diagnosticsIn(withNewType());

    // Assess
    expect((byFile.get(ROUTES) ?? []).join('\n')).toMatch(/'review\.requested'/);
  }, 60_000);

  it('fails in the store when the table says to keep it as an audit entry it cannot be', () => {
    // Act
    const byFile = diagnosticsIn(
      withNewType("{ record: 'audit', published: false, schedule: null, penaltyChange: false }"),
    );

    // Assess
    expect(byFile.get(ROUTES)).toBeUndefined();
    expect((byFile.get(RECORDS) ?? []).join('\n')).toMatch(/'subject' does not exist/);
  }, 60_000);

  it('fails in the outbound adapter when the table says to publish it', () => {
    // Act
    const byFile = diagnosticsIn(
      withNewType('{ record: null, published: true, schedule: null, penaltyChange: false }'),
    );

    // Assess
    expect(byFile.get(ROUTES)).toBeUndefined();
    expect((byFile.get(OUTBOUND) ?? []).join('\n')).toMatch(/"review\.requested"/);
  }, 60_000);

  it('fails in the evaluator when the table says it schedules', () => {
    // Act
    const byFile = diagnosticsIn(
      withNewType("{ record: null, published: false, schedule: 'create', penaltyChange: false }"),
    );

    // Assess
    expect(byFile.get(ROUTES)).toBeUndefined();
    expect((byFile.get(EFFECTS) ?? []).join('\n')).toMatch(
      /"review\.requested".*not assignable to type 'never'/,
    );
  }, 60_000);
});
