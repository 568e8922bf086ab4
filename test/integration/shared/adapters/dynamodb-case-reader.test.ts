import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPenaltyStore } from '../../../../shared/adapters/dynamodb-penalty-store.js';
import type { Case } from '../../../../shared/domain/cases.js';
import { DEFAULT_POLICY_SET, type PolicySet } from '../../../../shared/domain/policy.js';
import { reviewDeadlineTimer } from '../../../../shared/domain/timers.js';
import type { EngineInput } from '../../../../shared/domain/types.js';
import { InvalidCursorError } from '../../../../shared/errors.js';
import { evaluateInput } from '../../../../shared/evaluator/evaluate-input.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, DAY, HOUR, MINUTE, nextId, T0 } from '../../../helpers/domain-inputs.js';
import { aPolicySet } from '../../../helpers/domain-policy.js';
import { usePenaltyTable } from '../../../helpers/dynamodb.js';
import { RecordingSideEffects } from '../../../helpers/recording-side-effects.js';

const table = usePenaltyTable();
let store: DynamoDbPenaltyStore;

beforeAll(() => {
  store = new DynamoDbPenaltyStore({ client: table.client, tableName: table.tableName });
});

async function drive(input: EngineInput, policies: PolicySet = DEFAULT_POLICY_SET): Promise<void> {
  await evaluateInput(input, {
    store,
    effects: new RecordingSideEffects(),
    policies,
    classifier: testClassifier,
  });
}

/** The member's case opened by an inducing-sharing message at `at` (the default policy reviews it). */
async function openCase(corpId: string, userId: string, at = T0): Promise<Case> {
  await drive(aMessage({ corpId, userId, at, text: `please ${TERMS['inducing-sharing']} now` }));
  const { member } = await store.load(corpId, userId);
  const summary = member?.cases?.at(-1);
  const found = summary ? await store.case(summary.id) : null;
  if (!found) throw new Error('the message opened no case');
  return found;
}

async function review(c: Case, decision: 'confirm' | 'overturn', at = c.openedAt + HOUR): Promise<void> {
  await drive({
    type: 'case.reviewed',
    id: nextId(),
    corpId: c.corpId,
    userId: c.userId,
    at,
    caseId: c.id,
    decision,
    reviewer: 'li.reviewer',
    reason: 'checked the conversation',
  });
}

const page = (cursor: string | null = null, limit = 50) => ({ limit, cursor });
const idsOf = (cases: readonly Case[]) => cases.map((c) => c.id);

