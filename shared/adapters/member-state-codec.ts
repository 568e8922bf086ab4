import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { MemberState } from '../domain/index.js';

/**
 * How a member's state is stored: its JSON, deflated, as a binary attribute. Nearly every input
 * rewrites the state inside a transaction, where DynamoDB charges 2 write units per KB begun: the
 * policy bench's states average 2.1 KB of JSON (3 KB begun, 6 units a write) and deflate to 0.67 KB
 * (98 % under 1 KB: 2 units), for about 50 µs of CPU a write and read (`npm run bench -- cost`).
 * States stored before it (JSON in a string attribute) are read as they are, and written deflated
 * at their next change.
 */

/** Level 6 (zlib's default): within 2 % of level 9's size at about half its time on these states. */
const LEVEL = 6;
/** More than any state's JSON (DynamoDB's items stop at 400 KB): a bound on what inflating may make. */
const MAX_STATE_BYTES = 1024 * 1024;

/** The stored form of a member's state. */
export function encodeMemberState(state: MemberState): AttributeValue {
  return { B: deflateRawSync(Buffer.from(JSON.stringify(state)), { level: LEVEL }) };
}

/** The member's state a stored `state` attribute holds (deflated or, stored before, JSON), or null for none. */
export function decodeMemberState(value: AttributeValue | undefined): MemberState | null {
  if (value?.B !== undefined) {
    const json = inflateRawSync(value.B, { maxOutputLength: MAX_STATE_BYTES }).toString('utf8');
    return JSON.parse(json) as MemberState;
  }
  if (value?.S !== undefined) return JSON.parse(value.S) as MemberState;
  return null;
}
