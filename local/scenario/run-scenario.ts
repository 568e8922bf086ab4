import { type CallbackAnswer, sendCallbackRequest } from '../recording.js';
import { adminRequest } from './admin-request.js';
import { callbackRequest } from './callback-request.js';
import { caseToDecide, checkCase, policyRefusal } from './cases.js';
import { compare } from './compare.js';
import { ScenarioRunError } from './errors.js';
import { LocalModeClient } from './local-mode-client.js';
import { optional } from './optional.js';
import { ScenarioTable } from './scenario-table.js';
import { oneLine } from './text.js';
import type {
  AdminStep,
  CallbackStep,
  CorpStatus,
  MemberStatus,
  Scenario,
  ScenarioReport,
  ScenarioRunOptions,
  ScenarioStep,
  StepReport,
} from './types.js';

/** What sending a step's requests did, before the views are read. */
interface StepOutcome {
  /** The clock once the step's requests are done. */
  readonly clock: number;
  readonly answers?: Readonly<Record<string, number>>;
  readonly admin?: StepReport['admin'];
  /** The case a `decide-case` step decided. */
  readonly caseId?: string;
  readonly checked: number;
  readonly failures: string[];
}

/**
 * Runs a scenario against local mode: sets the clock to `start`; for each step moves the clock to
 * the step's time, sends its callbacks (sealed with `keys`), calls the admin API or moves the
 * clock, drains the queue, reads the member's and the corp's status and checks what the step
 * expects; prints one line per step (or one JSON line for the whole run).
 */
export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioReport> {
  const write = options.write ?? ((line: string) => console.log(line));
  const corpId = scenario.corpId ?? options.keys.corpId;
  const file = options.file ?? scenario.name;
  const base = {
    scenario: scenario.name,
    file,
    corpId,
    userId: scenario.userId,
    start: new Date(scenario.start).toISOString(),
  };
  const steps: StepReport[] = [];
  const table = new ScenarioTable(scenario, write);
  if (!options.json) table.header(file, corpId);
  const finish = (extra: { warning?: string; error?: string; leftOut?: string }): ScenarioReport => {
    const checked = steps.reduce((sum, step) => sum + step.checked, 0);
    const failed = steps.reduce((sum, step) => sum + step.failures.length, 0);
    const report: ScenarioReport = {
      ...base,
      ok: failed === 0 && extra.error === undefined,
      checked,
      failed,
      steps,
      ...extra,
    };
    if (options.json) write(JSON.stringify(report));
    else table.footer(report);
    return report;
  };
  if (scenario.corpId !== undefined && scenario.corpId !== options.keys.corpId) {
    return finish({
      error:
        `the scenario watches corp ${scenario.corpId}, but callbacks are sealed for ${options.keys.corpId}: ` +
        `start the server and the replay with WECOM_CORP_ID=${scenario.corpId}`,
    });
  }
  const client = new LocalModeClient(options);
  let warning: string | undefined;
  try {
    const refused = await policyRefusal(scenario, client);
    if (refused !== undefined)
      return finish(options.leaveOutOnOtherPolicy ? { leftOut: refused } : { error: refused });
    let clock = await client.setClock(scenario.start);
    await client.drain();
    const initial = await client.views(corpId, scenario.userId);
    warning = historyOf(initial.member, initial.corp);
    const first: StepReport = {
      index: 0,
      kind: 'start',
      label: 'clock set to the start',
      clock: new Date(clock).toISOString(),
      ...initial,
      checked: 0,
      failures: [],
    };
    steps.push(first);
    if (!options.json) {
      if (warning) table.note(warning);
      table.columns();
      table.row(first);
    }
    const refs: RunRefs = {};
    for (const step of scenario.steps) {
      if (step.at > clock) clock = await client.setClock(step.at);
      const report = await runStep(step, { client, options, corpId, userId: scenario.userId, refs }, clock);
      clock = Date.parse(report.clock);
      steps.push(report);
      if (!options.json) table.row(report, step);
    }
  } catch (error) {
    if (!(error instanceof ScenarioRunError)) throw error;
    return finish({ ...optional('warning', warning), error: error.message });
  }
  return finish(optional('warning', warning));
}

/** What a step may refer to that earlier steps found out. */
interface RunRefs {
  /** The latest appeal the scenario filed, for an `appeal-decision` that names none. */
  lastAppealId?: string;
  /** The latest case a `decide-case` step decided, for `"case": "decided"`. */
  lastDecidedCase?: string;
}

/** What every step of a run shares. */
interface RunContext {
  readonly client: LocalModeClient;
  readonly options: ScenarioRunOptions;
  readonly corpId: string;
  readonly userId: string;
  /** What later steps refer to: the latest appeal filed, the latest case decided. */
  readonly refs: RunRefs;
}

/** Runs one step at `clock` (already moved to its time), reads the views and checks its expectations. */
async function runStep(step: ScenarioStep, context: RunContext, clock: number): Promise<StepReport> {
  const { client, corpId, userId } = context;
  const outcome = await outcomeOf(step, context, clock);
  const { failures } = outcome;
  let { checked } = outcome;
  const views = await client.views(corpId, userId);
  const { member, corp, case: caseExpected } = step.expect ?? {};
  if (member) checked += compare(member, views.member, 'member', failures);
  if (corp) checked += compare(corp, views.corp, 'corp', failures);
  let found: Record<string, unknown> | undefined;
  if (caseExpected) {
    const focus = outcome.caseId ?? views.member.openCases?.[0]?.id;
    const result = await checkCase(caseExpected, focus, context, failures);
    checked += result.checked;
    found = result.found;
  }
  return {
    index: step.index,
    kind: step.kind,
    label: step.label,
    clock: new Date(outcome.clock).toISOString(),
    ...optional('answers', outcome.answers),
    ...optional('admin', outcome.admin),
    ...views,
    ...optional('case', found),
    checked,
    failures,
  };
}

