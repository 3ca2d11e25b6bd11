// Proof-of-reserves benchmark (issue 5). (1) Builds the liability Merkle-sum tree over 1,000,000 customers
// x 5 assets with buildLiabilityTreeInParallel, end to end from the leaf list to the root (median of 3 builds,
// each printed). (2) Attests and signs the tree, then creates (createInclusionProof + JSON.stringify) and
// verifies (JSON.parse + verifyInclusionProof, native primitives) the proofs of 1,000 random customers:
// proof_verify_us against the audit's attestation verified once, proof_file_verify_us each file from scratch
// with its attestation's signatures recovered again. (3) Builds a tree of
// 10,000,000 customers once when it fits in memory. Every result is checked against the generated data
// before its timing is reported: each build has the root sums of the generated balances and the same root,
// and each proof verifies with that customer's balances. Sizes come from flags (or PROOFS_BENCH_*
// variables); progress goes to stderr and the last line of stdout is one JSON object.

import assert from 'node:assert/strict';
import { createCipheriv, createHash } from 'node:crypto';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type { SignedAttestation } from '../src/core/reserves/attestation.ts';
import { createInclusionProof } from '../src/core/reserves/inclusion-proof.ts';
import type { LiabilityLeaf, LiabilityTree } from '../src/core/reserves/liability-tree.ts';
import { NODE_PRIMITIVES } from '../src/core/reserves/node-primitives.ts';
import { HASH_BYTES, recordBytes, recordSums, TREE_HEIGHT, toHex } from '../src/core/reserves/tree-format.ts';
import { verifyAttestation } from '../src/core/reserves/verify-attestation.ts';
import { verifyInclusionProof } from '../src/core/reserves/verify-inclusion-proof.ts';
import {
  buildLiabilityTreeInParallel,
  closeTreeBuildWorkers,
  startTreeBuildWorkers,
} from '../src/service/reserves/parallel-tree-build.ts';
import { attestFixtureTree, PLATFORM_KEY } from '../test/support/reserves-fixture.ts';
import { median, progress, randomSource, round } from './support.ts';

const { values: flags } = parseArgs({
  options: {
    customers: { type: 'string' },
    'large-customers': { type: 'string' },
    proofs: { type: 'string' },
    runs: { type: 'string' },
    threads: { type: 'string' },
  },
});

function sizeOption(flag: string | undefined, variable: string, fallback: number): number {
  const value = Number(flag ?? process.env[variable] ?? fallback);
  assert(Number.isSafeInteger(value) && value >= 0, `${variable} is a non-negative integer`);
  return value;
}

const CUSTOMERS = sizeOption(flags.customers, 'PROOFS_BENCH_CUSTOMERS', 1_000_000);
/** The stretch build; 0 skips it. */
const LARGE_CUSTOMERS = sizeOption(flags['large-customers'], 'PROOFS_BENCH_LARGE_CUSTOMERS', 10_000_000);
const PROOFS = Math.max(1, sizeOption(flags.proofs, 'PROOFS_BENCH_PROOFS', 1_000));
/** Timed builds of CUSTOMERS; the median is reported. */
const RUNS = Math.max(1, sizeOption(flags.runs, 'PROOFS_BENCH_RUNS', 3));
/** Worker threads; 0 means the builder's default (one per core, at most 8). */
const THREADS_OPTION = sizeOption(flags.threads, 'PROOFS_BENCH_THREADS', 0);
const THREADS = THREADS_OPTION === 0 ? Math.min(cpus().length, 8) : THREADS_OPTION;

const BUILD_TARGET_MS = 5_000;
const PROOF_GENERATE_TARGET_US = 1_000;
const PROOF_VERIFY_TARGET_US = 1_000;

