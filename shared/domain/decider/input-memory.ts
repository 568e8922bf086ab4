import type { EngineInput } from '../types.js';
import { textKey64 } from '../windows.js';

/**
 * Inputs remembered per member or corp, so a redelivery changes nothing. For a member's input that
 * decided nothing this is the whole of exactly-once (the store keeps no marker for it: see
 * `needsMarker`), which holds because SQS FIFO redelivers a member's input before any later one.
 */
export const RECENT_INPUTS = 16;
const INPUT_KEY_LENGTH = 16;

/**
 * Inputs are remembered by 64 bits of their id: a domain event's id is already a hash (40 hex
 * digits), so its last 16 digits serve; other ids are hashed to 64 bits.
 */
export function inputKey(input: EngineInput): string {
  return 'v' in input ? input.id.slice(-INPUT_KEY_LENGTH) : textKey64(input.id);
}

/** Whether the concatenated keys hold `key` at a key boundary. */
export function remembers(keys: string, key: string): boolean {
  for (let i = keys.indexOf(key); i !== -1; i = keys.indexOf(key, i + 1)) {
    if (i % INPUT_KEY_LENGTH === 0) return true;
  }
  return false;
}

/** Appends `key`, keeping the latest RECENT_INPUTS keys. */
export function remember(keys: string, key: string): string {
  const all = keys + key;
  return all.length > RECENT_INPUTS * INPUT_KEY_LENGTH ? all.slice(-RECENT_INPUTS * INPUT_KEY_LENGTH) : all;
}
