import { useEffect } from 'preact/hooks';

/** Marks the page ready once its data is on screen (tests and the bench wait on data-state="ready"). */
export function useReady(ready: boolean): void {
  useEffect(() => {
    if (ready) document.documentElement.dataset.state = 'ready';
  }, [ready]);
}