/** The five assets every customer holds (sorted by code, as a tree requires), with their registry scales. */
const ASSETS = [
  { code: 'BTC', scale: 8, unitsMax: 50 },
  { code: 'ETH', scale: 18, unitsMax: 500 },
  { code: 'SOL', scale: 9, unitsMax: 20_000 },
  { code: 'USDC', scale: 6, unitsMax: 2_000_000 },
  { code: 'USDT', scale: 6, unitsMax: 2_000_000 },
] as const;
/** Share of balances that are zero, and that are near 2^64 (2^64 minus a 32-bit number). */
const ZERO_BALANCE_SHARE = 0.1;
const NEAR_2_64_SHARE = 0.001;

/**
 * Bytes of memory one customer costs in a build, estimated generously: the leaf in the heap (object, id
 * string, salt view, balance array and five BigInts, about 450 bytes), its share of the salt keystream (32),
 * its preimage (138), its records on all levels (2 x 112), its offsets (2 x 4) and the duplicate table (16).
 */
const BYTES_PER_CUSTOMER = 450 + 32 + 138 + 2 * recordBytes(ASSETS.length) + 8 + 16;
/** Memory left to the rest of the process and the machine when deciding whether the large build fits. */
const MEMORY_RESERVE_BYTES = 2 * 2 ** 30;

/** A full collection (with --expose-gc), so each timed build starts from the same heap. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

let heapUsedPeakBytes = 0;
function sampleHeap(): void {
  heapUsedPeakBytes = Math.max(heapUsedPeakBytes, process.memoryUsage().heapUsed);
}

// ---- the customers -----------------------------------------------------------------------------------

interface Book {
  readonly auditId: Uint8Array;
  readonly leaves: LiabilityLeaf[];
  /** Σ of the generated balances per asset, which the root's sums must equal. */
  readonly totalsMinor: bigint[];
}

const SCALE_FACTORS = ASSETS.map((asset) => 10n ** BigInt(Math.max(0, asset.scale - 9)));

/**
 * One balance: 10% zero, 0.1% near 2^64, the rest spread log-uniformly up to the asset's maximum with nine
 * random fraction digits (so ETH balances in wei mostly exceed 2^53, as real ones do).
 */
function balance(random: ReturnType<typeof randomSource>, asset: number): bigint {
  const draw = random.unit();
  if (draw < ZERO_BALANCE_SHARE) return 0n;
  if (draw < ZERO_BALANCE_SHARE + NEAR_2_64_SHARE) return (1n << 64n) - BigInt(random.below(2 ** 32));
  const { scale, unitsMax } = ASSETS[asset]!;
  const units = Math.exp(random.unit() * Math.log(unitsMax));
  // Units times 10^min(scale, 9) stays below 2^53 for every asset here, so one BigInt multiplication scales it.
  const minor = Math.floor(units * 10 ** Math.min(scale, 9));
  return SCALE_FACTORS[asset]! === 1n ? BigInt(minor) : BigInt(minor) * SCALE_FACTORS[asset]!;
}

/**
 * `customers` leaves with ids c0000001.., salts from an AES-256-CTR keystream (fast and deterministic, not
 * secret: a real audit draws them from a CSPRNG) and seeded balances.
 */
function generateBook(customers: number, seed: number): Book {
  const key = createHash('sha256').update(`proofs bench ${seed}`).digest();
  const auditId = createHash('sha256').update(`proofs bench audit ${seed}`).digest().subarray(0, 16);
  const keystream = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const random = randomSource(seed);
  const totalsMinor = ASSETS.map(() => 0n);
  const leaves: LiabilityLeaf[] = new Array(customers);
  const BLOCK = 65_536;
  for (let first = 0; first < customers; first += BLOCK) {
    const count = Math.min(BLOCK, customers - first);
    const salts = keystream.update(Buffer.alloc(32 * count));
    for (let index = 0; index < count; index++) {
      const balancesMinor: bigint[] = [];
      for (let asset = 0; asset < ASSETS.length; asset++) {
        const value = balance(random, asset);
        balancesMinor.push(value);
        totalsMinor[asset]! += value;
      }
      leaves[first + index] = {
        customerId: `c${String(first + index + 1).padStart(7, '0')}`,
        salt: salts.subarray(32 * index, 32 * index + 32),
        balancesMinor,
      };
    }
  }
  return { auditId, leaves, totalsMinor };
}

