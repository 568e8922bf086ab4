/**
 * The id rules of CONTRACT §3, one for ingest, the evaluator and the admin API, so every member
 * the engine holds can be read and managed, and no two ids look alike while being different.
 *
 * Both are single-pass character checks (no backtracking), safe on any input length.
 */

/** A member's `userId`, as WeCom documents it: 1–64 of letters, digits and `_-@.`, led by a letter or digit. */
export const MEMBER_USER_ID = /^[A-Za-z0-9][A-Za-z0-9_@.-]{0,63}$/;

/** Corp ids, external user ids and record ids: 1–128 printable ASCII characters. */
export const PRINTABLE_ID = /^[\x20-\x7e]{1,128}$/;

/** What a member id must be, for messages that explain a refusal. */
export const MEMBER_USER_ID_RULE =
  '1 to 64 letters, digits, "_", "-", "@" or ".", starting with a letter or digit';

/** What a corp, external user or record id must be, for messages that explain a refusal. */
export const PRINTABLE_ID_RULE = '1 to 128 printable ASCII characters';

/** Whether `value` is a member id of WeCom's documented form. */
export function isMemberUserId(value: string): boolean {
  return MEMBER_USER_ID.test(value);
}

/** Whether `value` is a corp, external user or record id (printable ASCII). */
export function isPrintableId(value: string): boolean {
  return PRINTABLE_ID.test(value);
}
