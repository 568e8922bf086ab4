/** The public surface of shared/admin: what code outside this folder may import. */
export { createAdminDependencies } from './admin-dependencies.js';
export { createAdminHandler } from './admin-handler.js';
export { CONSOLE_API_PREFIX, MAX_ADMIN_BODY_BYTES } from './constants.js';
export type { ConsoleRole } from './types.js';
