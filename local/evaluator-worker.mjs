// The entry of local mode's evaluator thread. A worker thread does not inherit the main thread's
// TypeScript loader, so it registers tsx itself (under `npm start`, vitest or plain node alike)
// and then loads the TypeScript module that does the work.
import { register } from 'tsx/esm/api';

register();
await import('./evaluator-worker.ts');
