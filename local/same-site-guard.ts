import type { IncomingHttpHeaders } from 'node:http';

/** The names local mode is reached by: it listens on loopback only. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'] as const;

/**
 * Why a request to an operator route (`/local/*`, `/admin/*`, `/console`) is refused, or undefined
 * when it may go on (CONTRACT §4). A web page the operator has open must not reach them: not by
 * DNS rebinding (a `Host` that is not the loopback name or address local mode listens on), and
 * not as a cross-origin browser request (an `Origin` other than the server's own, or
 * `Sec-Fetch-Site: cross-site` or `same-site`). Tools such as curl send neither header.
 */
export function refusedAsCrossSite(headers: IncomingHttpHeaders, port: number): string | undefined {
  const host = headers.host?.toLowerCase();
  const allowed = LOOPBACK_HOSTS.map((name) => `${name}:${port}`);
  if (host === undefined || !allowed.includes(host))
    return `Host must be one of ${allowed.join(', ')}: local mode serves this machine only`;
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`)
    return `a request from ${origin} is refused: the operator routes take no cross-origin requests`;
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site')
    return `a ${site} browser request is refused: the operator routes take no cross-origin requests`;
  return undefined;
}
