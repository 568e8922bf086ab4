import { describe, expect, it } from 'vitest';
import { MalformedPayloadError } from '../../../../shared/wecom/errors.js';
import {
  MAX_RECORDS_PER_CALLBACK,
  parseMessageRecords,
  parseWechatStatusRecord,
} from '../../../../shared/wecom/records.js';
import { expectWecomError } from '../../../helpers/wecom-assertions.js';

/** The archive message record of WECOM-PROTOCOL.md, as the archive SDK returns it. */
const SEND_RECORD = {
  msgid: 'CAQQluDa4QUY0On2rYSAgAMgzPrShAE=',
  action: 'send',
  from: 'XuJinSheng',
  tolist: ['icefog'],
  roomid: '',
  msgtime: 1547087894783,
  msgtype: 'text',
  text: { content: 'test' },
} as const;

const RECALL_RECORD = {
  msgid: '15775510700152506326_1603875624',
  action: 'recall',
  from: 'kenshin',
  tolist: ['wmUu0zBgAALV7hobVYg7lsCrzqqyEi-A'],
  roomid: '',
  msgtime: 1603875624476,
  msgtype: 'revoke',
  revoke: { pre_msgid: '14822339130656386894_1603875600' },
} as const;

const SWITCH_RECORD = {
  msgid: '125289002219525886280',
  action: 'switch',
  time: 1554119421840,
  user: 'XuJinSheng',
} as const;

const COMPLAINT_RECORD = {
  type: 'complaint',
  id: 'complaint-0001',
  from: 'wmUu0zBgAALV7hobVYg7lsCrzqqyEi-A',
  userId: 'XuJinSheng',
  reason: 'harassment',
  time: 1700000000000,
} as const;

