import { formatCallbackRequest, type RecordingKeys, withCorp } from '../recording.js';
import { adminRequest } from './admin-request.js';
import { callbackPlaintext, callbackRequest } from './callback-request.js';
import { BUILT_IN_POLICY } from './cases.js';
import { DECIDED_CASE, ENTERPRISE_CASE } from './constants.js';
import type { Scenario } from './types.js';

/** Prints a scenario's steps without sending anything (`--print`). */
export function printScenario(scenario: Scenario, keys: RecordingKeys, write: (line: string) => void): void {
  write(`# scenario ${scenario.name}: ${scenario.description}`);
  if (scenario.policy) {
    const { file, version } = scenario.policy;
    const needs = file === BUILT_IN_POLICY ? 'the built-in policy, no POLICY_FILE' : `POLICY_FILE=${file}`;
    write(`# needs ${needs} (version ${version})`);
  }
  write(`POST /local/clock {"set":"${new Date(scenario.start).toISOString()}"}`);
  for (const step of scenario.steps) {
    write(`# step ${step.index} at ${new Date(step.at).toISOString()}: ${step.label}`);
    if (step.kind === 'callback') {
      const show = (copy: number) => {
        write(`# plaintext: ${withCorp(callbackPlaintext(step, copy), keys.corpId)}`);
        write(formatCallbackRequest(callbackRequest(step, copy, keys)));
      };
      const last = step.repeat - 1;
      show(0);
      if (last > 1) write(`# … copies 2 to ${last} alike`);
      if (last > 0) show(last);
    } else if (step.kind === 'admin') {
      const { method, path, body } = adminRequest(step.request, scenario.corpId ?? keys.corpId, {
        lastAppealId: '<the latest appeal>',
        caseId:
          step.request.action !== 'decide-case' || step.request.caseId === undefined
            ? '<the first open case>'
            : step.request.caseId === ENTERPRISE_CASE
              ? '<the enterprise case>'
              : step.request.caseId === DECIDED_CASE
                ? '<the case decided last>'
                : step.request.caseId,
      });
      write(`${method} ${path}${body === undefined ? '' : `\n${JSON.stringify(body)}`}`);
    } else {
      write(`POST /local/clock {"set":"${new Date(step.end).toISOString()}"}`);
    }
  }
}
