// Worker thread of the parallel liability-tree build (parallel-tree-build.ts): answers each posted job by
// hashing chunks of it (tree-chunks.ts) and says when it has loaded.

import { parentPort } from 'node:worker_threads';
import { assert } from '../../core/assert.ts';
import { hashTreeChunks, type TreeBuildWorkerMessage, type TreeChunksJob } from './tree-chunks.ts';

const port = parentPort;
assert(port !== null, 'tree-build-worker runs in a worker thread');
port.on('message', (job: TreeChunksJob) => {
  const message: TreeBuildWorkerMessage = { kind: 'done', buildId: job.buildId, ...hashTreeChunks(job) };
  port.postMessage(message);
});
port.postMessage({ kind: 'ready' } satisfies TreeBuildWorkerMessage);
