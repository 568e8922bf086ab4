/** A random key for one user action: sent as Idempotency-Key, reused when that same action is retried. */
export function newActionKey(): string {
  return crypto.randomUUID();
}
