import { describe, expect, it } from 'vitest';
import { adminRequest } from '../../../../local/scenario/admin-request.js';
import { callbackPlaintext } from '../../../../local/scenario/callback-request.js';
import { caseToDecide } from '../../../../local/scenario/cases.js';
import { compare } from '../../../../local/scenario/compare.js';
import { ScenarioError } from '../../../../local/scenario/errors.js';
import { parseScenario } from '../../../../local/scenario/parse-scenario.js';
import type { AdminStep, CallbackStep, CorpStatus, MemberStatus } from '../../../../local/scenario/types.js';

/** Human review in scenario files: deciding cases, expecting open cases and a case, the policy, late deliveries. */

const START = '2026-03-02T01:00:00Z';
const start = Date.parse(START);
const HOUR = 3_600_000;
const CORP = 'wwlocaldev00000001';

function parse(steps: unknown[], top: Record<string, unknown> = {}) {
  const text = JSON.stringify({ name: 'test', description: 'a test scenario', start: START, steps, ...top });
  return parseScenario(text, 'events/scenarios/test.json');
}

function parseError(steps: unknown[], top: Record<string, unknown> = {}): string {
  try {
    parse(steps, top);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message;
  }
  throw new Error('the scenario was accepted');
}

const decide = { admin: 'decide-case', decision: 'confirm', reviewer: 'reviewer-07', reason: 'gambling' };

/** The views as the runner reads them, with the open cases and the enterprise case given. */
function views(openCases: string[], enterpriseCase: string | null = null) {
  const member = {
    openCases: openCases.map((id) => ({ id, kind: 'violation', status: 'open' })),
  } as unknown as MemberStatus;
  const corp = {
    enterpriseCase: enterpriseCase === null ? null : { id: enterpriseCase, userId: 'weisan' },
  } as unknown as CorpStatus;
  return { member, corp };
}

describe('a decide-case step', () => {
  it('posts the decision on the member’s first open case by default, of the member watched', () => {
    // Prepare
    const [step] = parse([{ at: 'PT2H', ...decide }], { userId: 'sunqi' }).steps as AdminStep[];
    const request = step?.request;
    if (request?.action !== 'decide-case') throw new Error('not a decide-case step');

    // Act
    const caseId = caseToDecide(request, views(['case-first', 'case-second']), undefined);
    const sent = adminRequest(request, CORP, { caseId });

    // Assess
    expect(step?.at).toBe(start + 2 * HOUR);
    expect(request).toMatchObject({ userId: 'sunqi', decision: 'confirm', reviewer: 'reviewer-07' });
    expect(sent).toEqual({
      method: 'POST',
      path: `/admin/corps/${CORP}/cases/case-first/decision`,
      body: { decision: 'confirm', reviewer: 'reviewer-07', reason: 'gambling' },
    });
  });

  it('decides the corp’s enterprise case, the case decided last, or a case named by its id', () => {
    // Prepare
    const steps = parse([
      { ...decide, case: 'enterprise' },
      { ...decide, case: 'decided', decision: 'overturn' },
      { ...decide, case: 'case-0123', userId: 'lisi' },
    ]).steps as AdminStep[];
    const requests = steps.map((step) => step.request);
    const current = views(['case-member'], 'case-enterprise');

    // Act
    const ids = requests.map((request) =>
      request.action === 'decide-case' ? caseToDecide(request, current, 'case-decided') : 'not decide-case',
    );

    // Assess
    expect(ids).toEqual(['case-enterprise', 'case-decided', 'case-0123']);
    expect(requests[2]).toMatchObject({ userId: 'lisi' });
  });

  it('stops the run, saying why, when there is no enterprise case or no case decided before', () => {
    // Prepare
    const [enterprise, decided] = (
      parse([
        { ...decide, case: 'enterprise' },
        { ...decide, case: 'decided' },
      ]).steps as AdminStep[]
    ).map((step) => step.request);
    const none = views([]);

    // Act
    const decideEnterprise = () =>
      enterprise?.action === 'decide-case' && caseToDecide(enterprise, none, undefined);
    const decideDecided = () => decided?.action === 'decide-case' && caseToDecide(decided, none, undefined);

    // Assess
    expect(decideEnterprise).toThrow('decide-case: the corp has no enterprise case open');
    expect(decideDecided).toThrow('decide-case: no case decided before it');
  });

  it.each([
    [
      'without a reason',
      { admin: 'decide-case', decision: 'confirm', reviewer: 'r' },
      'steps.0.reason: is required',
    ],
    [
      'with an unknown decision',
      { ...decide, decision: 'approve' },
      'steps.0.decision: must be one of confirm, overturn',
    ],
    [
      'with a field of another action',
      { ...decide, approved: true },
      'steps.0.approved: is not a known field',
    ],
  ])('is refused %s', (_what, step, message) => {
    // Act
    const error = parseError([step]);

    // Assess
    expect(error).toContain(`events/scenarios/test.json: ${message}`);
  });
});

