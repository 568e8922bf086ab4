import { describe, expect, it } from 'vitest';
import { parseEngineInput } from '../../../../shared/domain/commands.js';
import { InvalidInputError } from '../../../../shared/domain/errors.js';
import { restoreTimer, reviewDeadlineTimer, unbanTimer } from '../../../../shared/domain/timers.js';
import {
  aCaseDecision,
  aCorpProfile,
  aMessage,
  anAppeal,
  anAppealDecision,
  anEnterpriseAppeal,
  anUnblockRequest,
  aReport,
  CORP_ID,
  T0,
} from '../../../helpers/domain-inputs.js';

describe('parseEngineInput: what the evaluator reads off the queue', () => {
  it.each([
    ['a domain event from ingest', aMessage({ text: 'hello' })],
    [
      'an unban timer as Scheduler delivers it',
      unbanTimer({ corpId: CORP_ID, userId: 'u1' }, 'a'.repeat(40), T0),
    ],
    ['a restore timer', restoreTimer({ corpId: CORP_ID, userId: 'u1' }, 'status-1', T0)],
    ['an unblock application', anUnblockRequest()],
    ['a member appeal', anAppeal({ violationId: 'v1' })],
    ['an enterprise appeal', anEnterpriseAppeal()],
    ['an appeal decision', anAppealDecision({ appealId: 'a1', approved: true })],
    ['a reviewer report', aReport('gambling')],
    ['a corp profile update', aCorpProfile({ subjectVerified: true })],
    [
      'a review deadline',
      reviewDeadlineTimer({ corpId: CORP_ID, userId: 'u1' }, `case-${'a'.repeat(32)}`, T0),
    ],
    [
      'a reviewer decision on a case',
      aCaseDecision(`case-${'b'.repeat(32)}`, { reason: 'read it 😀\uFFFE' }),
    ],
  ])('reads %s back exactly as it was sent', (_name, input) => {
    // Act
    const parsed = parseEngineInput(JSON.stringify(input));

    // Assess
    expect(parsed).toEqual(input);
  });

  it.each([
    ['not JSON', '{"type":', /message body is not JSON/],
    [
      'an event with a bad id',
      JSON.stringify({ ...aMessage({ text: 'x' }), id: 'nope' }),
      /domain event: id/,
    ],
    [
      'an event whose time is in microseconds (it would schedule timers nobody can create)',
      JSON.stringify({ ...aMessage({ text: 'x' }), at: T0 * 1000 }),
      /domain event: at/,
    ],
    [
      'a timer in seconds',
      JSON.stringify(unbanTimer({ corpId: CORP_ID, userId: 'u' }, 'p', T0 / 1000)),
      /engine command: at/,
    ],
    [
      'a timer of an unknown kind',
      JSON.stringify({ ...unbanTimer({ corpId: CORP_ID, userId: 'u' }, 'p', T0), timer: { kind: 'other' } }),
      /engine command: timer/,
    ],
    [
      'an unknown command',
      JSON.stringify({ type: 'penalty.forgiven', id: 'x', corpId: CORP_ID, at: T0 }),
      /domain event: type/,
    ],
    [
      'a case decision that is neither confirm nor overturn',
      JSON.stringify({ ...aCaseDecision('case-1'), decision: 'maybe' }),
      /engine command: decision/,
    ],
    [
      'a case decision without a reason, or with one over 2000 characters',
      JSON.stringify({ ...aCaseDecision('case-1'), reason: 'x'.repeat(2001) }),
      /engine command: reason/,
    ],
    [
      'a command with an extra field',
      JSON.stringify({ ...anUnblockRequest(), extra: 'secret text' }),
      /engine command/,
    ],
  ])('refuses %s with an error that names the problem and not the content', (_name, body, message) => {
    // Act
    const read = () => parseEngineInput(body);

    // Assess
    expect(read).toThrow(InvalidInputError);
    expect(read).toThrow(message);
    expect(read).not.toThrow(/secret text/);
  });
});
