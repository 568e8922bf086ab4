/** The public surface of shared/ingest: what code outside this folder may import. */
export { callbackDependenciesFromEnv } from './callback-dependencies.js';
export type { CallbackHandler } from './callback-handler.js';
export { createCallbackHandler } from './callback-handler.js';
export type { CallbackDependencies, CallbackRoute } from './process-callback.js';
export { CALLBACK_ROUTES, decodeCallback, processCallback } from './process-callback.js';
