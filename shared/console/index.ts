/** The public surface of shared/console: the console's static site, served by the admin handler. */
export {
  type ConsoleAsset,
  type ConsoleAssets,
  type ConsoleBuildFiles,
  consoleAssetsFromBuild,
  loadConsoleAssets,
} from './console-assets.js';
export {
  CONSOLE_SCOPES,
  type ConsoleAuth,
  type ConsoleClientConfig,
  consoleConfigFromEnv,
  consoleCsp,
} from './console-config.js';
export {
  type ConsoleResponse,
  type ConsoleSite,
  consoleIndexHtml,
  handleConsoleRequest,
  isConsolePath,
} from './handle-console-request.js';