describe('expectations on cases', () => {
  it('reads open cases as a count or as the list, each entry partially, and the case and the enterprise case', () => {
    // Prepare
    const expectation = {
      member: { openCases: [{ kind: 'violation', category: 'gambling', status: 'open' }] },
      corp: { enterpriseCase: { userId: 'weisan' } },
      case: {
        status: 'confirmed',
        provisional: null,
        decision: { decision: 'confirm', reviewer: 'reviewer-07' },
      },
    };

    // Act
    const [listed, counted] = parse([
      { clock: 'PT1H', expect: expectation },
      { clock: 'PT1H', expect: { member: { openCases: 0 }, corp: { enterpriseCase: null } } },
    ]).steps;

    // Assess
    expect(listed?.expect).toEqual(expectation);
    expect(counted?.expect).toEqual({ member: { openCases: 0 }, corp: { enterpriseCase: null } });
  });

  it('checks a count of open cases and a list of them, naming what was found when they differ', () => {
    // Prepare
    const actual = [
      { id: 'case-1', kind: 'violation', rule: 'R3', category: 'gambling', status: 'open' },
      { id: 'case-2', kind: 'enterprise-block', rule: 'R3', category: 'gambling', status: 'expired' },
    ];
    const failures: string[] = [];

    // Act
    const checked = [
      compare(2, actual, 'member.openCases', failures),
      compare(1, actual, 'member.openCases', failures),
      compare(
        [{ kind: 'violation' }, { kind: 'enterprise-block', status: 'open' }],
        actual,
        'member.openCases',
        failures,
      ),
      compare([{ kind: 'violation' }], actual, 'member.openCases', failures),
      compare(0, undefined, 'member.openCases', failures),
    ];

    // Assess
    expect(checked).toEqual([1, 1, 3, 1, 1]);
    expect(failures).toEqual([
      'member.openCases: expected 1, got 2 ["violation gambling open","enterprise-block gambling expired"]',
      'member.openCases.1.status: expected "open", got "expired"',
      'member.openCases: expected 1 case(s), got 2 ["violation gambling open","enterprise-block gambling expired"]',
    ]);
  });

  it.each([
    [
      'a case status that does not exist',
      { case: { status: 'pending' } },
      'steps.0.expect.case.status: must be one of open, expired, confirmed, overturned',
    ],
    [
      'open cases that are neither a count nor a list',
      { member: { openCases: 'two' } },
      'steps.0.expect.member.openCases: must be a count of open cases',
    ],
    [
      'a misspelt case field',
      { case: { decison: null } },
      'steps.0.expect.case.decison: is not a known field',
    ],
  ])('refuses %s', (_what, expectation, message) => {
    // Act
    const error = parseError([{ clock: 'PT1H', expect: expectation }]);

    // Assess
    expect(error).toContain(`events/scenarios/test.json: ${message}`);
  });
});

describe('a scenario’s policy', () => {
  it('reads the version of the policy file it names, from the repository root', () => {
    // Act
    const scenario = parse([{ clock: 'PT1H' }], { policy: 'policies/wecom-faithful.json' });

    // Assess
    expect(scenario.policy).toEqual({
      file: 'policies/wecom-faithful.json',
      version: expect.stringMatching(/-wecom-faithful$/),
    });
  });

  it.each([
    [
      'a file that does not exist',
      'policies/none.json',
      'policy: policies/none.json cannot be read as a policy file',
    ],
    ['a file that is not JSON by its name', 'policies/wecom-faithful', 'policy: must be a policy file'],
    ['a file without a version', 'cdk.json', 'policy: cdk.json has no version'],
  ])('is refused when it names %s', (_what, policy, message) => {
    // Act
    const error = parseError([{ clock: 'PT1H' }], { policy });

    // Assess
    expect(error).toContain(`events/scenarios/test.json: ${message}`);
  });
});

describe('a late delivery (eventAt)', () => {
  it('sends the event with its own earlier time, at the step’s time', () => {
    // Prepare
    const record = {
      msgid: 'late-1',
      action: 'send',
      from: 'zhangsan',
      tolist: ['wmC'],
      msgtype: 'text',
      text: { content: 'hi' },
    };

    // Act
    const [first, late] = parse([
      { at: 'PT0S', route: 'message', plaintext: record },
      { at: 'PT2H', eventAt: 'PT0S', route: 'message', plaintext: record },
    ]).steps as CallbackStep[];

    // Assess
    expect(late?.at).toBe(start + 2 * HOUR);
    expect(JSON.parse(callbackPlaintext(late as CallbackStep, 0)).msgtime).toBe(start);
    expect(callbackPlaintext(late as CallbackStep, 0)).toBe(callbackPlaintext(first as CallbackStep, 0));
  });

  it('is refused after the step’s own time', () => {
    // Act
    const error = parseError([
      {
        at: 'PT1H',
        eventAt: 'PT2H',
        route: 'message',
        plaintext: { type: 'complaint', id: 'c', from: 'wmC', userId: 'zhangsan' },
      },
    ]);

    // Assess
    expect(error).toContain('steps.0.eventAt: PT2H is after the step');
  });
});
