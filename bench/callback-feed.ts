import type autocannon from 'autocannon';

/** Where the next pre-built callback of a load run is taken from. */
export interface CallbackFeed<C> {
  readonly callbacks: readonly C[];
  next: number;
}

/** How one callback is posted. */
export interface PostedCallback {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/** autocannon's `requests`: each request POSTs the feed's next callback, and fails once it runs out. */
export function feedRequests<C>(
  feed: CallbackFeed<C>,
  post: (callback: C) => PostedCallback,
): autocannon.RequestSpec[] {
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
