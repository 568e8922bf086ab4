import type autocannon from 'autocannon';

/** What the e2e and local-http benches share around autocannon: a feed of pre-built requests and the run's counts. */

/** Where the next pre-built callback of a load run is taken from. */
export interface Feed<T> {
  readonly callbacks: readonly T[];
  next: number;
}

/** A pre-built POST: its path (with the query), content type and body. */
export interface FedPost {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/** autocannon's `requests` option: each request POSTs the feed's next callback; throws when it runs out. */
export function feedRequests<T>(feed: Feed<T>, post: (callback: T) => FedPost): autocannon.RequestSpec[] {
  return [
    {
      setupRequest: (request) => {
        const callback = feed.callbacks[feed.next];
        if (!callback) throw new Error('ran out of pre-built callbacks');
        feed.next += 1;
        const { path, contentType, body } = post(callback);
        return {
          ...request,
          method: 'POST',
          path,
          headers: { ...request.headers, 'content-type': contentType },
          body,
        };
      },
    },
  ];
}

/** How many requests a run sent: those answered and those that failed. */
export function sentCount(result: autocannon.Result): number {
  return Object.values(result.statusCodeStats).reduce((sum, stat) => sum + stat.count, 0) + result.errors;
}

/** The answers of a run as `200×n 400×m`, with the errors and timeouts when there were any. */
export function statusCodesText(result: autocannon.Result): string {
  return (
    Object.entries(result.statusCodeStats)
      .map(([code, stat]) => `${code}×${stat.count}`)
      .join(' ') + (result.errors > 0 ? ` errors×${result.errors} (timeouts ${result.timeouts})` : '')
  );
}