const TREE_ASSETS = ASSETS.map((asset) => ({ code: asset.code, scale: asset.scale }));

interface BuildRun {
  readonly ms: number;
  /** CPU time of every thread of the process during the build: wall time near it means no core was free. */
  readonly cpuMs: number;
  readonly tree: LiabilityTree;
}

/** One timed build, from the leaf list to the root, checked against the generated totals. */
async function timedBuild(book: Book): Promise<BuildRun> {
  collectGarbage();
  const startedCpu = process.cpuUsage();
  const startedMs = performance.now();
  const built = await buildLiabilityTreeInParallel(
    { auditId: book.auditId, assets: TREE_ASSETS, leaves: book.leaves },
    { threads: THREADS },
  );
  const ms = performance.now() - startedMs;
  const cpu = process.cpuUsage(startedCpu);
  assert.ok(built.ok, `the tree was refused: ${built.ok ? '' : built.error.code}`);
  const tree = built.tree;
  assert.equal(tree.leaves.count, book.leaves.length);
  assert.deepEqual(recordSums(tree.root, ASSETS.length), book.totalsMinor, 'root sums = generated totals');
  sampleHeap();
  return { ms, cpuMs: (cpu.user + cpu.system) / 1_000, tree };
}

// ---- the attestation ---------------------------------------------------------------------------------

/** The attestation a venue publishes for this tree (the test fixture's: one 2-of-3 vault holding the totals). */
async function attest(tree: LiabilityTree, totalsMinor: readonly bigint[]): Promise<SignedAttestation> {
  const attestation = await attestFixtureTree(tree, totalsMinor);
  assert.ok(
    verifyAttestation(attestation, { expectedSigner: PLATFORM_KEY.address }).ok,
    'attestation verifies',
  );
  return attestation;
}

// ---- the proofs --------------------------------------------------------------------------------------

interface ProofFigures {
  readonly generateUs: number;
  /** One proof against its audit's attestation, verified once before (what differs from proof to proof). */
  readonly verifyUs: number;
  /** One proof file from scratch, the embedded attestation's signature recoveries included (the CLI's check). */
  readonly fileVerifyUs: number;
  /** The attestation alone: body hash, platform signature, every vault's owner signatures. */
  readonly verifyAttestationUs: number;
  readonly proofBytes: number;
}

