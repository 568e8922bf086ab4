import { clip, isoTime, offsetText, oneLine, shortTime, wrap } from './text.js';
import type {
  CorpStatus,
  MemberStatus,
  Scenario,
  ScenarioReport,
  ScenarioStep,
  StepReport,
} from './types.js';

const COLUMNS = {
  index: 3,
  time: 11,
  label: 40,
  interop: 32,
  strikes: 7,
  account: 11,
  cases: 13,
  wechat: 27,
  corp: 18,
};

/** The terminal output of a run: a header, one line per step, failures under their step, a summary. */
export class ScenarioTable {
  readonly #scenario: Scenario;
  readonly #write: (line: string) => void;

  constructor(scenario: Scenario, write: (line: string) => void) {
    this.#scenario = scenario;
    this.#write = write;
  }

  header(file: string, corpId: string): void {
    const s = this.#scenario;
    this.#write(`scenario ${s.name} (${file})`);
    for (const line of wrap(s.description, 100)) this.#write(`  ${line}`);
    this.#write(
      `  member ${s.userId} of corp ${corpId}; start ${isoTime(s.start)}; times in UTC; ` +
        '* = the administrator may apply for unblocking',
    );
    this.#write(
      "  cases = the member's undecided cases (late: past their review deadline), +E = the corp's " +
        `enterprise-block case${s.policy ? `; policy ${s.policy.file} (${s.policy.version})` : ''}`,
    );
  }

  columns(): void {
    this.#write(
      [
        '#'.padStart(COLUMNS.index),
        'time'.padEnd(COLUMNS.time),
        'step'.padEnd(COLUMNS.label),
        'interop'.padEnd(COLUMNS.interop),
        'strikes'.padEnd(COLUMNS.strikes),
        'account'.padEnd(COLUMNS.account),
        'cases'.padEnd(COLUMNS.cases),
        'linked WeChat'.padEnd(COLUMNS.wechat),
        '│ corp/admin'.padEnd(COLUMNS.corp),
        'adds/day member/corp',
      ].join(' '),
    );
  }

  note(text: string): void {
    this.#write(`  note: ${text}`);
  }

  row(report: StepReport, step?: ScenarioStep): void {
    const { member, corp } = report;
    const interop = member.interop;
    const rule = interop.reason ? ` ${interop.reason.rule}` : '';
    // A provisional measure holds until its case is decided: it has no end of its own.
    const end = interop.reason?.provisional
      ? 'provisional'
      : interop.until
        ? `until ${shortTime(Date.parse(interop.until))}`
        : 'no end';
    const interopCell =
      interop.status === 'suspended'
        ? `suspended${rule} ${end}${interop.canApplyForUnblock ? '*' : ''}`
        : `${interop.status}${interop.status === 'banned' ? rule : ''}`;
    const accountCell = `${member.account.status}${member.account.reason ? ` ${member.account.reason.rule}` : ''}`;
    const linked = member.linkedWeChat;
    const wechatCell = linked.restoreAt
      ? `${linked.status}, restore ${shortTime(Date.parse(linked.restoreAt))}`
      : linked.status;
    const status = report.admin
      ? ` → ${report.admin.status}`
      : report.answers && Object.keys(report.answers).some((key) => !key.startsWith('200 '))
        ? ` → ${Object.keys(report.answers)
            .map((key) => key.split(' ')[0])
            .join('/')}`
        : '';
    const label = clip(`${report.label}`, COLUMNS.label - status.length) + status;
    const result =
      report.failures.length > 0
        ? `✗ ${report.failures.length} failed`
        : report.checked > 0
          ? `✓ ${report.checked}`
          : '';
    this.#write(
      [
        String(report.index).padStart(COLUMNS.index),
        shortTime(Date.parse(report.clock)).padEnd(COLUMNS.time),
        label.padEnd(COLUMNS.label),
        interopCell.padEnd(COLUMNS.interop),
        String(member.strikes).padEnd(COLUMNS.strikes),
        accountCell.padEnd(COLUMNS.account),
        casesCell(member, corp).padEnd(COLUMNS.cases),
        wechatCell.padEnd(COLUMNS.wechat),
        `│ ${corp.account.status}/${corp.adminAccount.status}`.padEnd(COLUMNS.corp),
        `${corp.limits.contactAddsPerMemberPerDay}/${corp.limits.contactAddsPerCorpPerDay}`.padEnd(10),
        result,
      ]
        .join(' ')
        .trimEnd(),
    );
    const indent = ' '.repeat(COLUMNS.index + 1);
    if (report.admin && (report.admin.status < 200 || report.admin.status >= 300)) {
      this.#write(`${indent}  ${report.admin.status} ${oneLine(JSON.stringify(report.admin.body))}`);
    }
    if (step?.kind === 'callback' && step.repeat > 1) {
      // The repeated step's line shows its end; say where it began.
      this.#write(
        `${indent}  ${step.repeat} callbacks from ${shortTime(step.at)}, ${offsetText(step.every)} apart`,
      );
    }
    for (const failure of report.failures) this.#write(`${indent}  ✗ ${failure}`);
  }

  footer(report: ScenarioReport): void {
    const steps = report.steps.length - 1;
    if (report.error !== undefined) this.#write(`  ✗ stopped: ${report.error}`);
    if (report.leftOut !== undefined) this.#write(`  left out: ${report.leftOut}; name its file to run it`);
    const verdict =
      report.leftOut !== undefined
        ? 'left out'
        : report.error !== undefined
          ? 'did not finish'
          : report.failed > 0
            ? `${report.failed} FAILED (${report.checked} expectations)`
            : `all ${report.checked} expectations met`;
    this.#write(`${report.scenario}: ${Math.max(steps, 0)} step(s), ${verdict}`);
  }
}

/** The member's undecided cases (`2`, `2 (1 late)`), `+E` when the corp's enterprise block waits for a reviewer. */
function casesCell(member: MemberStatus, corp: CorpStatus): string {
  const open = member.openCases ?? [];
  const late = open.filter((c) => c.status === 'expired').length;
  return `${open.length}${late > 0 ? ` (${late} late)` : ''}${corp.enterpriseCase ? ' +E' : ''}`;
}
