import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, type Fetched } from './api.js';
import type { ConsoleConfig } from './config.js';

/** `GET /admin/me`: who is signed in and what their groups allow. */
export interface Me {
  readonly kind: 'machine' | 'person';
  readonly name: string | null;
  readonly roles: readonly string[];
  readonly permissions: readonly ('read' | 'decide' | 'administer')[];
}

/** What every page reads: the API, the config, who is signed in, the corp's time zone. */
export interface ConsoleContextValue {
  readonly api: Api;
  readonly config: ConsoleConfig;
  readonly me: Me;
  readonly timeZone: string;
  /** Whom a decision is recorded under when the server does not know the person (a machine token). */
  readonly reviewer: string;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

/** The console's context (inside the signed-in app only). */
export function useConsole(): ConsoleContextValue {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}

/** Whether the signed-in person may do this (the server refuses the rest anyway). */
export function useCan(permission: Me['permissions'][number]): boolean {
  return useConsole().me.permissions.includes(permission);
}

/** A GET's state: loading, its data, or its error (a 404 from a route not deployed yet shows as unavailable). */
export type Load<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly fetched: Fetched<T> }
  | { readonly state: 'error'; readonly error: ApiError };

/** GETs a path (null: nothing yet), again when it or `version` changes; reload() fetches again. */
export function useGet<T>(path: string | null, version = 0): [Load<T>, () => void] {
  const { api } = useConsole();
  const [load, setLoad] = useState<Load<T>>({ state: 'loading' });
  const [tick, setTick] = useState(0);
  // tick and version ask for the same path again.
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoad((previous) => (previous.state === 'ok' ? previous : { state: 'loading' }));
    api.get<T>(path).then(
      (fetched) => live && setLoad({ state: 'ok', fetched }),
      (error: unknown) =>
        live &&
        setLoad({
          state: 'error',
          error: error instanceof ApiError ? error : new ApiError(0, String(error)),
        }),
    );
    return () => {
      live = false;
    };
  }, [api, path, tick, version]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [load, reload];
}

/** The corp's path under the API base. */
export function corpPath(config: ConsoleConfig, rest = ''): string {
  return `/corps/${encodeURIComponent(config.corpId)}${rest}`;
}
