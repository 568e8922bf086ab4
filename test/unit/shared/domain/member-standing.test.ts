import { describe, expect, it } from 'vitest';
import { memberStanding } from '../../../../shared/domain/standing.js';
import { TERMS, testClassifier } from '../../../helpers/domain-classifier.js';
import { aMessage, aReport, DAY, HOUR, T0 } from '../../../helpers/domain-inputs.js';
import { aPolicy } from '../../../helpers/domain-policy.js';
import { run } from '../../../helpers/domain-run.js';

const detected = (userId: string, at: number) =>
  aMessage({ userId, at, text: `please ${TERMS['inducing-sharing']} now` });

describe("A member's standing", () => {
  it('is none (good) for a member with nothing held against it', () => {
    // Given a member with no violation
    const r = run([]);

    // When its standing is derived
    const standing = memberStanding(r.member('clean'), T0);

    // Then it is in good standing
    expect(standing).toBeNull();
  });

  it('is suspended from the first report, and banned, since the ban, after the third', () => {
    // Given reports an hour apart
    const r = run([0, 1, 2].map((i) => aReport('harassing-marketing', { userId: 'm', at: T0 + i * HOUR })));
    const once = run([aReport('harassing-marketing', { userId: 'm', at: T0 })]);

    // When the standings are derived
    const banned = memberStanding(r.member('m'), T0 + 3 * HOUR);
    const suspended = memberStanding(once.member('m'), T0 + HOUR);

    // Then the third report's ban dominates, and a single report suspends
    expect(banned).toEqual({ standing: 'banned', since: T0 + 2 * HOUR });
    expect(suspended).toEqual({ standing: 'suspended', since: T0 });
  });

  it('is review while only an undecided case holds it (no provisional measure), since the case opened', () => {
    // Given a policy without provisional measures and a detection that opens a case
    const policy = aPolicy({ enforcement: { provisional: 'none' } });
    const r = run([detected('held', T0 + HOUR)], { policy, classifier: testClassifier });

    // When its standing is derived, then again long after the review deadline (still undecided)
    const now = memberStanding(r.member('held'), T0 + 2 * HOUR);
    const later = memberStanding(r.member('held'), T0 + 30 * DAY);

    // Then it is under review from when the case opened
    expect(now).toEqual({ standing: 'review', since: T0 + HOUR });
    expect(later).toEqual({ standing: 'review', since: T0 + HOUR });
  });

  it('is suspended, not review, while a provisional measure holds for the case', () => {
    // Given the default policy's provisional suspension for a case
    const r = run([detected('held', T0)], { classifier: testClassifier });

    // When its standing is derived
    const standing = memberStanding(r.member('held'), T0 + HOUR);

    // Then the suspension dominates
    expect(standing).toEqual({ standing: 'suspended', since: T0 });
  });

  it('is good again once a timed suspension has run out', () => {
    // Given a single report's timed suspension
    const r = run([aReport('harassing-marketing', { userId: 'm', at: T0 })]);
    const until = r.view('m', T0).interop.until as number;

    // When the standing is derived after its end
    const standing = memberStanding(r.member('m'), until + 1);

    // Then nothing holds
    expect(standing).toBeNull();
  });
});