describe('parseMessageRecords', () => {
  it('reads an archive send record', () => {
    // Act
    const records = parseMessageRecords(JSON.stringify(SEND_RECORD));

    // Assess
    expect(records).toEqual([
      {
        kind: 'archive-message',
        msgid: SEND_RECORD.msgid,
        action: 'send',
        from: 'XuJinSheng',
        tolist: ['icefog'],
        roomid: '',
        msgtime: 1547087894783,
        msgtype: 'text',
        text: 'test',
      },
    ]);
  });

  it('reads a group message, keeping its room id', () => {
    // Prepare
    const record = { ...SEND_RECORD, roomid: 'wrjc7bDwYAySAAAAAAAAAA', tolist: ['icefog', 'wmA', 'wmB'] };

    // Act
    const records = parseMessageRecords(JSON.stringify(record));

    // Assess
    expect(records[0]).toMatchObject({ roomid: 'wrjc7bDwYAySAAAAAAAAAA', tolist: ['icefog', 'wmA', 'wmB'] });
  });

  it('reads an archive recall record with the id of the recalled message', () => {
    // Act
    const records = parseMessageRecords(JSON.stringify(RECALL_RECORD));

    // Assess
    expect(records).toEqual([
      {
        kind: 'archive-recall',
        msgid: RECALL_RECORD.msgid,
        from: 'kenshin',
        msgtime: 1603875624476,
        recalledMsgId: '14822339130656386894_1603875600',
      },
    ]);
  });

  it('refuses a recall record that does not name the recalled message', () => {
    // Prepare
    const { revoke: _revoke, ...withoutRevoke } = RECALL_RECORD;

    // Act
    const parsing = () => parseMessageRecords(JSON.stringify(withoutRevoke));

    // Assess
    expect(parsing).toThrow(/revoke/);
  });

  it('reads an archive switch record, which carries no message', () => {
    // Act
    const records = parseMessageRecords(JSON.stringify(SWITCH_RECORD));

    // Assess
    expect(records).toEqual([{ kind: 'archive-switch', msgid: SWITCH_RECORD.msgid }]);
  });

  it('reads a customer complaint', () => {
    // Act
    const records = parseMessageRecords(JSON.stringify(COMPLAINT_RECORD));

    // Assess
    expect(records).toEqual([
      {
        kind: 'complaint',
        id: 'complaint-0001',
        from: COMPLAINT_RECORD.from,
        userId: 'XuJinSheng',
        reason: 'harassment',
        time: 1700000000000,
      },
    ]);
  });

  it('reads a complaint without a reason as an empty reason', () => {
    // Prepare
    const { reason: _reason, ...withoutReason } = COMPLAINT_RECORD;

    // Act
    const records = parseMessageRecords(JSON.stringify(withoutReason));

    // Assess
    expect(records[0]).toMatchObject({ kind: 'complaint', reason: '' });
  });

  it('reads a message without tolist, roomid, msgtype or text with empty defaults', () => {
    // Prepare
    const record = { msgid: 'm1', action: 'send', from: 'XuJinSheng', msgtime: 1547087894783 };

    // Act
    const records = parseMessageRecords(JSON.stringify(record));

    // Assess
    expect(records).toEqual([
      {
        kind: 'archive-message',
        msgid: 'm1',
        action: 'send',
        from: 'XuJinSheng',
        tolist: [],
        roomid: '',
        msgtime: 1547087894783,
        msgtype: '',
      },
    ]);
  });

  it('reads an image message without text', () => {
    // Prepare
    const { text: _text, ...rest } = SEND_RECORD;
    const record = { ...rest, msgtype: 'image', image: { md5sum: '50de8e5ae8ffe4f1df7a93841f71993a' } };

    // Act
    const records = parseMessageRecords(JSON.stringify(record));

    // Assess
    expect(records[0]).toMatchObject({ msgtype: 'image' });
    expect(records[0]).not.toHaveProperty('text');
  });

  it('reads a {"records": [...]} batch in order', () => {
    // Prepare
    const batch = { records: [SEND_RECORD, COMPLAINT_RECORD, SWITCH_RECORD, RECALL_RECORD] };

    // Act
    const records = parseMessageRecords(JSON.stringify(batch));

    // Assess
    expect(records.map((record) => record.kind)).toEqual([
      'archive-message',
      'complaint',
      'archive-switch',
      'archive-recall',
    ]);
    expect(records[3]).toMatchObject({
      msgid: RECALL_RECORD.msgid,
      recalledMsgId: RECALL_RECORD.revoke.pre_msgid,
    });
  });

  it(`accepts a batch of ${MAX_RECORDS_PER_CALLBACK} records`, () => {
    // Prepare
    const batch = {
      records: Array.from({ length: MAX_RECORDS_PER_CALLBACK }, (_, i) => ({
        ...SEND_RECORD,
        msgid: `m${i}`,
      })),
    };

    // Act
    const records = parseMessageRecords(JSON.stringify(batch));

    // Assess
    expect(records).toHaveLength(MAX_RECORDS_PER_CALLBACK);
    expect(records[MAX_RECORDS_PER_CALLBACK - 1]).toMatchObject({
      msgid: `m${MAX_RECORDS_PER_CALLBACK - 1}`,
    });
  });

  it('keeps a msgid beyond 2^53 exact when it comes as a string', () => {
    // Prepare
    const msgid = '18446744073709551615';
    const text = `{"msgid":"${msgid}","action":"send","from":"XuJinSheng","tolist":["icefog"],"roomid":"","msgtime":1547087894783,"msgtype":"text","text":{"content":"test"}}`;

    // Act
    const records = parseMessageRecords(text);

    // Assess
    expect(records[0]).toMatchObject({ msgid });
  });

  it.each([
    ['is not JSON', 'not json'],
    ['is empty', ''],
    ['is cut short', JSON.stringify(SEND_RECORD).slice(0, -1)],
    ['is a top-level array', JSON.stringify([SEND_RECORD])],
    ['is a string', JSON.stringify('record')],
    ['is null', 'null'],
    [
      'has neither msgid nor complaint type',
      JSON.stringify({ action: 'send', from: 'XuJinSheng', msgtime: 1 }),
    ],
    ['has an unknown action', JSON.stringify({ ...SEND_RECORD, action: 'delete' })],
    ['has no action', JSON.stringify({ ...SEND_RECORD, action: undefined })],
    ['has msgtime as a string', JSON.stringify({ ...SEND_RECORD, msgtime: '1547087894783' })],
    ['has a fractional msgtime', JSON.stringify({ ...SEND_RECORD, msgtime: 1547087894783.5 })],
    ['has a negative msgtime', JSON.stringify({ ...SEND_RECORD, msgtime: -1 })],
    [
      'has msgid as a number, losing precision',
      `{"msgid":18446744073709551615,"action":"send","from":"a","msgtime":1}`,
    ],
    ['has an empty msgid', JSON.stringify({ ...SEND_RECORD, msgid: '' })],
    ['has no from', JSON.stringify({ ...SEND_RECORD, from: undefined })],
    ['has tolist as a string', JSON.stringify({ ...SEND_RECORD, tolist: 'icefog' })],
    ['has text without content', JSON.stringify({ ...SEND_RECORD, text: { body: 'test' } })],
    ['is a switch without msgid', JSON.stringify({ action: 'switch', time: 1 })],
    ['is a complaint without userId', JSON.stringify({ ...COMPLAINT_RECORD, userId: undefined })],
    ['is a complaint with time as a string', JSON.stringify({ ...COMPLAINT_RECORD, time: '1700000000000' })],
    ['is a batch holding a non-object', JSON.stringify({ records: [SEND_RECORD, 'oops'] })],
    ['is a batch holding an invalid record', JSON.stringify({ records: [SEND_RECORD, { msgid: 'm2' }] })],
    [
      `is a batch of ${MAX_RECORDS_PER_CALLBACK + 1} records`,
      JSON.stringify({ records: Array.from({ length: MAX_RECORDS_PER_CALLBACK + 1 }, () => SEND_RECORD) }),
    ],
  ])('rejects content that %s with a 400 MalformedPayloadError', (_case, text) => {
    // Act & Assess
    expectWecomError(() => parseMessageRecords(text), MalformedPayloadError, 400);
  });

  it('names the invalid field and the record it is in', () => {
    // Prepare
    const text = JSON.stringify({ records: [SEND_RECORD, { ...SEND_RECORD, msgtime: '1547087894783' }] });

    // Act
    const error = expectWecomError(() => parseMessageRecords(text), MalformedPayloadError, 400);

    // Assess
    expect(error.message).toContain('record 1');
    expect(error.message).toContain('msgtime');
  });
});

