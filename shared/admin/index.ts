/** The public surface of shared/admin: what code outside this folder may import. */
export { createAdminDependencies } from './admin-dependencies.js';
export { createAdminHandler } from './admin-handler.js';
export { MAX_ADMIN_BODY_BYTES } from './constants.js';
