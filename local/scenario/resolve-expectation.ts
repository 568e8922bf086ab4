import type * as z from 'zod/mini';
import { durationMs } from '../../shared/domain/index.js';
import { type expectationSchema, isIsoTime } from './scenario-schema.js';
import type { StepExpectation } from './types.js';

/** An expectation as the file writes it, its times (ISO or a duration from `start`) made epoch ms. */
export function resolveExpectation(
  expectation: z.output<typeof expectationSchema> | undefined,
  start: number,
): StepExpectation | undefined {
  if (expectation === undefined) return undefined;
  const time = (value: string | null | undefined) =>
    value === undefined || value === null
      ? value
      : isIsoTime(value)
        ? Date.parse(value)
        : start + durationMs(value);
  const { member } = expectation;
  if (!member) return expectation as StepExpectation;
  const { interop, linkedWeChat } = member;
  return {
    ...expectation,
    member: {
      ...member,
      ...(interop ? { interop: withTime(interop, 'until', time(interop.until)) } : {}),
      ...(linkedWeChat
        ? { linkedWeChat: withTime(linkedWeChat, 'restoreAt', time(linkedWeChat.restoreAt)) }
        : {}),
    },
  } as StepExpectation;
}

function withTime<T extends object, K extends string>(
  value: T,
  key: K,
  time: number | null | undefined,
): T & { [P in K]?: number | null } {
  return (time === undefined ? value : { ...value, [key]: time }) as T & { [P in K]?: number | null };
}
