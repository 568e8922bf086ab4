import { useEffect, useState } from 'preact/hooks';

/** A console page, from the location's hash. */
export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'member'; readonly userId: string }
  | { readonly page: 'review'; readonly caseId: string | null }
  | { readonly page: 'appeals' }
  | { readonly page: 'policy' };

/** `#/`, `#/members/<id>`, `#/review`, `#/review/<caseId>`, `#/appeals`, `#/policy`. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/');
  const [first, second] = parts;
  if (first === 'members' && second) return { page: 'member', userId: decodeURIComponent(second) };
  if (first === 'review') return { page: 'review', caseId: second ? decodeURIComponent(second) : null };
  if (first === 'appeals') return { page: 'appeals' };
  if (first === 'policy') return { page: 'policy' };
  return { page: 'overview' };
}

/** The hash of a member's page. */
export function memberHref(userId: string): string {
  return `#/members/${encodeURIComponent(userId)}`;
}

/** The current route, following hash changes, and which visit this is (one more at each change). */
export function useRoute(): { readonly route: Route; readonly visit: number } {
  const [state, setState] = useState(() => ({ route: parseRoute(location.hash), visit: 0 }));
  useEffect(() => {
    const onChange = () =>
      setState((previous) => ({ route: parseRoute(location.hash), visit: previous.visit + 1 }));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return state;
}
