// The work of the parallel liability-tree build's workers (tree-build-worker.ts runs it): pull aligned chunks
// of 2^k leaves from a shared counter and hash each chunk's leaves and its levels 1..k in place, in shared
// memory, as soon as the calling thread has encoded the chunk's leaves. Records of one aligned chunk depend
// on no other chunk, so workers never wait for each other.

import { assert } from '../../core/assert.ts';
import {
  type EncodedLeaves,
  hashLeafRange,
  hashNodeRange,
  levelCount,
  paddingRecord,
} from '../../core/reserves/liability-tree.ts';

/** Indexes into TreeChunksJob.counters. */
export const COUNTER = { encoded: 0, nextChunk: 1 } as const;
/** The encoded count once the calling thread stops encoding without a tree (a refusal or a crash). */
export const ENCODING_ABORTED = -1;

/** One build's work as posted to each worker; every array is a view of shared memory. */
export interface TreeChunksJob {
  readonly buildId: number;
  readonly auditId: Uint8Array;
  readonly assetCount: number;
  readonly leafCount: number;
  readonly preimages: Uint8Array;
  readonly offsets: Uint32Array;
  /** Levels 0..chunkLevel of the tree, as allocateLevels lays them out. */
  readonly levels: readonly Uint8Array[];
  /** Chunks hold 2^chunkLevel leaves; the worker fills levels 0..chunkLevel of each chunk it takes. */
  readonly chunkLevel: number;
  /**
   * Shared counters: [COUNTER.encoded] is how many leaves the calling thread has encoded so far
   * (ENCODING_ABORTED once it gives up), [COUNTER.nextChunk] the next chunk to take (Atomics.add hands each
   * chunk to exactly one worker).
   */
  readonly counters: Int32Array;
}

/** What a worker posts: once when it has loaded, then once per job. */
export type TreeBuildWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly buildId: number; readonly chunks: number; readonly aborted: boolean };

/**
 * Takes chunks until none is left and hashes each up to the chunk level once its leaves are encoded; stops
 * when the encoding is abandoned. Returns how many chunks it hashed and whether it stopped early.
 */
export function hashTreeChunks(job: TreeChunksJob): { chunks: number; aborted: boolean } {
  const { assetCount, leafCount, chunkLevel, levels, counters } = job;
  assert(levels.length === chunkLevel + 1, 'a job carries the levels up to its chunk level');
  const leaves: EncodedLeaves = { count: leafCount, preimages: job.preimages, offsets: job.offsets };
  const chunkCount = levelCount(leafCount, chunkLevel);
  const paddings = Array.from({ length: chunkLevel }, (_, level) =>
    paddingRecord(job.auditId, level, assetCount),
  );
  let hashed = 0;
  for (
    let chunk = Atomics.add(counters, COUNTER.nextChunk, 1);
    chunk < chunkCount;
    chunk = Atomics.add(counters, COUNTER.nextChunk, 1)
  ) {
    const firstLeaf = chunk * 2 ** chunkLevel;
    const endLeaf = Math.min(leafCount, firstLeaf + 2 ** chunkLevel);
    if (!waitUntilEncoded(counters, endLeaf)) return { chunks: hashed, aborted: true };
    hashLeafRange(leaves, assetCount, levels[0]!, firstLeaf, endLeaf);
    for (let level = 1; level <= chunkLevel; level += 1) {
      // The chunk's records at `level` are the 2^(chunkLevel - level) starting at chunk × that width; the
      // last chunk may hold fewer, and its last record may lack a right child (the padding stands in).
      const width = 2 ** (chunkLevel - level);
      const first = chunk * width;
      hashNodeRange(
        levels[level - 1]!,
        levelCount(leafCount, level - 1),
        levels[level]!,
        first,
        Math.min(levelCount(leafCount, level), first + width),
        assetCount,
        paddings[level - 1]!,
      );
    }
    hashed += 1;
  }
  return { chunks: hashed, aborted: false };
}

/** Blocks this worker until `leafCount` leaves are encoded; false when the encoding was abandoned. */
function waitUntilEncoded(counters: Int32Array, leafCount: number): boolean {
  for (;;) {
    const encoded = Atomics.load(counters, COUNTER.encoded);
    if (encoded === ENCODING_ABORTED) return false;
    if (encoded >= leafCount) return true;
    // Sleeps until the calling thread publishes more (Atomics.notify), unless the count moved meanwhile.
    Atomics.wait(counters, COUNTER.encoded, encoded);
  }
}
