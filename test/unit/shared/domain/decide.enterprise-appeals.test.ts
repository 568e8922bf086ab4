import { describe, expect, it } from 'vitest';
import { ENFORCEMENTS, rejections } from '../../../helpers/decide-scenarios.js';
import {
  anAppealDecision,
  anEnterpriseAppeal,
  aReport,
  CORP_ID,
  ENTERPRISE_DOCUMENTS,
  HOUR,
  T0,
} from '../../../helpers/domain-inputs.js';
import { type DomainRun, decisionsOfType } from '../../../helpers/domain-run.js';

describe.each(ENFORCEMENTS)('$name', ({ run }) => {
  describe('Appeals of the enterprise block', () => {
    /** A corp blocked by an R3 violation with bad influence. */
    function blockedCorp(): DomainRun {
      return run([aReport('fraud', { badInfluence: true, at: T0 })]);
    }

    it.each(ENTERPRISE_DOCUMENTS)('refuses an appeal without %s with a 400 naming it', (missing) => {
      // Given a blocked corp
      const r = blockedCorp();

      // When the admin appeals without one document
      const decisions = r.apply(
        anEnterpriseAppeal({ documents: ENTERPRISE_DOCUMENTS.filter((d) => d !== missing), at: T0 + HOUR }),
      );

      // Then it is a 400 that names the document
      const [rejection] = rejections(decisions);
      expect(rejection?.status).toBe(400);
      expect(rejection?.message).toContain(missing);
      expect(r.corp.appeals).toEqual([]);
    });

    it('refuses an appeal when the enterprise is not blocked', () => {
      // Given a corp in good standing
      const r = run();

      // When the admin appeals with every document
      const decisions = r.apply(anEnterpriseAppeal({ at: T0 }));

      // Then it is a 409
      expect(rejections(decisions)).toEqual([expect.objectContaining({ status: 409 })]);
    });

    it('opens an appeal with all four documents, and unblocks the enterprise and admin on approval', () => {
      // Given a blocked corp
      const r = blockedCorp();

      // When the admin appeals with all four documents
      const appeal = anEnterpriseAppeal({ at: T0 + HOUR });
      const filed = r.apply(appeal);

      // Then the appeal is open
      expect(decisionsOfType(filed, 'appeal.recorded')).toEqual([
        expect.objectContaining({
          appealId: appeal.id,
          status: 'open',
          subject: { kind: 'enterprise', corpId: CORP_ID },
        }),
      ]);
      expect(rejections(r.apply(anEnterpriseAppeal({ at: T0 + 2 * HOUR })))).toEqual([
        expect.objectContaining({ status: 409 }),
      ]);

      // When a reviewer approves it
      const decided = r.apply(
        anAppealDecision({ enterprise: true, appealId: appeal.id, approved: true, at: T0 + 3 * HOUR }),
      );

      // Then the enterprise and admin accounts are unblocked, by the appeal decision
      expect(decisionsOfType(decided, 'penalty.lifted').map((d) => [d.subject.kind, d.cause.kind])).toEqual([
        ['enterprise', 'appeal-decision'],
        ['admin', 'appeal-decision'],
      ]);
      expect(r.corpView()).toMatchObject({
        account: { status: 'active' },
        adminAccount: { status: 'active' },
      });

      // And deciding it again is a 409
      const again = r.apply(
        anAppealDecision({ enterprise: true, appealId: appeal.id, approved: false, at: T0 + 4 * HOUR }),
      );
      expect(rejections(again)).toEqual([expect.objectContaining({ status: 409 })]);
      expect(r.corpView().account.status).toBe('active');
    });

    it('keeps the enterprise blocked when the appeal is rejected', () => {
      // Given an open appeal of a blocked corp
      const r = blockedCorp();
      const appeal = anEnterpriseAppeal({ at: T0 + HOUR });
      r.apply(appeal);

      // When a reviewer rejects it
      r.apply(
        anAppealDecision({ enterprise: true, appealId: appeal.id, approved: false, at: T0 + 2 * HOUR }),
      );

      // Then the enterprise and admin stay blocked
      expect(r.corpView()).toMatchObject({
        account: { status: 'blocked' },
        adminAccount: { status: 'blocked' },
      });
      expect(r.corp.appeals).toEqual([expect.objectContaining({ id: appeal.id, status: 'rejected' })]);
    });
  });
});
