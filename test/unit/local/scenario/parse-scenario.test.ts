import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadReplayFiles } from '../../../../local/replay.js';
import { callbackPlaintext } from '../../../../local/scenario/callback-request.js';
import { ScenarioError } from '../../../../local/scenario/errors.js';
import { isScenarioJson, parseScenario } from '../../../../local/scenario/parse-scenario.js';
import type { CallbackStep } from '../../../../local/scenario/types.js';
import { decodeCallback } from '../../../../shared/ingest/process-callback.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const START = '2026-03-02T01:00:00Z';
const start = Date.parse(START);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const complaint = {
  route: 'message',
  plaintext: { type: 'complaint', id: 'c-1', from: 'wmCustomer0000000000000000000001', userId: 'zhangsan' },
};

/** A scenario file's text: the given top-level fields over a valid one with `steps`. */
function scenarioText(steps: unknown[], top: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'test', description: 'a test scenario', start: START, steps, ...top });
}

function parse(steps: unknown[], top: Record<string, unknown> = {}) {
  return parseScenario(scenarioText(steps, top), 'events/scenarios/test.json');
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

describe('parseScenario: times', () => {
  it('resolves each step from start: `at`, the previous step by default, clock moves by and to', () => {
    // Prepare
    const steps = [
      { at: 'PT2H', ...complaint },
      { admin: 'unblock-application' },
      { clock: 'P1D' },
      { clock: { to: 'P3DT1H30M' } },
      { at: 'P4D', ...complaint, repeat: 3, every: 'PT10M' },
      { clock: 'PT0S' },
    ];

    // Act
    const scenario = parse(steps);

    // Assess
    expect(scenario.steps.map((step) => [step.kind, step.at - start, step.end - start])).toEqual([
      ['callback', 2 * HOUR, 2 * HOUR],
      ['admin', 2 * HOUR, 2 * HOUR],
      ['clock', DAY + 2 * HOUR, DAY + 2 * HOUR],
      ['clock', 3 * DAY + 1.5 * HOUR, 3 * DAY + 1.5 * HOUR],
      ['callback', 4 * DAY, 4 * DAY + 20 * 60_000],
      ['clock', 4 * DAY + 20 * 60_000, 4 * DAY + 20 * 60_000],
    ]);
    expect(scenario.steps.map((step) => step.index)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('defaults the member to zhangsan and leaves the corp to the keys', () => {
    // Prepare
    const steps = [{ clock: 'PT1H' }];

    // Act
    const scenario = parse(steps);

    // Assess
    expect({ userId: scenario.userId, corpId: scenario.corpId, start: scenario.start }).toEqual({
      userId: 'zhangsan',
      corpId: undefined,
      start,
    });
  });

  it('resolves expected times written as durations from start, or as ISO times', () => {
    // Prepare
    const expectation = {
      member: {
        interop: { status: 'suspended', until: 'P1DT2H' },
        linkedWeChat: { restoreAt: '2026-03-05T00:00:00+08:00' },
      },
    };

    // Act
    const [step] = parse([{ clock: 'PT0S', expect: expectation }]).steps;

    // Assess
    expect(step?.expect).toEqual({
      member: {
        interop: { status: 'suspended', until: start + DAY + 2 * HOUR },
        linkedWeChat: { restoreAt: Date.parse('2026-03-04T16:00:00Z') },
      },
    });
  });

  it('fills the event time of each copy: CreateTime in seconds, msgtime and time in ms, {n} zero-padded', () => {
    // Prepare
    const scenario = parse([
      {
        at: 'PT1H',
        route: 'contact',
        repeat: 12,
        every: 'PT1M',
        plaintext: {
          Event: 'change_external_contact',
          ChangeType: 'add_external_contact',
          UserID: 'zhangsan',
          ExternalUserID: 'wmAdd{n}',
        },
      },
      {
        route: 'contact',
        plaintext:
          '<xml><ToUserName><![CDATA[ww0000000000000000]]></ToUserName><CreateTime>1</CreateTime><MsgType><![CDATA[event]]></MsgType>' +
          '<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[del_follow_user]]></ChangeType>' +
          '<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[wmAdd01]]></ExternalUserID></xml>',
      },
      {
        route: 'message',
        plaintext: {
          records: [
            {
              msgid: 'm-1',
              action: 'send',
              from: 'zhangsan',
              tolist: ['wmAdd01'],
              msgtype: 'text',
              text: { content: 'hi' },
            },
            complaint.plaintext,
          ],
        },
      },
    ]);
    const [adds, deletion, batch] = scenario.steps as CallbackStep[];
    if (!adds || !deletion || !batch) throw new Error('three steps expected');
    const eventsOf = (step: CallbackStep, copy: number) =>
      decodeCallback(step.route, callbackPlaintext(step, copy), 'wwtest');

    // Act
    const first = eventsOf(adds, 0);
    const last = eventsOf(adds, 11);
    const deleted = eventsOf(deletion, 0);
    const records = eventsOf(batch, 0);

    // Assess
    expect(first).toMatchObject([{ type: 'contact.added', at: start + HOUR, externalUserId: 'wmAdd01' }]);
    expect(last).toMatchObject([
      { type: 'contact.added', at: start + HOUR + 11 * 60_000, externalUserId: 'wmAdd12' },
    ]);
    expect(callbackPlaintext(adds, 0)).toContain(`<CreateTime>${(start + HOUR) / 1000}</CreateTime>`);
    expect(deleted).toMatchObject([{ type: 'contact.deleted-by-customer', at: start + HOUR + 11 * 60_000 }]);
    expect(records.map((event) => [event.type, event.at])).toEqual([
      ['message.sent', start + HOUR + 11 * 60_000],
      ['complaint.received', start + HOUR + 11 * 60_000],
    ]);
  });
});

describe('parseScenario: an invalid file names the file and the field', () => {
  it.each([
    ['a missing start', [{ clock: 'PT1H' }], { start: undefined }, 'start: is required'],
    [
      'a start without its zone',
      [{ clock: 'PT1H' }],
      { start: '2026-03-02T01:00:00' },
      'start: must be an ISO time',
    ],
    ['no steps', [], {}, 'steps: must list at least one step'],
    ['an unknown top-level field', [{ clock: 'PT1H' }], { member: 'lisi' }, 'member: is not a known field'],
    ['a step of no kind', [{ at: 'PT1H' }], {}, 'steps.0: a step has exactly one of route'],
    ['a step of two kinds', [{ clock: 'PT1H', admin: 'report' }], {}, 'steps.0: a step has exactly one of'],
    [
      'a time that is no duration',
      [{ at: '2h', ...complaint }],
      {},
      'steps.0.at: must be an ISO-8601 duration',
    ],
    ['a clock move that is no duration', [{ clock: 'tomorrow' }], {}, 'steps.0.clock: must be a duration'],
    [
      'a step before the one above',
      [
        { at: 'P1D', ...complaint },
        { at: 'PT1H', ...complaint },
      ],
      {},
      'steps.1.at: PT1H is before P1D',
    ],
    [
      'a clock move back',
      [{ clock: 'P1D' }, { clock: { to: 'PT1H' } }],
      {},
      'steps.1.clock.to: PT1H is before P1D',
    ],
    [
      'an unknown route',
      [{ route: 'callbacks', plaintext: {} }],
      {},
      'steps.0.route: must be one of contact, message, wechat-status',
    ],
    [
      'an unknown admin action',
      [{ admin: 'unban' }],
      {},
      'steps.0.admin: must be one of unblock-application, report, appeal, enterprise-appeal, appeal-decision, decide-case',
    ],
    [
      'a report without a reviewer',
      [{ admin: 'report', category: 'gambling' }],
      {},
      'steps.0.reviewer: is required',
    ],
    [
      'a report of an unknown category',
      [{ admin: 'report', category: 'spam', reviewer: 'r' }],
      {},
      'steps.0.category: must be one of',
    ],
    [
      'a field of another action',
      [{ admin: 'unblock-application', approved: true }],
      {},
      'steps.0.approved: is not a known field',
    ],
    ['every without repeat', [{ ...complaint, every: 'PT1M' }], {}, 'steps.0.every: only with repeat'],
    ['a repeat of 0', [{ ...complaint, repeat: 0 }], {}, 'steps.0.repeat: must be 1 or more'],
    [
      'a misspelt expectation',
      [{ clock: 'PT1H', expect: { member: { strike: 1 } } }],
      {},
      'steps.0.expect.member.strike: is not a known field',
    ],
    [
      'an expected status that does not exist',
      [{ clock: 'PT1H', expect: { member: { interop: { status: 'paused' } } } }],
      {},
      'steps.0.expect.member.interop.status: must be one of active, suspended, banned',
    ],
    [
      'an expected time that is none',
      [{ clock: 'PT1H', expect: { member: { interop: { until: 'tomorrow' } } } }],
      {},
      'steps.0.expect.member.interop.until: must be an ISO time with its zone',
    ],
    [
      'a record the route cannot read',
      [{ route: 'message', plaintext: { type: 'complaint', id: 'c-1', userId: 'zhangsan' } }],
      {},
      'steps.0.plaintext: record 0 (complaint)',
    ],
    [
      'XML on a JSON route',
      [{ route: 'wechat-status', plaintext: '<xml/>' }],
      {},
      'steps.0.plaintext: must be the JSON record as an object (or its JSON text) on route wechat-status',
    ],
  ])('%s', (_what, steps, top, message) => {
    // Prepare
    const fields = Object.fromEntries(Object.entries(top));

    // Act
    const error = parseError(steps, fields);

    // Assess
    expect(error).toContain(`events/scenarios/test.json: ${message}`);
  });

  it('names the file when it is not JSON', () => {
    // Prepare
    const content = '{"steps": [';

    // Act
    const act = () => parseScenario(content, 'events/scenarios/broken.json');

    // Assess
    expect(act).toThrow(/^events\/scenarios\/broken\.json: not valid JSON/);
  });

  it('accepts a callback the server is expected to refuse without reading it', () => {
    // Prepare
    const steps = [{ route: 'message', plaintext: { type: 'complaint' }, expect: { status: 400 } }];

    // Act
    const scenario = parse(steps);

    // Assess
    expect(scenario.steps[0]?.expect).toEqual({ status: 400 });
  });
});

describe('the shipped scenarios', () => {
  it('are found in events/scenarios/ and are valid; a walk of events/ leaves them out', async () => {
    // Prepare
    const scenarioFolder = 'events/scenarios';

    // Act
    const named = await loadReplayFiles([scenarioFolder], ROOT);
    const walked = await loadReplayFiles(['events'], ROOT);

    // Assess
    expect(named.recordings).toEqual([]);
    expect(named.scenarios.map(({ file, scenario }) => [relative(ROOT, file), scenario.name])).toEqual([
      ['events/scenarios/contact-add-limit.json', 'contact-add-limit'],
      ['events/scenarios/enterprise-held-for-review.json', 'enterprise-held-for-review'],
      ['events/scenarios/faithful-policy.json', 'faithful-policy'],
      ['events/scenarios/r1-ladder-unblock.json', 'r1-ladder-unblock'],
      ['events/scenarios/r2-ban-restore.json', 'r2-ban-restore'],
      ['events/scenarios/r3-permanent-ban-bad-influence.json', 'r3-permanent-ban-bad-influence'],
      ['events/scenarios/review-confirm.json', 'review-confirm'],
      ['events/scenarios/review-overturn.json', 'review-overturn'],
    ]);
    expect(walked.scenarios).toEqual([]);
    expect(walked.recordings.length).toBe(20);
  });

  it('watch a member each, so that they can run one after another against one server', async () => {
    // Prepare
    const { scenarios } = await loadReplayFiles(['events/scenarios'], ROOT);

    // Act
    const members = scenarios.map(({ scenario }) => scenario.userId);

    // Assess
    expect(new Set(members).size).toBe(scenarios.length);
    for (const { scenario } of scenarios) {
      expect(scenario.steps.every((step) => step.expect !== undefined)).toBe(true);
    }
  });

  it('tell a scenario from a recording by its steps', () => {
    // Prepare
    const candidates = [{ steps: [] }, { route: 'contact', plaintext: '<xml/>' }, [], null];

    // Act
    const verdicts = candidates.map(isScenarioJson);

    // Assess
    expect(verdicts).toEqual([true, false, false, false]);
  });
});
