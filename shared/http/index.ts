/** The public surface of shared/http: what code outside this folder may import. */
export { JSON_HEADERS } from './constants.js';
export { ADMIN_RESPONSES_METRIC, CALLBACK_RESPONSES_METRIC } from './count-responses.js';
export type { HttpHandler } from './create-http-handler.js';
export { createHttpHandler } from './create-http-handler.js';