/** Sends what the step sends, by its kind. */
function outcomeOf(step: ScenarioStep, context: RunContext, clock: number): Promise<StepOutcome> {
  const { client, options, corpId, refs } = context;
  switch (step.kind) {
    case 'callback':
      return runCallbackStep(step, client, options, clock);
    case 'admin':
      return runAdminStep(step, client, corpId, refs, clock);
    case 'clock':
      return runClockStep(client, clock);
    default: {
      const unknown: never = step;
      throw new Error(`unknown step ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Sends each copy of a callback step `deliveries` times, counts the answers, checks their status,
 * drains the queue and moves the clock to the step's end.
 */
async function runCallbackStep(
  step: CallbackStep,
  client: LocalModeClient,
  options: ScenarioRunOptions,
  clock: number,
): Promise<StepOutcome> {
  const answers: Record<string, number> = {};
  const failures: string[] = [];
  const expected = step.expect?.status ?? 200;
  let wrong = 0;
  let firstWrong = '';
  for (let copy = 0; copy < step.repeat; copy++) {
    const request = callbackRequest(step, copy, options.keys);
    for (let delivery = 0; delivery < (options.deliveries ?? 1); delivery++) {
      const answer: CallbackAnswer = await sendCallbackRequest(
        options.url,
        request,
        options.timeoutMs ?? 10_000,
      );
      if (answer.error !== undefined)
        throw new ScenarioRunError(`${answer.error}: is \`npm start\` running?`);
      const key = `${answer.status} ${oneLine(answer.body ?? '')}`;
      answers[key] = (answers[key] ?? 0) + 1;
      if (answer.status !== expected) {
        wrong += 1;
        firstWrong ||= `callback ${copy + 1} answered ${key}`;
      }
    }
  }
  const checked = step.expect?.status !== undefined ? 1 : 0;
  if (wrong > 0) failures.push(`status: expected ${expected}; ${wrong} did not, the first: ${firstWrong}`);
  await client.drain();
  const end = step.end > clock ? await client.setClock(step.end) : clock;
  return { clock: end, answers, checked, failures };
}

/**
 * Sends an admin step's request, checks its status (the expected one, or any 2xx) and drains the
 * queue; remembers the id of an appeal filed, for a later `appeal-decision` that names none.
 */
async function runAdminStep(
  step: AdminStep,
  client: LocalModeClient,
  corpId: string,
  refs: RunRefs,
  clock: number,
): Promise<StepOutcome> {
  const failures: string[] = [];
  const caseId =
    step.request.action === 'decide-case'
      ? caseToDecide(step.request, await client.views(corpId, step.request.userId), refs.lastDecidedCase)
      : undefined;
  const { method, path, body } = adminRequest(step.request, corpId, {
    lastAppealId: refs.lastAppealId,
    caseId,
  });
  const answer = await client.request(method, path, body);
  const admin = { method, path, status: answer.status, body: answer.body };
  if (
    (step.request.action === 'appeal' || step.request.action === 'enterprise-appeal') &&
    answer.status === 201
  ) {
    refs.lastAppealId = (answer.body as { id?: string }).id ?? refs.lastAppealId;
  }
  if (caseId !== undefined && answer.status === 200) refs.lastDecidedCase = caseId;
  const expected = step.expect?.status;
  const checked = expected !== undefined ? 1 : 0;
  if (expected !== undefined ? answer.status !== expected : answer.status < 200 || answer.status >= 300) {
    failures.push(
      `status: expected ${expected ?? 'a 2xx'}, got ${answer.status} ${oneLine(JSON.stringify(answer.body))}`,
    );
  }
  await client.drain();
  return { clock, admin, ...optional('caseId', caseId), checked, failures };
}

/** A clock step: the clock is already moved; what fell due is drained. */
async function runClockStep(client: LocalModeClient, clock: number): Promise<StepOutcome> {
  await client.drain();
  return { clock, checked: 0, failures: [] };
}

/** What the member or corp carried before the scenario started, or undefined for a fresh state. */
function historyOf(member: MemberStatus, corp: CorpStatus): string | undefined {
  const signs = [
    member.strikes > 0 ? `${member.strikes} strike(s)` : '',
    member.interop.status !== 'active' ? `interop ${member.interop.status}` : '',
    member.account.status !== 'active' ? `account ${member.account.status}` : '',
    member.linkedWeChat.status !== 'normal' ? `linked WeChat ${member.linkedWeChat.status}` : '',
    corp.account.status !== 'active' ? `corp ${corp.account.status}` : '',
  ].filter(Boolean);
  if (signs.length === 0) return undefined;
  return `the state is not fresh (${signs.join(', ')}); the expectations assume \`npm start\` on an empty DATA_DIR`;
}

// ---- expectations -------------------------------------------------------------------------------
