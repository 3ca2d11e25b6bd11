// Proves the parallel build is the single-threaded build: for empty, tiny, odd and chunk-boundary sizes,
// several asset counts and thread counts, every level, the leaves and the root are byte-identical to
// buildLiabilityTree's, and each refusal comes back exactly as buildLiabilityTree returns it. Also checks
// that the worker pool survives closing and never keeps a process alive.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type BuildLiabilityTreeResult,
  buildLiabilityTree,
  type LiabilityLeaf,
  type LiabilityTree,
  type LiabilityTreeInput,
} from '../../core/reserves/liability-tree.ts';
import { LEAF_AMOUNT_MAX_MINOR, recordBytes, TREE_HEIGHT } from '../../core/reserves/tree-format.ts';
import {
  buildLiabilityTreeInParallel,
  closeTreeBuildWorkers,
  PARALLEL_BUILD_LEAVES_MIN,
  TreeBuildWorkerError,
  treeChunkLevel,
} from './parallel-tree-build.ts';

const ALL_ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'ETH', scale: 18 },
  { code: 'SOL', scale: 9 },
  { code: 'USDC', scale: 6 },
  { code: 'USDT', scale: 6 },
];
const AUDIT_ID = createHash('sha256').update('parallel audit').digest().subarray(0, 16);

/** Deterministic leaves: zeros, small amounts, amounts near 2^64 and the largest a leaf may hold. */
function leavesOf(count: number, assetCount: number): LiabilityLeaf[] {
  return Array.from({ length: count }, (_, position) => {
    const digest = createHash('sha256').update(`leaf ${position}`).digest();
    return {
      customerId: `c${String(position + 1).padStart(7, '0')}`,
      salt: digest,
      balancesMinor: Array.from({ length: assetCount }, (_, asset) => {
        const draw = digest.readUInt32BE(asset * 4) % 100;
        if (draw < 10) return 0n;
        if (draw === 10) return LEAF_AMOUNT_MAX_MINOR;
        if (draw < 14) return (1n << 64n) - BigInt(digest.readUInt32BE(28));
        return BigInt(digest.readUInt32BE(asset * 4 + 2)) * 1_000n;
      }),
    };
  });
}

function inputOf(count: number, assetCount: number): LiabilityTreeInput {
  return { auditId: AUDIT_ID, assets: ALL_ASSETS.slice(0, assetCount), leaves: leavesOf(count, assetCount) };
}

function treeOf(result: BuildLiabilityTreeResult): LiabilityTree {
  if (!result.ok) throw new Error(`the tree was refused: ${result.error.code}`);
  return result.tree;
}

/** Every byte the two trees hold, compared level by level so a failure names the level. */
function expectSameTree(parallel: LiabilityTree, reference: LiabilityTree): void {
  expect(Buffer.from(parallel.root).toString('hex')).toBe(Buffer.from(reference.root).toString('hex'));
  expect(parallel.leaves.count).toBe(reference.leaves.count);
  expect(Buffer.compare(parallel.leaves.preimages, reference.leaves.preimages)).toBe(0);
  expect(Array.from(parallel.leaves.offsets)).toEqual(Array.from(reference.leaves.offsets));
  expect(parallel.levels.length).toBe(TREE_HEIGHT + 1);
  for (let level = 0; level <= TREE_HEIGHT; level += 1) {
    expect(Buffer.compare(parallel.levels[level]!, reference.levels[level]!), `level ${level} differs`).toBe(
      0,
    );
  }
}

afterAll(async () => {
  await closeTreeBuildWorkers();
});

