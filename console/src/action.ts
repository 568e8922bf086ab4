import { useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';
import { useConsole } from './context.js';
import { newActionKey } from './ids.js';

/** A command's state: its error text (a refusal, shown in the alert region), and whether it is under way. */
export interface Action {
  readonly busy: boolean;
  readonly error: string | null;
  /** POSTs: one Idempotency-Key per user action, the same when that action is retried after an error. */
  run<T>(path: string, body: unknown, onDone: (result: T) => void): Promise<void>;
  /** Forgets the key: the next run is a new action. */
  reset(): void;
}

/** A command the user sends (a decision, an application, an appeal). */
export function useAction(): Action {
  const { api } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useRef<{ target: string; key: string } | null>(null);
  return {
    busy,
    error,
    reset: () => {
      key.current = null;
      setError(null);
    },
    run: async <T>(path: string, body: unknown, onDone: (result: T) => void) => {
      const target = `${path} ${JSON.stringify(body)}`;
      if (key.current?.target !== target) key.current = { target, key: newActionKey() };
      setBusy(true);
      setError(null);
      try {
        const { data } = await api.post<T>(path, body, key.current.key);
        key.current = null;
        onDone(data);
      } catch (caught) {
        // A refusal that will not change on retry needs a new action (and key); a network error keeps it.
        if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) key.current = null;
        setError(caught instanceof Error ? caught.message : String(caught));
      } finally {
        setBusy(false);
      }
    },
  };
}
