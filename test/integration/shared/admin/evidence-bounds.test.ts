import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import { outboundEntries } from '../../../../shared/adapters/eventbridge-outbound.js';
import { storeKeys } from '../../../../shared/adapters/penalty-table.js';
import { defaultClassifier } from '../../../../shared/classifier/default-classifier.js';
import { defaultLexicon } from '../../../../shared/classifier/lexicon-classifier.js';
import { memberPath, useAdminApi } from '../../../helpers/admin-api.js';
import { aMessage, CORP_ID, HOUR, T0 } from '../../../helpers/domain-inputs.js';

/** The admin API under the default policy, classifying text with the shipped lexicon. */
const api = useAdminApi({ classifier: defaultClassifier });
const { table, effects } = api;

/** Well under DynamoDB's 400 KB item and EventBridge's 256 KB entry, whatever the message. */
const BOUND_BYTES = 16 * 1024;
/** What WeCom may send us at most (the callbacks refuse more with 413). */
const CALLBACK_LIMIT_BYTES = 256 * 1024;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** An item's size as DynamoDB counts it: attribute names plus values (strings in UTF-8). */
function itemSize(item: Record<string, AttributeValue>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += utf8(name);
    if (value.S !== undefined) size += utf8(value.S);
    else if (value.N !== undefined) size += Math.ceil(value.N.length / 2) + 1;
    else size += utf8(JSON.stringify(value));
  }
  return size;
}

/** A PutEvents entry's size as EventBridge counts it (Time 14 bytes, the rest in UTF-8). */
function entrySize(entry: PutEventsRequestEntry): number {
  return (
    14 +
    utf8(entry.Source ?? '') +
    utf8(entry.DetailType ?? '') +
    utf8(entry.Detail ?? '') +
    (entry.Resources ?? []).reduce((sum, resource) => sum + utf8(resource), 0)
  );
}

const HUGE_LINK = `http://alipay-account-verify.example.top/login?session=${'A'.repeat(200_000)}`;

/** A message of `text` as near the callback limit as `filler` repeated allows. */
function nearTheLimit(text: string, filler: string): string {
  return text + filler.repeat(Math.floor((CALLBACK_LIMIT_BYTES - 4096 - utf8(text)) / utf8(filler)));
}

/** Every phishing term of the lexicon and the huge link, filled up to the limit. */
function everyTermAndTheLink(): string {
  const terms = defaultLexicon.categories['security-threat'].terms.map((t) => t.term).join(' ');
  return nearTheLimit(`${terms} ${HUGE_LINK} `, '木马 ');
}

interface Measured {
  readonly item: number;
  readonly event: number;
  readonly answer: number;
  // biome-ignore lint/suspicious/noExplicitAny: the answer's JSON, asserted field by field
  readonly violation: any;
}

/** Evaluates the member's message as the evaluator does; measures what it leaves in the store, on the bus and in the API. */
async function evaluateAndMeasure(userId: string, text: string): Promise<Measured> {
  const message = aMessage({ userId, at: T0, text });
  effects.events.clear();
  await api.drive(message);
  const items = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
      ExpressionAttributeValues: {
        ':pk': { S: storeKeys.member(CORP_ID, userId).pk },
        ':v': { S: 'VIOLATION' },
      },
    }),
  );
  const applied = [...effects.events.values()].filter((d) => d.type === 'penalty.applied');
  const entries = outboundEntries(
    { corpId: CORP_ID, inputId: message.id, at: message.at, decisions: applied },
    'outbound',
  );
  api.at(T0 + HOUR);
  const answer = await api.call('GET', `${memberPath(userId)}/violations`);
  expect(items.Items).toHaveLength(1);
  expect(entries.length).toBeGreaterThan(0);
  expect(answer.status).toBe(200);
  return {
    item: itemSize(items.Items?.[0] ?? {}),
    event: Math.max(...entries.map(entrySize)),
    answer: utf8(JSON.stringify(answer.json)), // the body as sent: compact JSON
    violation: answer.json.violations[0],
  };
}

describe('evidence of a violation found in a huge message', () => {
  it('quotes a 200 KB look-alike link cut to 120 characters, with its full length', async () => {
    // Prepare
    const text = nearTheLimit(`${HUGE_LINK} `, '. ');
    expect(utf8(text)).toBeGreaterThan(250 * 1024);

    // Act
    const measured = await evaluateAndMeasure('link-sender', text);

    // Assess
    expect(measured.violation).toMatchObject({ rule: 'R3', category: 'security-threat' });
    const link = measured.violation.evidence.find(
      (e: { type: string; term?: string }) => e.type === 'term' && e.term?.startsWith('http://'),
    );
    expect(link).toEqual({
      type: 'term',
      term: expect.any(String),
      length: HUGE_LINK.length,
      truncated: true,
    });
    expect([...link.term].length).toBe(120);
    expect(HUGE_LINK.startsWith(link.term.split('…')[0])).toBe(true);
    expect(HUGE_LINK.endsWith(link.term.split('…')[1])).toBe(true);
    expect(measured.item).toBeLessThan(BOUND_BYTES);
    expect(measured.event).toBeLessThan(BOUND_BYTES);
    expect(measured.answer).toBeLessThan(BOUND_BYTES);
  });

  it('keeps the violation record, the outbound event and the violations answer small, whatever the terms', async () => {
    // Prepare
    const text = everyTermAndTheLink();
    expect(utf8(text)).toBeGreaterThan(250 * 1024);

    // Act
    const measured = await evaluateAndMeasure('term-sender', text);

    // Assess
    expect(measured.violation).toMatchObject({ rule: 'R3', category: 'security-threat' });
    const terms = measured.violation.evidence.filter((e: { type: string }) => e.type === 'term');
    expect(terms).toHaveLength(8);
    expect(measured.violation.evidence).toContainEqual({
      type: 'terms-not-quoted',
      count: expect.any(Number),
    });
    expect(measured.item).toBeLessThan(BOUND_BYTES);
    expect(measured.event).toBeLessThan(BOUND_BYTES);
    expect(measured.answer).toBeLessThan(BOUND_BYTES);
  });
});
