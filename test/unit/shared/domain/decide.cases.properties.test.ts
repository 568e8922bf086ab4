import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DecidedInput, DomainRun } from '../../../helpers/domain-run.js';
import { play, streamArb } from '../../../helpers/domain-streams.js';

/** Random streams under the default policy with reviewers deciding open cases at random later times. */
const reviewedStreamArb = streamArb(
  3,
  { min: 1, max: 80 },
  { message: 6, 'mass-message': 1, profile: 2, review: 5, timer: 2, appeal: 1, unblock: 1 },
);

/** Plays `stream` under the default policy (timers firing when due); returns every input decided. */
function decideAll(stream: Parameters<typeof play>[0]): DecidedInput[] {
  const observed: DecidedInput[] = [];
  play(stream, new DomainRun({ fireTimers: true, observe: (d) => observed.push(d) }));
  return observed;
}

describe('decide with human review: properties', () => {
  it('never leaves a member holding a penalty that no decision explains', () => {
    fc.assert(
      fc.property(reviewedStreamArb, (stream) => {
        // Given a random stream with reviewers' decisions interleaved
        const applied = new Set<string>();
        for (const decided of decideAll(stream)) {
          for (const d of decided.decisions) {
            if (d.type === 'penalty.applied' && d.subject.kind === 'member')
              applied.add(`${d.subject.userId}\n${d.penaltyId}`);
          }
          // Then every penalty a member holds was applied by a decision of the run so far
          const member = decided.memberAfter;
          if (!member) continue;
          for (const penalty of member.penalties)
            expect(applied).toContain(`${member.userId}\n${penalty.id}`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never lets automation undo an overturn', () => {
    fc.assert(
      fc.property(reviewedStreamArb, (stream) => {
        // Given a random stream in which reviewers overturn some cases
        const overturned = new Map<string, { userId: string; violationId: string; kind: string }>();
        for (const decided of decideAll(stream)) {
          const byReviewer = decided.input.type === 'case.reviewed';
          for (const d of decided.decisions) {
            // Then no later input or timer reopens an overturned case or penalizes its violation again
            if (d.type === 'case.opened') expect(overturned.has(d.case.id)).toBe(false);
            if (!byReviewer && d.type === 'penalty.applied' && d.subject.kind === 'member') {
              const { userId } = d.subject;
              for (const o of overturned.values())
                if (o.kind === 'violation' && o.userId === userId)
                  expect(d.reason.violationId).not.toBe(o.violationId);
            }
            if (d.type === 'case.decided' && d.status === 'overturned')
              overturned.set(d.caseId, { userId: d.userId, violationId: d.violationId, kind: d.kind });
          }
          // And an overturned violation stays void (an overturned enterprise block leaves the
          // member's own violation, which a reviewer reported or confirmed, standing)
          const member = decided.memberAfter;
          if (!member) continue;
          for (const o of overturned.values()) {
            if (o.kind !== 'violation' || o.userId !== member.userId) continue;
            const summary = member.violations.find((v) => v.id === o.violationId);
            if (summary) expect(summary.status).toBe('void');
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never lets a provisional measure outlive its case', () => {
    fc.assert(
      fc.property(reviewedStreamArb, (stream) => {
        // Given a random stream with reviewers' decisions and review deadlines
        const decidedCases = new Set<string>();
        for (const decided of decideAll(stream)) {
          for (const d of decided.decisions) if (d.type === 'case.decided') decidedCases.add(d.caseId);
          const member = decided.memberAfter;
          if (!member) continue;
          // Then after every input, each provisional measure belongs to one of the member's undecided cases
          const open = new Set((member.cases ?? []).map((c) => c.id));
          for (const penalty of member.penalties) {
            if (penalty.caseId === undefined) continue;
            expect(open).toContain(penalty.caseId);
            expect(decidedCases.has(penalty.caseId)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
