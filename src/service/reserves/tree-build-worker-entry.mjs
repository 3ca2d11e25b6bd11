// Worker-thread entry of the parallel liability-tree build: registers the TypeScript loader in this thread,
// then runs the worker's message loop (tree-build-worker.ts).
import { register } from 'tsx/esm/api';

register();
await import('./tree-build-worker.ts');
