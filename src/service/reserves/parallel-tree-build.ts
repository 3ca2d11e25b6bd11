// Builds the liability Merkle-sum tree on worker threads, byte for byte the tree buildLiabilityTree builds.
// The calling thread checks and encodes the leaves into shared memory; meanwhile workers hash aligned chunks
// of 2^k leaves up to level k in place as soon as each chunk is encoded (tree-chunks.ts); the calling thread
// then finishes the few levels above k. Small trees are built on the calling thread. The workers stay in a
// small pool that never keeps the process alive and closes with closeTreeBuildWorkers.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { assert } from '../../core/assert.ts';
import {
  type AllocateBytes,
  allocateLevels,
  type BuildLiabilityTreeResult,
  buildLiabilityTree,
  checkTreeAssets,
  completeTree,
  type EncodeLeavesResult,
  encodeLeaves,
  type LiabilityTreeInput,
  levelCount,
} from '../../core/reserves/liability-tree.ts';
import { TREE_HEIGHT } from '../../core/reserves/tree-format.ts';
import { COUNTER, ENCODING_ABORTED, type TreeBuildWorkerMessage, type TreeChunksJob } from './tree-chunks.ts';

/** Below this many leaves a tree is built on the calling thread: handing it to workers costs more. */
export const PARALLEL_BUILD_LEAVES_MIN = 4_096;
/** The most worker threads one build may use. */
export const TREE_BUILD_THREADS_MAX = 16;
/** Without a `threads` option a build uses one worker per core, at most this many. */
const DEFAULT_THREADS_MAX = 8;
/**
 * Chunks per worker: enough that a worker slowed by other work on the machine leaves little idle time at the
 * end (the last chunk is about 1/16 of a worker's share), few enough that per-chunk costs stay negligible.
 */
const CHUNKS_PER_THREAD = 16;
/** The shared encoded-leaves counter is an Int32 (Atomics.wait needs one); larger trees build in-thread. */
const PARALLEL_BUILD_LEAVES_MAX = 2 ** 31 - 1;

export interface ParallelTreeBuildOptions {
  /** Worker threads to hash with (1..TREE_BUILD_THREADS_MAX); default one per core, at most 8. */
  readonly threads?: number;
}

/** A tree-build worker failed or exited during a build, or the pool was closed under it. */
export class TreeBuildWorkerError extends Error {
  override readonly name = 'TreeBuildWorkerError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Builds the tree with worker threads. Refusals are buildLiabilityTree's, in its order (the same checks run
 * on this thread); only the hashing moves to the workers. Rejects with TreeBuildWorkerError when a worker
 * fails (it is replaced on the next build).
 */
export async function buildLiabilityTreeInParallel(
  input: LiabilityTreeInput,
  options: ParallelTreeBuildOptions = {},
): Promise<BuildLiabilityTreeResult> {
  const threads = options.threads ?? defaultThreads();
  assertThreads(threads);
  const leafCount = input.leaves.length;
  if (leafCount < PARALLEL_BUILD_LEAVES_MIN || leafCount > PARALLEL_BUILD_LEAVES_MAX) {
    return buildLiabilityTree(input);
  }
  const assetsError = checkTreeAssets(input.assets);
  if (assetsError !== null) return { ok: false, error: assetsError };
  pool ??= new TreeBuildPool();
  // Waits only for an earlier build; workers still loading get the job queued and start when loaded.
  const lease = await pool.acquire(threads);
  try {
    const assetCount = input.assets.length;
    const levels = allocateLevels(leafCount, assetCount, allocateShared);
    const chunkLevel = treeChunkLevel(leafCount, threads);
    const counters = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    let hashed: Promise<void> = Promise.resolve();
    let encodedAll = false;
    let encoded: EncodeLeavesResult;
    try {
      encoded = encodeLeaves(input.auditId, assetCount, input.leaves, allocateShared, {
        started: (preimages, offsets) => {
          hashed = lease.hash((buildId) => ({
            buildId,
            auditId: input.auditId,
            assetCount,
            leafCount,
            preimages,
            offsets,
            levels: levels.slice(0, chunkLevel + 1),
            chunkLevel,
            counters,
          }));
        },
        encoded: (count) => {
          Atomics.store(counters, COUNTER.encoded, count);
          Atomics.notify(counters, COUNTER.encoded);
          encodedAll = count === leafCount;
        },
      });
    } finally {
      // A refusal (or a crash) while encoding: workers waiting for more leaves stop instead of waiting forever.
      if (!encodedAll) {
        Atomics.store(counters, COUNTER.encoded, ENCODING_ABORTED);
        Atomics.notify(counters, COUNTER.encoded);
      }
    }
    if (!encoded.ok) {
      // The workers stop at once; the refusal is the answer even if one of them failed meanwhile.
      await hashed.catch(() => {});
      return encoded;
    }
    await hashed;
    return { ok: true, tree: completeTree(input.auditId, input.assets, encoded.leaves, levels, chunkLevel) };
  } finally {
    lease.release();
  }
}

/**
 * The chunk level k a build of `leafCount` leaves on `threads` workers uses: the largest k that still cuts
 * the leaves into at least CHUNKS_PER_THREAD chunks of 2^k per worker.
 */
export function treeChunkLevel(leafCount: number, threads: number): number {
  let level = 0;
  while (level < TREE_HEIGHT && levelCount(leafCount, level + 1) >= threads * CHUNKS_PER_THREAD) level += 1;
  return level;
}

/** Starts `threads` workers and waits until they have loaded (a service at start-up, a benchmark before timing). */
export async function startTreeBuildWorkers(threads: number = defaultThreads()): Promise<void> {
  assertThreads(threads);
  pool ??= new TreeBuildPool();
  await pool.start(threads);
}

/** Stops the pool's workers (a build running on them fails); a later build starts new ones. */
export async function closeTreeBuildWorkers(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.close();
}

function defaultThreads(): number {
  return Math.min(availableParallelism(), DEFAULT_THREADS_MAX);
}

function assertThreads(threads: number): void {
  assert(
    Number.isInteger(threads) && threads >= 1 && threads <= TREE_BUILD_THREADS_MAX,
    `a build uses 1 to ${TREE_BUILD_THREADS_MAX} threads`,
  );
}

const allocateShared: AllocateBytes = (byteLength) => new Uint8Array(new SharedArrayBuffer(byteLength));

/** The process's pool, started by the first parallel build. */
let pool: TreeBuildPool | null = null;

interface PoolWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  /** The job this worker is hashing, settled by its answer or by its failure. */
  pending: { readonly buildId: number; resolve(): void; reject(error: Error): void } | null;
}

