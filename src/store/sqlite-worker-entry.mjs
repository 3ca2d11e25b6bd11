// Worker-thread entry of the SQLite store: registers the TypeScript loader in this thread, then runs the
// worker's message loop (sqlite-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./sqlite-worker.ts');
