import * as z from 'zod/mini';
import { EVENT_TIME_RANGE } from '../contract/index.js';
import { MalformedPayloadError } from './errors.js';
import type {
  ArchiveMessageRecord,
  ArchiveRecallRecord,
  ComplaintRecord,
  MessageRouteRecord,
  WechatStatusRecord,
} from './types.js';
import { assignDefined, check, memberIdField, printableIdField } from './validate.js';

/** More records than this in one callback is refused: a batch is meant to fit one SQS request set. */
export const MAX_RECORDS_PER_CALLBACK = 100;

const id = printableIdField;
/** Epoch milliseconds within the engine's event-time range (seconds or microseconds are refused). */
const millis = z.int().check(z.gte(EVENT_TIME_RANGE.min), z.lte(EVENT_TIME_RANGE.max));
const shortText = (max: number) => z.string().check(z.maxLength(max));

const archiveSend = z.object({
  msgid: id,
  action: z.literal('send'),
  from: id,
  tolist: z._default(z.array(printableIdField).check(z.maxLength(10_000)), []),
  roomid: z._default(z.union([z.literal(''), printableIdField]), ''),
  msgtime: millis,
  msgtype: z._default(shortText(64), ''),
  text: z.optional(z.object({ content: z.string() })),
});

/** A recall names the recalled message in `revoke.pre_msgid`; its own msgid is the recall's. */
const archiveRecall = z.object({
  msgid: id,
  action: z.literal('recall'),
  from: id,
  msgtime: millis,
  revoke: z.object({ pre_msgid: id }),
});

/** `switch` records say an enterprise-side account switch happened; they carry no message. */
const archiveSwitch = z.object({ msgid: id, action: z.literal('switch') });

const complaint = z.object({
  type: z.literal('complaint'),
  id,
  from: id,
  userId: memberIdField,
  reason: z._default(shortText(4096), ''),
  time: millis,
});

const wechatStatus = z.object({
  id,
  userId: memberIdField,
  status: z.enum(['banned', 'unbanned']),
  reason: z.optional(shortText(4096)),
  time: millis,
});

/** Parses the decrypted JSON of the message route: one record or `{"records": [...]}`. */
export function parseMessageRecords(plaintext: string): MessageRouteRecord[] {
  const json = parseJson(plaintext);
  const list = isObject(json) && Array.isArray(json.records) ? json.records : [json];
  if (list.length > MAX_RECORDS_PER_CALLBACK) {
    throw new MalformedPayloadError(`more than ${MAX_RECORDS_PER_CALLBACK} records in one callback`);
  }
  return list.map((record, index) => parseMessageRecord(record, index));
}

/** Parses the decrypted JSON of the wechat-status route. */
export function parseWechatStatusRecord(plaintext: string): WechatStatusRecord {
  const record = check(wechatStatus, parseJson(plaintext), 'wechat-status record');
  return assignDefined(
    {
      kind: 'wechat-status' as const,
      id: record.id,
      userId: record.userId,
      status: record.status,
      time: record.time,
    },
    { reason: record.reason },
  );
}

function parseMessageRecord(record: unknown, index: number): MessageRouteRecord {
  if (!isObject(record)) throw new MalformedPayloadError(`record ${index} is not an object`);
  if (record.type === 'complaint') {
    const c = check(complaint, record, `record ${index} (complaint)`);
    return {
      kind: 'complaint',
      id: c.id,
      from: c.from,
      userId: c.userId,
      reason: c.reason,
      time: c.time,
    } satisfies ComplaintRecord;
  }
  if ('msgid' in record) {
    if (record.action === 'switch') {
      const sw = check(archiveSwitch, record, `record ${index} (switch)`);
      return { kind: 'archive-switch', msgid: sw.msgid };
    }
    if (record.action === 'recall') {
      const r = check(archiveRecall, record, `record ${index} (recall)`);
      return {
        kind: 'archive-recall',
        msgid: r.msgid,
        from: r.from,
        msgtime: r.msgtime,
        recalledMsgId: r.revoke.pre_msgid,
      } satisfies ArchiveRecallRecord;
    }
    const m = check(archiveSend, record, `record ${index} (message)`);
    return assignDefined(
      {
        kind: 'archive-message' as const,
        msgid: m.msgid,
        action: m.action,
        from: m.from,
        tolist: m.tolist,
        roomid: m.roomid,
        msgtime: m.msgtime,
        msgtype: m.msgtype,
      },
      { text: m.text?.content },
    ) satisfies ArchiveMessageRecord;
  }
  throw new MalformedPayloadError(`record ${index} is neither an archive message nor a complaint`);
}

function parseJson(plaintext: string): unknown {
  try {
    return JSON.parse(plaintext);
  } catch (cause) {
    throw new MalformedPayloadError('decrypted content is not valid JSON', { cause });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