describe('parseWechatStatusRecord', () => {
  it('reads a ban with its reason', () => {
    // Prepare
    const text = JSON.stringify({
      id: 'status-1',
      userId: 'XuJinSheng',
      status: 'banned',
      reason: 'spam',
      time: 1700000000000,
    });

    // Act
    const record = parseWechatStatusRecord(text);

    // Assess
    expect(record).toEqual({
      kind: 'wechat-status',
      id: 'status-1',
      userId: 'XuJinSheng',
      status: 'banned',
      reason: 'spam',
      time: 1700000000000,
    });
  });

  it('reads an unban without a reason, leaving reason out', () => {
    // Prepare
    const text = JSON.stringify({
      id: 'status-2',
      userId: 'XuJinSheng',
      status: 'unbanned',
      time: 1700000360000,
    });

    // Act
    const record = parseWechatStatusRecord(text);

    // Assess
    expect(record).toEqual({
      kind: 'wechat-status',
      id: 'status-2',
      userId: 'XuJinSheng',
      status: 'unbanned',
      time: 1700000360000,
    });
    expect(record).not.toHaveProperty('reason');
  });

  const valid = { id: 'status-1', userId: 'XuJinSheng', status: 'banned', time: 1700000000000 };

  it.each([
    ['is not JSON', '{id: 1}'],
    ['has an unknown status', JSON.stringify({ ...valid, status: 'suspended' })],
    ['has no userId', JSON.stringify({ ...valid, userId: undefined })],
    ['has no id', JSON.stringify({ ...valid, id: undefined })],
    ['has time as a string', JSON.stringify({ ...valid, time: '1700000000000' })],
    ['has time in fractional form', JSON.stringify({ ...valid, time: 1.5 })],
    ['has a numeric reason', JSON.stringify({ ...valid, reason: 42 })],
    ['is a batch', JSON.stringify({ records: [valid] })],
  ])('rejects a record that %s with a 400 MalformedPayloadError', (_case, text) => {
    // Act & Assess
    expectWecomError(() => parseWechatStatusRecord(text), MalformedPayloadError, 400);
  });
});
