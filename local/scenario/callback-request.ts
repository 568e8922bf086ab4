import {
  buildCallbackRequest,
  type CallbackHttpRequest,
  type PlaintextRecording,
  type RecordingKeys,
} from '../recording.js';
import type { CallbackStep } from './types.js';

/** The callbacks a step sends: each copy's plaintext, its event times filled in, and its sealed request. */

/** The event time of copy `copy` of a callback step (epoch ms): from its `eventAt`, else its `at`. */
export function copyTime(step: CallbackStep, copy: number): number {
  return (step.eventAt ?? step.at) + copy * step.every;
}

/**
 * The plaintext of copy `copy` (0-based) of a callback step: `{n}` in every string becomes the
 * copy's number (1-based, zero-padded to the width of `repeat`), and the event's own time fields
 * are the copy's time: `CreateTime` (seconds) in XML, `msgtime` (ms) in an archive record (one
 * with `msgid`), `time` (ms) in a complaint or WeChat status record.
 */
export function callbackPlaintext(step: CallbackStep, copy: number): string {
  const at = copyTime(step, copy);
  const n = String(copy + 1).padStart(String(step.repeat).length, '0');
  const content = substitute(step.content, n) as CallbackStep['content'];
  if (step.route === 'contact') {
    const seconds = String(Math.floor(at / 1000));
    return typeof content === 'string' ? withCreateTime(content, seconds) : xmlOf(content, seconds);
  }
  const record = content as Record<string, unknown>;
  const timed = (r: unknown) =>
    typeof r === 'object' && r !== null && !Array.isArray(r)
      ? { ...r, ...('msgid' in r ? { msgtime: at } : { time: at }) }
      : r;
  return JSON.stringify(
    Array.isArray(record.records) ? { ...record, records: record.records.map(timed) } : timed(record),
  );
}

function substitute(value: unknown, n: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{n}', n);
  if (Array.isArray(value)) return value.map((item) => substitute(item, n));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, n)]));
  }
  return value;
}

/** Sets `<CreateTime>` of event XML, adding it after `<ToUserName>` (or first) when missing. */
function withCreateTime(xml: string, seconds: string): string {
  const element = `<CreateTime>${seconds}</CreateTime>`;
  // indexOf, not /<CreateTime>[\s\S]*?<\/CreateTime>/, which scans to the end of the text from each
  // <CreateTime> when none is closed (quadratic); the first one and the first close after it, as that did.
  const open = xml.indexOf('<CreateTime>');
  const close = open < 0 ? -1 : xml.indexOf('</CreateTime>', open);
  if (close >= 0) return `${xml.slice(0, open)}${element}${xml.slice(close + '</CreateTime>'.length)}`;
  const afterTo = /<\/ToUserName>/;
  if (afterTo.test(xml)) return xml.replace(afterTo, (end) => `${end}${element}`);
  return xml.replace(/<xml>/, (open) => `${open}${element}`);
}

/** Event XML from its fields, with WeCom's header (ToUserName, FromUserName, CreateTime, MsgType) where not given. */
function xmlOf(fields: Readonly<Record<string, unknown>>, seconds: string): string {
  const all: Record<string, unknown> = {
    ToUserName: fields.ToUserName ?? 'ww0000000000000000',
    FromUserName: fields.FromUserName ?? 'sys',
    CreateTime: seconds,
    MsgType: fields.MsgType ?? 'event',
    ...Object.fromEntries(
      Object.entries(fields).filter(
        ([name]) => !['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'].includes(name),
      ),
    ),
  };
  const body = Object.entries(all)
    .map(([name, value]) =>
      typeof value === 'number' || name === 'CreateTime'
        ? `<${name}>${String(value)}</${name}>`
        : `<${name}><![CDATA[${String(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]></${name}>`,
    )
    .join('');
  return `<xml>${body}</xml>`;
}

/** The sealed request of copy `copy` of a callback step. */
export function callbackRequest(step: CallbackStep, copy: number, keys: RecordingKeys): CallbackHttpRequest {
  const recording: PlaintextRecording = {
    form: 'plaintext',
    description: step.label,
    route: step.route,
    envelope: step.envelope,
    agentId: step.agentId,
    plaintext: callbackPlaintext(step, copy),
  };
  return buildCallbackRequest(recording, keys);
}