describe('buildLiabilityTreeInParallel', () => {
  it('builds tiny trees (0 to 3 leaves and odd sizes) exactly as the single-threaded builder', async () => {
    for (const count of [0, 1, 2, 3, 5, 7, 33]) {
      const input = inputOf(count, 2);
      expectSameTree(treeOf(await buildLiabilityTreeInParallel(input)), treeOf(buildLiabilityTree(input)));
    }
  });

  it('builds trees just below and above the single-thread cutoff identically, on 1 to 3 threads', async () => {
    for (const count of [
      PARALLEL_BUILD_LEAVES_MIN - 1,
      PARALLEL_BUILD_LEAVES_MIN,
      PARALLEL_BUILD_LEAVES_MIN + 1,
    ]) {
      const input = inputOf(count, 5);
      const reference = treeOf(buildLiabilityTree(input));
      for (const threads of [1, 2, 3]) {
        expectSameTree(treeOf(await buildLiabilityTreeInParallel(input, { threads })), reference);
      }
    }
  });

  it('builds trees one leaf either side of a chunk boundary identically, for 1, 2 and 5 assets', async () => {
    const threads = 2;
    const chunkLeaves = 2 ** treeChunkLevel(6_000, threads);
    const boundary = Math.floor(6_000 / chunkLeaves) * chunkLeaves;
    for (const count of [boundary - 1, boundary, boundary + 1]) {
      // The boundary sizes share the chunk size, so the ± 1 sizes really end one leaf into or short of a chunk.
      expect(2 ** treeChunkLevel(count, threads)).toBe(chunkLeaves);
      for (const assetCount of [1, 2, 5]) {
        const input = inputOf(count, assetCount);
        expectSameTree(
          treeOf(await buildLiabilityTreeInParallel(input, { threads })),
          treeOf(buildLiabilityTree(input)),
        );
      }
    }
  });

  it('builds an odd-sized tree over a power of two identically with many threads, build after build', async () => {
    // Workers hash chunks while this thread is still encoding later ones: repeated builds vary the timing.
    const input = inputOf(2 ** 13 + 3, 3);
    const reference = treeOf(buildLiabilityTree(input));
    for (let build = 0; build < 3; build += 1) {
      expectSameTree(treeOf(await buildLiabilityTreeInParallel(input, { threads: 4 })), reference);
    }
  });

  it('encodes every amount as 16 big-endian bytes, at each boundary of the amount encoder', async () => {
    const boundaries = [
      0n,
      1n,
      2n ** 32n - 1n,
      2n ** 32n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 64n - 1n,
      2n ** 64n,
      2n ** 64n + 1n,
      2n ** 80n + 12_345n,
      LEAF_AMOUNT_MAX_MINOR,
    ];
    const input = inputOf(PARALLEL_BUILD_LEAVES_MIN + 1, 5);
    const leaves = input.leaves.map((leaf, position) => ({
      ...leaf,
      balancesMinor: leaf.balancesMinor.map(
        (_, asset) => boundaries[(position + asset) % boundaries.length]!,
      ),
    }));
    const tree = treeOf(await buildLiabilityTreeInParallel({ ...input, leaves }, { threads: 2 }));
    for (const position of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, leaves.length - 1]) {
      const leaf = leaves[position]!;
      // Written independently of the encoder: the documented u128 as 32 hex digits.
      const expected = Buffer.concat(
        leaf.balancesMinor.map((amount) => Buffer.from(amount.toString(16).padStart(32, '0'), 'hex')),
      );
      const end = tree.leaves.offsets[position + 1]!;
      const amounts = tree.leaves.preimages.subarray(end - expected.length, end);
      expect(Buffer.from(amounts).toString('hex'), `leaf ${position}`).toBe(expected.toString('hex'));
      const record = tree.levels[0]!.subarray(position * recordBytes(5), (position + 1) * recordBytes(5));
      expect(Buffer.from(record.subarray(32)).toString('hex')).toBe(expected.toString('hex'));
    }
  });

  it('cuts the leaves into at least 16 aligned chunks per thread', () => {
    for (const [count, threads] of [
      [4_096, 2],
      [1_000_000, 2],
      [10_000_000, 8],
      [5_001, 3],
    ] as const) {
      const level = treeChunkLevel(count, threads);
      expect(Math.ceil(count / 2 ** level)).toBeGreaterThanOrEqual(16 * threads);
      expect(Math.ceil(count / 2 ** (level + 1))).toBeLessThan(16 * threads);
    }
  });

  it('refuses a negative balance and a duplicate customer exactly as the single-threaded builder', async () => {
    const count = PARALLEL_BUILD_LEAVES_MIN + 500;
    const negative = inputOf(count, 2);
    const leaves = [...negative.leaves];
    leaves[count - 7] = { ...leaves[count - 7]!, balancesMinor: [5n, -1n] };
    const withNegative = { ...negative, leaves };
    const duplicate = inputOf(count, 2);
    const duplicateLeaves = [...duplicate.leaves];
    duplicateLeaves[count - 1] = { ...duplicateLeaves[count - 1]!, customerId: 'c0000003' };
    const withDuplicate = { ...duplicate, leaves: duplicateLeaves };
    const tooLarge = inputOf(count, 2);
    const tooLargeLeaves = [...tooLarge.leaves];
    tooLargeLeaves[4_100] = { ...tooLargeLeaves[4_100]!, balancesMinor: [LEAF_AMOUNT_MAX_MINOR + 1n, 0n] };
    const withTooLarge = { ...tooLarge, leaves: tooLargeLeaves };
    const unsortedAssets = { ...inputOf(count, 2), assets: [ALL_ASSETS[1]!, ALL_ASSETS[0]!] };
    for (const [input, code, position] of [
      [withNegative, 'liability_balance_negative', count - 7],
      [withDuplicate, 'liability_customer_duplicate', count - 1],
      [withTooLarge, 'liability_balance_too_large', 4_100],
      [unsortedAssets, 'liability_assets_invalid', undefined],
    ] as const) {
      const parallel = await buildLiabilityTreeInParallel(input, { threads: 2 });
      expect(parallel).toEqual(buildLiabilityTree(input));
      expect(parallel.ok ? null : parallel.error).toMatchObject({ code });
      if (!parallel.ok) expect(parallel.error.position).toBe(position);
    }
    // Workers left waiting for leaves that never came were released: the same pool builds the next tree.
    const next = inputOf(count, 2);
    expectSameTree(
      treeOf(await buildLiabilityTreeInParallel(next, { threads: 2 })),
      treeOf(buildLiabilityTree(next)),
    );
  });

  it('starts new workers after the pool is closed', async () => {
    const input = inputOf(PARALLEL_BUILD_LEAVES_MIN + 10, 1);
    const first = treeOf(await buildLiabilityTreeInParallel(input, { threads: 2 }));
    await closeTreeBuildWorkers();
    expectSameTree(treeOf(await buildLiabilityTreeInParallel(input, { threads: 2 })), first);
  });

  it('fails a build whose workers are closed under it with TreeBuildWorkerError', async () => {
    const building = buildLiabilityTreeInParallel(inputOf(PARALLEL_BUILD_LEAVES_MIN + 10, 1), { threads: 2 });
    const failed = expect(building).rejects.toBeInstanceOf(TreeBuildWorkerError);
    await closeTreeBuildWorkers();
    await failed;
  });

  it('never keeps the process alive: a script that builds and does not close its pool exits', async () => {
    const moduleUrl = new URL('./parallel-tree-build.ts', import.meta.url).href;
    const script = `
      import { buildLiabilityTreeInParallel } from ${JSON.stringify(moduleUrl)};
      const leaves = Array.from({ length: 5000 }, (_, i) => ({
        customerId: 'c' + i, salt: new Uint8Array(32).fill(i % 256), balancesMinor: [BigInt(i)],
      }));
      const built = await buildLiabilityTreeInParallel(
        { auditId: new Uint8Array(16), assets: [{ code: 'BTC', scale: 8 }], leaves }, { threads: 2 });
      console.log(built.ok ? 'built' : built.error.code);
    `;
    // A file rather than --eval: workers inherit the parent's flags, and --input-type means nothing to them.
    const directory = mkdtempSync(join(tmpdir(), 'ringfence-tree-build-'));
    const file = join(directory, 'build.mjs');
    writeFileSync(file, script);
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        timeout: 30_000,
      });
      expect(stdout.trim()).toBe('built');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
