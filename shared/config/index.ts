/** The public surface of shared/config: what code outside this folder may import. */

export type { CallbackKeys } from './callback-keys.js';
export { loadCallbackKeys } from './callback-keys.js';
export {
  ENV,
  INGEST_QUEUE_BUDGET_MS,
  KEY_LOAD_DEADLINE_MS,
  MAX_CALLBACK_BODY_BYTES,
  OUTBOUND_EVENT_SOURCE,
  SECRET_KEYS,
  SECRETS_CLIENT_OPTIONS,
} from './constants.js';
export { memoizeAsync, requireEnv } from './env.js';
export { loadPolicySet } from './policy-file.js';