/** Creates and verifies PROOFS proofs of random customers; every proof must verify with their balances. */
function measureProofs(tree: LiabilityTree, attestation: SignedAttestation, book: Book): ProofFigures {
  const random = randomSource(99);
  const positions = Array.from({ length: PROOFS }, () => random.below(tree.leaves.count));
  // Warm-up, untimed: the first calls compile the code paths and build the curve's precomputed tables.
  for (const position of positions.slice(0, 20)) {
    const result = verifyInclusionProof(
      JSON.parse(JSON.stringify(createInclusionProof(tree, position, attestation))),
    );
    assert.ok(result.ok, 'a warm-up proof verifies');
  }
  const texts: string[] = new Array(PROOFS);
  const generateStartedMs = performance.now();
  for (let index = 0; index < PROOFS; index++) {
    texts[index] = JSON.stringify(createInclusionProof(tree, positions[index]!, attestation));
  }
  const generateMs = performance.now() - generateStartedMs;
  // The CLI verifies with native primitives; a verifier of many proofs of one audit checks its attestation once.
  const verified = verifyAttestation(attestation, {
    expectedSigner: PLATFORM_KEY.address,
    primitives: NODE_PRIMITIVES,
  });
  assert.ok(verified.ok, 'the attestation verifies');
  const results: ReturnType<typeof verifyInclusionProof>[] = new Array(PROOFS);
  const verifyStartedMs = performance.now();
  for (let index = 0; index < PROOFS; index++) {
    results[index] = verifyInclusionProof(JSON.parse(texts[index]!), {
      expectedSigner: PLATFORM_KEY.address,
      primitives: NODE_PRIMITIVES,
      verifiedAttestation: verified.attestation,
    });
  }
  const verifyMs = performance.now() - verifyStartedMs;
  const fileRuns = Math.min(PROOFS, 200);
  const fileStartedMs = performance.now();
  for (let index = 0; index < fileRuns; index++) {
    const result = verifyInclusionProof(JSON.parse(texts[index]!), {
      expectedSigner: PLATFORM_KEY.address,
      primitives: NODE_PRIMITIVES,
    });
    assert.ok(result.ok, `proof file ${index} verifies`);
  }
  const fileMs = performance.now() - fileStartedMs;
  for (let index = 0; index < PROOFS; index++) {
    const result = results[index]!;
    assert.ok(result.ok, `proof ${index} verifies (${result.ok ? '' : result.error.code})`);
    const leaf = book.leaves[positions[index]!]!;
    assert.equal(result.verified.customerId, leaf.customerId, 'the proof is the customer’s');
    assert.deepEqual(result.verified.balancesMinor, leaf.balancesMinor, 'the proof carries their balances');
  }
  const attestationStartedMs = performance.now();
  const attestationRuns = Math.min(PROOFS, 200);
  for (let index = 0; index < attestationRuns; index++) {
    assert.ok(
      verifyAttestation(attestation, { expectedSigner: PLATFORM_KEY.address, primitives: NODE_PRIMITIVES })
        .ok,
    );
  }
  const attestationMs = performance.now() - attestationStartedMs;
  return {
    generateUs: (generateMs * 1_000) / PROOFS,
    verifyUs: (verifyMs * 1_000) / PROOFS,
    fileVerifyUs: (fileMs * 1_000) / fileRuns,
    verifyAttestationUs: (attestationMs * 1_000) / attestationRuns,
    proofBytes: Math.round(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / PROOFS),
  };
}