describe('case records on the penalty table', () => {
  it('writes the whole case when it opens, and lists it among the corp’s open cases', async () => {
    // Act
    const opened = await openCase('wwCASESTORE0001', 'opened');

    // Assess
    expect(opened).toMatchObject({
      corpId: 'wwCASESTORE0001',
      userId: 'opened',
      kind: 'violation',
      rule: 'R1',
      category: 'inducing-sharing',
      status: 'open',
      openedAt: T0,
      reviewBy: T0 + 3 * DAY,
      text: { text: `please ${TERMS['inducing-sharing']} now`, truncated: false },
      provisional: { scope: 'interop', kind: 'suspension' },
      decision: null,
    });
    expect(opened.explanation.evidence.matchedTerms.map((q) => q.text)).toEqual([TERMS['inducing-sharing']]);
    const open = await store.cases('wwCASESTORE0001', 'open', page());
    expect(open).toEqual({ cases: [opened], next: null });
  });

  it('moves an overdue case to the expired list, and a decided one to its decision’s list, with the decision', async () => {
    // Prepare
    const corpId = 'wwCASESTORE0002';
    const late = await openCase(corpId, 'late');
    const confirmed = await openCase(corpId, 'confirmed', T0 + MINUTE);
    const overturned = await openCase(corpId, 'overturned', T0 + 2 * MINUTE);

    // Act
    await drive(reviewDeadlineTimer(late, late.id, late.reviewBy));
    await review(confirmed, 'confirm');
    await review(overturned, 'overturn');

    // Assess
    expect((await store.cases(corpId, 'open', page())).cases).toEqual([]);
    expect(idsOf((await store.cases(corpId, 'expired', page())).cases)).toEqual([late.id]);
    expect((await store.cases(corpId, 'confirmed', page())).cases).toEqual([
      {
        ...confirmed,
        status: 'confirmed',
        decision: expect.objectContaining({
          decision: 'confirm',
          reviewer: 'li.reviewer',
          reason: 'checked the conversation',
          at: confirmed.openedAt + HOUR,
        }),
      },
    ]);
    expect(idsOf((await store.cases(corpId, 'overturned', page())).cases)).toEqual([overturned.id]);
    expect(await store.case(late.id)).toMatchObject({ status: 'expired', decision: null });
  });

  it('keeps an expired case decidable: deciding it moves it from the expired list', async () => {
    // Prepare
    const corpId = 'wwCASESTORE0003';
    const late = await openCase(corpId, 'late-then-decided');
    await drive(reviewDeadlineTimer(late, late.id, late.reviewBy));

    // Act
    await review(late, 'confirm', late.reviewBy + HOUR);

    // Assess
    expect((await store.cases(corpId, 'expired', page())).cases).toEqual([]);
    expect(idsOf((await store.cases(corpId, 'confirmed', page())).cases)).toEqual([late.id]);
  });

  it('pages a corp’s cases oldest first, and lists no other corp’s', async () => {
    // Prepare
    const corpId = 'wwCASESTORE0004';
    const opened: Case[] = [];
    for (let i = 4; i >= 0; i--) opened.unshift(await openCase(corpId, `pager-${i}`, T0 + i * MINUTE));
    await openCase('wwCASESTORE0005', 'neighbour');

    // Act
    const first = await store.cases(corpId, 'open', page(null, 2));
    const second = await store.cases(corpId, 'open', page(first.next, 2));
    const third = await store.cases(corpId, 'open', page(second.next, 2));

    // Assess
    expect([...first.cases, ...second.cases, ...third.cases].map((c) => c.userId)).toEqual([
      'pager-0',
      'pager-1',
      'pager-2',
      'pager-3',
      'pager-4',
    ]);
    expect(third.next).toBeNull();
  });

  it('refuses a cursor it did not give out with InvalidCursorError', async () => {
    // Prepare
    const corpId = 'wwCASESTORE0006';
    await openCase(corpId, 'cursor-a');
    await openCase(corpId, 'cursor-b', T0 + MINUTE);
    const { next } = await store.cases(corpId, 'open', page(null, 1));
    if (next === null) throw new Error('expected a next page');
    const decoded = JSON.parse(Buffer.from(next, 'base64url').toString('utf8'));
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    // Act
    const tampered = [
      `${next}=`,
      `${next.slice(0, -2)}!!`,
      encode({ ...decoded, caseId: 'CASE#x' }),
      encode({ ...decoded, openedAt: 'soon' }),
      encode({ ...decoded, v: 2 }),
      encode([decoded]),
      'x'.repeat(600),
    ];

    // Assess
    for (const cursor of tampered) {
      await expect(store.cases(corpId, 'open', page(cursor, 1)), cursor).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    }
  });
});

describe('violation records under review', () => {
  it('reads a violation back pending while its case is open, then standing with the penalty a confirmation applied', async () => {
    // Prepare
    const c = await openCase('wwCASESTORE0007', 'pending-then-standing');
    const pending = await store.violation(c.corpId, c.userId, c.violationId);

    // Act
    await review(c, 'confirm');

    // Assess
    expect(pending).toMatchObject({ status: 'pending', caseId: c.id, penalty: null, strikes: 0 });
    const standing = await store.violation(c.corpId, c.userId, c.violationId);
    expect(standing).toMatchObject({
      status: 'standing',
      strikes: 1,
      penalty: { kind: 'suspension', scope: 'interop', until: T0 + DAY },
    });
    const listed = await store.violations(c.corpId, c.userId, page());
    expect(listed.violations).toEqual([standing]);
  });

  it('reads a violation back void once its case is overturned', async () => {
    // Prepare
    const c = await openCase('wwCASESTORE0008', 'pending-then-void');

    // Act
    await review(c, 'overturn');

    // Assess
    expect(await store.violation(c.corpId, c.userId, c.violationId)).toMatchObject({
      status: 'void',
      penalty: null,
    });
  });

  it('reads a shadowed detection back as shadow, with what would have applied, and opens no case', async () => {
    // Prepare
    const policies = aPolicySet({ enforcement: { 'inducing-sharing': 'shadow' } });
    const message = aMessage({
      corpId: 'wwCASESTORE0009',
      userId: 'shadowed',
      at: T0,
      text: `please ${TERMS['inducing-sharing']} now`,
    });

    // Act
    await drive(message, policies);

    // Assess
    expect(await store.violation('wwCASESTORE0009', 'shadowed', message.id)).toMatchObject({
      status: 'shadow',
      penalty: { kind: 'suspension', scope: 'interop' },
    });
    expect((await store.cases('wwCASESTORE0009', 'open', page())).cases).toEqual([]);
    const { member } = await store.load('wwCASESTORE0009', 'shadowed');
    expect(member?.penalties).toEqual([]);
  });
});
