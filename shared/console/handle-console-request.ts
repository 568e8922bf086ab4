import type { ConsoleAssets } from './console-assets.js';
import { type ConsoleClientConfig, consoleCsp } from './console-config.js';

/** The console as the admin handler serves it: its files (loaded once, when first asked) and config. */
export interface ConsoleSite {
  readonly assets: () => Promise<ConsoleAssets>;
  readonly config: ConsoleClientConfig;
}

/** An HTTP answer (the admin handler's shape). */
export interface ConsoleResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Whether a path is the console's (its page, config and files; not its API, `/console/api/...`). */
export function isConsolePath(path: string): boolean {
  return (path === '/console' || path.startsWith('/console/')) && !path.startsWith('/console/api/');
}

const COMMON = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

/** The page: no inline script or style, only the hashed files by absolute path. */
export function consoleIndexHtml(assets: ConsoleAssets): string {
  return [
    '<!doctype html>',
    '<html lang="en" data-state="loading">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>WeCom enforcement console</title>',
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="/console/assets/${assets.style}">`,
    `<script type="module" src="/console/assets/${assets.script}"></script>`,
    '</head>',
    '<body><div id="app"></div></body>',
    '</html>',
  ].join('\n');
}

/**
 * Answers a request for the console: `/console` and `/console/` (the page, with the CSP),
 * `/console/config.json`, `/console/assets/<name>` (immutable: names are content-hashed); GET and
 * HEAD only (405 otherwise), 404 for anything else. It carries no data: no caller is needed.
 */
export async function handleConsoleRequest(
  method: string,
  path: string,
  site: ConsoleSite,
): Promise<ConsoleResponse> {
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      statusCode: 405,
      headers: { ...COMMON, allow: 'GET, HEAD', 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'method not allowed' }),
    };
  }
  const head = method === 'HEAD';
  const answer = (statusCode: number, headers: Record<string, string>, body: string): ConsoleResponse => ({
    statusCode,
    headers: { ...COMMON, ...headers },
    body: head ? '' : body,
  });
  if (path === '/console' || path === '/console/') {
    const assets = await site.assets();
    return answer(
      200,
      {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': consoleCsp(site.config),
      },
      consoleIndexHtml(assets),
    );
  }
  if (path === '/console/config.json') {
    return answer(
      200,
      { 'content-type': 'application/json', 'cache-control': 'no-store' },
      JSON.stringify(site.config),
    );
  }
  const name = path.startsWith('/console/assets/') ? path.slice('/console/assets/'.length) : null;
  const asset = name ? (await site.assets()).files.get(name) : undefined;
  if (!asset) {
    return answer(
      404,
      { 'content-type': 'application/json', 'cache-control': 'no-store' },
      JSON.stringify({ error: 'not found' }),
    );
  }
  return answer(
    200,
    { 'content-type': asset.contentType, 'cache-control': 'public, max-age=31536000, immutable' },
    asset.body.toString('utf8'),
  );
}