// ---- main --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  progress(`generating ${CUSTOMERS} customers x ${ASSETS.length} assets...`);
  const generatedAtMs = performance.now();
  let book: Book | null = generateBook(CUSTOMERS, 1);
  progress(`generated in ${Math.round(performance.now() - generatedAtMs)} ms`);
  sampleHeap();

  // The pool is started once, as a service starts it; each timed build then uses the running workers.
  const workersStartedAtMs = performance.now();
  await startTreeBuildWorkers(THREADS);
  const workerStartMs = performance.now() - workersStartedAtMs;
  progress(`started ${THREADS} tree-build workers in ${Math.round(workerStartMs)} ms`);

  // Other work on the machine slows every figure here: the load average says how much there was.
  const loadBefore = loadavg()[0]!;
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let tree: LiabilityTree | null = null;
  let rootHash: string | null = null;
  for (let run = 0; run < RUNS; run++) {
    tree = null;
    const measured = await timedBuild(book);
    tree = measured.tree;
    const hash = toHex(tree.root.subarray(0, HASH_BYTES));
    assert.ok(rootHash === null || rootHash === hash, 'every build has the same root');
    rootHash = hash;
    runs.push(measured.ms);
    cpuRuns.push(measured.cpuMs);
    progress(
      `build run ${run + 1}: ${round(measured.ms)} ms, ${round(measured.cpuMs)} ms of CPU ` +
        `(load average ${round(loadavg()[0]!)})`,
    );
  }
  const buildMs = median(runs);
  assert.ok(tree !== null);

  progress(`attesting and measuring ${PROOFS} proofs...`);
  const attestation = await attest(tree, book.totalsMinor);
  const proofs = measureProofs(tree, attestation, book);
  progress(
    `proofs: generate ${round(proofs.generateUs)} us, verify ${round(proofs.verifyUs)} us against the ` +
      `verified attestation, ${round(proofs.fileVerifyUs)} us as a whole file (the attestation alone ` +
      `${round(proofs.verifyAttestationUs)} us), ${proofs.proofBytes} bytes`,
  );
  const loadAfter = loadavg()[0]!;

  let buildMs10m: number | null = null;
  let largeSkipped: string | null = null;
  if (LARGE_CUSTOMERS === 0) largeSkipped = 'not requested';
  else {
    // Drop the first book and tree before estimating: only the large build's memory must fit.
    tree = null;
    book = null;
    collectGarbage();
    const neededBytes = LARGE_CUSTOMERS * BYTES_PER_CUSTOMER;
    const heapLimitBytes = getHeapStatistics().heap_size_limit;
    const heapNeededBytes = LARGE_CUSTOMERS * 450;
    if (neededBytes + MEMORY_RESERVE_BYTES > Math.min(totalmem(), freemem() + process.memoryUsage().rss)) {
      largeSkipped = `needs about ${Math.round(neededBytes / 2 ** 30)} GB, more than the machine has free`;
    } else if (heapNeededBytes > heapLimitBytes * 0.8) {
      largeSkipped = `needs about ${Math.round(heapNeededBytes / 2 ** 30)} GB of heap (raise --max-old-space-size)`;
    } else {
      progress(`generating ${LARGE_CUSTOMERS} customers (about ${Math.round(neededBytes / 2 ** 30)} GB)...`);
      const largeGeneratedAtMs = performance.now();
      const large = generateBook(LARGE_CUSTOMERS, 2);
      progress(`generated in ${Math.round(performance.now() - largeGeneratedAtMs)} ms`);
      const measured = await timedBuild(large);
      buildMs10m = measured.ms;
      progress(
        `large build: ${round(measured.ms)} ms, ${round(measured.cpuMs)} ms of CPU ` +
          `(load average ${round(loadavg()[0]!)})`,
      );
    }
  }
  if (largeSkipped !== null) progress(`large build skipped: ${largeSkipped}`);
  await closeTreeBuildWorkers();

  const met = {
    build_ms: buildMs <= BUILD_TARGET_MS,
    proof_generate_us: proofs.generateUs <= PROOF_GENERATE_TARGET_US,
    proof_verify_us: proofs.verifyUs <= PROOF_VERIFY_TARGET_US,
  };
  console.log(
    JSON.stringify({
      customers: CUSTOMERS,
      assets: ASSETS.length,
      threads: THREADS,
      build_ms: round(buildMs),
      build_ms_runs: runs.map(round),
      build_ms_min: round(Math.min(...runs)),
      build_cpu_ms_runs: cpuRuns.map(round),
      worker_start_ms: round(workerStartMs),
      proof_generate_us: round(proofs.generateUs),
      proof_verify_us: round(proofs.verifyUs),
      proof_file_verify_us: round(proofs.fileVerifyUs),
      proof_verify_attestation_us: round(proofs.verifyAttestationUs),
      proof_bytes: proofs.proofBytes,
      proofs: PROOFS,
      build_ms_10m: buildMs10m === null ? null : round(buildMs10m),
      large_customers: LARGE_CUSTOMERS,
      large_skipped: largeSkipped,
      tree_height: TREE_HEIGHT,
      root_hash: rootHash,
      targets: {
        build_ms: BUILD_TARGET_MS,
        proof_generate_us: PROOF_GENERATE_TARGET_US,
        proof_verify_us: PROOF_VERIFY_TARGET_US,
      },
      met,
      runs: RUNS,
      gc_between_runs: typeof (globalThis as { gc?: unknown }).gc === 'function',
      load_average_1m: [round(loadBefore), round(loadAfter)],
      heap_used_mb: Math.round(heapUsedPeakBytes / 2 ** 20),
      heap_limit_mb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
      results_checked: true,
      machine: {
        cpu: cpus()[0]?.model.trim() ?? 'unknown cpu',
        cores: cpus().length,
        memory_gb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
    }),
  );
}

await main();