/** The workers one build holds: it posts its job to them, then releases them for the next build. */
interface PoolLease {
  /** Posts the job to every leased worker now; settles when all have answered or one has failed. */
  hash(job: (buildId: number) => TreeChunksJob): Promise<void>;
  release(): void;
}

/**
 * Worker threads reused across builds. Builds take turns (each already uses every worker it asks for).
 * Idle workers are unreferenced, so they never keep the process alive; a worker that fails is dropped and
 * replaced by the next build.
 */
class TreeBuildPool {
  readonly #workers: PoolWorker[] = [];
  #turn: Promise<void> = Promise.resolve();
  #nextBuildId = 1;
  #closed = false;

  /** Spawns workers until there are `threads` and waits until each has loaded. */
  async start(threads: number): Promise<void> {
    const starting = this.#spawnUpTo(threads);
    for (const entry of starting) entry.worker.ref();
    try {
      await Promise.all(starting.map((entry) => entry.ready));
    } finally {
      for (const entry of starting) entry.worker.unref();
    }
  }

  /** Waits for the builds before this one, then leases `threads` workers (spawned if missing, not awaited). */
  async acquire(threads: number): Promise<PoolLease> {
    const previous = this.#turn;
    let release = (): void => {};
    this.#turn = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    let working: PoolWorker[];
    try {
      working = this.#spawnUpTo(threads);
    } catch (error) {
      release();
      throw error;
    }
    // Referenced while leased: a build awaited at the top level must not let the process exit under it.
    for (const entry of working) entry.worker.ref();
    return {
      hash: (job) => {
        const buildId = this.#nextBuildId;
        this.#nextBuildId += 1;
        const message = job(buildId);
        return Promise.all(
          working.map(
            (entry) =>
              new Promise<void>((resolve, reject) => {
                entry.pending = { buildId, resolve, reject };
                entry.worker.postMessage(message);
              }),
          ),
        ).then(() => {});
      },
      release: () => {
        for (const entry of working) {
          entry.pending = null;
          entry.worker.unref();
        }
        release();
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    await Promise.all(workers.map((entry) => entry.worker.terminate()));
  }

  #spawnUpTo(threads: number): PoolWorker[] {
    if (this.#closed) throw new TreeBuildWorkerError('the tree build workers were closed');
    while (this.#workers.length < threads) this.#workers.push(this.#spawn());
    return this.#workers.slice(0, threads);
  }

  #spawn(): PoolWorker {
    const worker = new Worker(new URL('./tree-build-worker-entry.mjs', import.meta.url));
    worker.unref();
    let loaded = (): void => {};
    let failed = (_error: Error): void => {};
    const ready = new Promise<void>((resolve, reject) => {
      loaded = resolve;
      failed = reject;
    });
    // A worker that fails before anyone waits for it must not raise an unhandled rejection.
    ready.catch(() => {});
    const entry: PoolWorker = { worker, ready, pending: null };
    const fail = (error: TreeBuildWorkerError): void => {
      const index = this.#workers.indexOf(entry);
      if (index >= 0) this.#workers.splice(index, 1);
      failed(error);
      entry.pending?.reject(error);
      entry.pending = null;
    };
    worker.on('message', (message: TreeBuildWorkerMessage) => {
      if (message.kind === 'ready') loaded();
      else if (entry.pending?.buildId === message.buildId) entry.pending.resolve();
    });
    worker.on('error', (error) =>
      fail(new TreeBuildWorkerError('a tree build worker failed', { cause: error })),
    );
    worker.on('exit', (code) =>
      fail(new TreeBuildWorkerError(`a tree build worker exited with code ${code}`)),
    );
    return entry;
  }
}
