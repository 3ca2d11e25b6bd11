// Resolution benchmark (issue 6): claims, distribution and the resolution pack for 1,000,000 customers with a
// collateral account in each of 5 assets, every estate short. What is timed, in one run, is exactly what the
// resolution service does after it has the books at the pinned position, with the same functions:
//   books_ms      collectSegments over every account snapshot (the service's readResolutionBooks, without the
//                 ledger engine: the snapshots are generated in memory, shaped like the engine's accounts)
//   resolve_ms    computeResolution: resolutionInputFromSegments + resolveEstates (the claims register, the
//                 recoveries, each estate's largest-remainder distribution, the unsecured claims)
//   assemble_ms   assemblePack: the pack header and the count of customers (one merge of the sorted lists)
//   pack_ms       writePackFiles: the JSON, CSV and HTML files written to a temporary directory in one pass
//                 over the customers (each statement formatted once; the report prints the first 10,000)
// resolution_ms is their sum. Not timed: generating the book, the journal's verification (it replays the
// journal, which this in-memory book does not have), reading segregation and custody records. Every figure
// is checked against totals computed independently while generating. Sizes come from flags (or BENCH_*
// variables); progress goes to earlier lines and the last line is one JSON object.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { progressBar } from '../src/cli/progress-bar.ts';
import type { Vault } from '../src/core/custody/vault.ts';
import type { Account, Owner } from '../src/core/ledger/types.ts';
import { collectSegments, NO_MARGIN, segmentKey } from '../src/core/segregation/statement.ts';
import { writePackFiles } from '../src/service/resolution/pack-files.ts';
import type { PinnedShortfall } from '../src/service/resolution/resolution-events.ts';
import { assemblePack } from '../src/service/resolution/resolution-pack.ts';
import { computeResolution } from '../src/service/resolution/resolution-service.ts';
import type { RecoveryRecord } from '../src/service/resolution/resolution-state.ts';
import { randomSource, round } from './support.ts';

const { values: flags } = parseArgs({
  options: {
    customers: { type: 'string' },
    recoveries: { type: 'string' },
    progress: { type: 'boolean', default: false },
  },
});

function sizeOption(flag: string | undefined, variable: string, fallback: number): number {
  const value = Number(flag ?? process.env[variable] ?? fallback);
  assert(Number.isSafeInteger(value) && value >= 0, `${variable} is a non-negative integer`);
  return value;
}

const CUSTOMERS = sizeOption(flags.customers, 'BENCH_CUSTOMERS', 1_000_000);
const RECOVERIES = sizeOption(flags.recoveries, 'BENCH_RECOVERIES', 1_000);
const RESOLUTION_TARGET_MS = 60_000;

const ASSETS = [
  { code: 'BTC', scale: 8, unitsMax: 50 },
  { code: 'ETH', scale: 18, unitsMax: 500 },
  { code: 'SOL', scale: 9, unitsMax: 20_000 },
  { code: 'USDC', scale: 6, unitsMax: 2_000_000 },
  { code: 'USDT', scale: 6, unitsMax: 2_000_000 },
] as const;
const ACCOUNT_CLASS = 'derivatives';
const OMNIBUS_VAULTS = 4;
/** Share of accounts at zero, and in deficit (a debt to the estate: never netted against anyone's claim). */
const ZERO_BALANCE_SHARE = 0.1;
const DEFICIT_SHARE = 0.02;
/** Every estate is short: unresolved breaks take this share of its custody (each estate is prorated). */
const SHORTFALL_PERCENT = 7n;
const NOW_MS = Date.UTC(2026, 11, 1, 12);

function address(n: number): `0x${string}` {
  return `0x${n.toString(16).padStart(40, '0')}`;
}

/** What the generated book must produce per asset, computed while generating it. */
interface Expected {
  claimsMinor: bigint;
  claimants: number;
  debtsMinor: bigint;
  debtors: number;
  custodyMinor: bigint;
  shortfallMinor: bigint;
  recoveredMinor: bigint;
}

/** One account's balance: 10% zero, 2% in deficit, the rest log-uniform up to the asset's maximum. */
function balanceOf(random: ReturnType<typeof randomSource>, asset: (typeof ASSETS)[number]): bigint {
  const draw = random.unit();
  if (draw < ZERO_BALANCE_SHARE) return 0n;
  const units = BigInt(Math.floor(Math.exp(random.unit() * Math.log(asset.unitsMax))));
  const fractionDigits = Math.min(asset.scale, 9);
  const fraction = BigInt(random.below(10 ** fractionDigits)) * 10n ** BigInt(asset.scale - fractionDigits);
  const amount = units * 10n ** BigInt(asset.scale) + fraction + 1n;
  return draw < ZERO_BALANCE_SHARE + DEFICIT_SHARE ? -(amount / 10n + 1n) : amount;
}

/**
 * The book at the freeze: per asset OMNIBUS_VAULTS acknowledged customer vaults holding the customers' net
 * balances plus 1% of residual interest, one collateral account per customer and asset (a deficit account has
 * more debits than credits), unresolved shortfalls of SHORTFALL_PERCENT of custody, and recoveries from the
 * first deficit customers of half their debt.
 */
function generateBook(customers: number) {
  const random = randomSource(6);
  const accounts = new Map<string, Account>();
  const vaults = new Map<string, Vault>();
  for (let v = 0; v < OMNIBUS_VAULTS; v++) {
    const id = `omnibus-${v + 1}`;
    vaults.set(id, {
      id,
      chainId: 1,
      address: address(0xa000 + v),
      assets: ASSETS.map((asset, index) => ({ asset: asset.code, token: address(0xb000 + index) })),
      kind: 'customer_omnibus',
      customerId: null,
      accountClass: ACCOUNT_CLASS,
      temperature: v === 0 ? 'hot' : 'cold',
      custodian: 'Bench Custodian',
      acknowledgment: { acknowledgedAtMs: 0, documentReference: `ack-${id}` },
    });
  }
  const expected = new Map<string, Expected>(
    ASSETS.map((asset) => [
      asset.code,
      {
        claimsMinor: 0n,
        claimants: 0,
        debtsMinor: 0n,
        debtors: 0,
        custodyMinor: 0n,
        shortfallMinor: 0n,
        recoveredMinor: 0n,
      },
    ]),
  );
  const custody: { account: { -readonly [K in keyof Account]: Account[K] }; asset: string; vault: number }[] =
    [];
  const house: Owner = { type: 'house' };
  for (const asset of ASSETS) {
    for (let v = 0; v < OMNIBUS_VAULTS; v++) {
      const account = {
        id: `omnibus-${v + 1}:${asset.code}`,
        owner: house,
        asset: asset.code,
        segregationClass: 'segregated_custody' as const,
        accountClass: ACCOUNT_CLASS,
        vaultId: `omnibus-${v + 1}`,
        debitsPostedMinor: 0n,
        creditsPostedMinor: 0n,
        debitsPendingMinor: 0n,
        creditsPendingMinor: 0n,
      };
      custody.push({ account, asset: asset.code, vault: v });
      accounts.set(account.id, account);
    }
  }
  const recoveries: RecoveryRecord[] = [];
  const netMinor = new Map<string, bigint>(ASSETS.map((asset) => [asset.code, 0n]));
  for (let c = 0; c < customers; c++) {
    const customerId = `cust-${c}`;
    const owner: Owner = { type: 'customer', customerId };
    for (const asset of ASSETS) {
      const balance = balanceOf(random, asset);
      accounts.set(`${customerId}:${asset.code}`, {
        id: `${customerId}:${asset.code}`,
        owner,
        asset: asset.code,
        segregationClass: 'customer_collateral',
        accountClass: ACCOUNT_CLASS,
        vaultId: null,
        debitsPostedMinor: balance < 0n ? -balance : 0n,
        creditsPostedMinor: balance > 0n ? balance : 0n,
        debitsPendingMinor: 0n,
        creditsPendingMinor: 0n,
      });
      const totals = expected.get(asset.code)!;
      netMinor.set(asset.code, netMinor.get(asset.code)! + balance);
      if (balance > 0n) {
        totals.claimsMinor += balance;
        totals.claimants += 1;
      } else if (balance < 0n) {
        totals.debtsMinor -= balance;
        totals.debtors += 1;
        if (recoveries.length < RECOVERIES) {
          const amountMinor = (-balance + 1n) / 2n;
          totals.recoveredMinor += amountMinor;
          recoveries.push({
            recovery: { customerId, asset: asset.code, accountClass: ACCOUNT_CLASS, amountMinor },
            reference: `bench recovery ${recoveries.length + 1}`,
            recordedBy: 'bench',
            recordedAtMs: NOW_MS,
          });
        }
      }
    }
  }
  const shortfalls: PinnedShortfall[] = [];
  for (const asset of ASSETS) {
    const totals = expected.get(asset.code)!;
    const net = netMinor.get(asset.code)!;
    totals.custodyMinor = net + net / 100n;
    totals.shortfallMinor = (totals.custodyMinor * SHORTFALL_PERCENT) / 100n;
    shortfalls.push({ asset: asset.code, accountClass: ACCOUNT_CLASS, amountMinor: totals.shortfallMinor });
    const share = totals.custodyMinor / BigInt(OMNIBUS_VAULTS);
    for (const entry of custody.filter((e) => e.asset === asset.code)) {
      entry.account.debitsPostedMinor =
        entry.vault === 0 ? totals.custodyMinor - share * BigInt(OMNIBUS_VAULTS - 1) : share;
    }
  }
  return { accounts, vaults, expected, shortfalls, recoveries };
}

async function main(): Promise<void> {
  const threads = cpus().length;
  console.log(
    `generating ${CUSTOMERS} customers x ${ASSETS.length} assets (${CUSTOMERS * ASSETS.length} accounts)...`,
  );
  const generatedAtMs = performance.now();
  const book = generateBook(CUSTOMERS);
  console.log(
    `generated ${book.accounts.size} accounts in ${Math.round(performance.now() - generatedAtMs)} ms`,
  );
  const directory = mkdtempSync(join(tmpdir(), 'ringfence-bench-resolution-'));
  const files = {
    json: join(directory, 'pack.json'),
    csv: join(directory, 'pack.csv'),
    html: join(directory, 'report.html'),
  };
  const bar = progressBar(
    {
      stdout: () => undefined,
      stderr: (text) => process.stderr.write(text),
      env: {},
      stderrIsTty: process.stderr.isTTY === true,
    },
    { forced: flags.progress },
  );
  const loadBefore = loadavg()[0]!;
  let heapPeakBytes = 0;
  const sampleHeap = () => {
    heapPeakBytes = Math.max(heapPeakBytes, process.memoryUsage().heapUsed);
  };
  try {
    (globalThis as { gc?: () => void }).gc?.();
    const startedMs = performance.now();
    const segments = collectSegments(book.accounts.values(), book.vaults, {
      targets: new Map(),
      shortfalls: new Map(book.shortfalls.map((s) => [segmentKey(s.asset, s.accountClass), s.amountMinor])),
      margin: NO_MARGIN,
    });
    const booksDoneMs = performance.now();
    const computed = computeResolution(
      {
        journal: { seq: 1, headHash: '0'.repeat(64), batchTimestampMs: NOW_MS },
        assets: ASSETS.map((asset) => ({ code: asset.code, scale: asset.scale })),
        segments,
      },
      book.shortfalls,
      book.recoveries,
      NOW_MS,
      false,
      0,
      bar.listener,
    );
    assert(computed.ok, 'the generated recoveries are owed');
    const resolvedMs = performance.now();
    sampleHeap();
    const pack = assemblePack({
      firmName: 'Bench Futures LLC',
      generatedAtMs: NOW_MS,
      computed: computed.value,
      freeze: {
        requestId: 'bench',
        reason: 'benchmark',
        requestedBy: 'officer-1',
        requestedAtMs: NOW_MS,
        approval: {
          approvedBy: 'officer-2',
          approvedAtMs: NOW_MS,
          pin: {
            seq: 1,
            headHash: '0'.repeat(64),
            batchTimestampMs: NOW_MS,
            frozenAtMs: NOW_MS,
            shortfalls: book.shortfalls,
            marks: [],
          },
        },
      },
      verification: null,
      vaults: [...book.vaults.values()],
      segregation: null,
      custody: null,
    });
    const assembledMs = performance.now();
    const bytes = writePackFiles(pack, files, bar.listener);
    const packedMs = performance.now();
    bar.finish();
    sampleHeap();

    // The results, against the totals computed while generating.
    const { resolution } = computed.value;
    assert.equal(resolution.estates.length, ASSETS.length);
    let claimLines = 0;
    for (const estate of resolution.estates) {
      const totals = book.expected.get(estate.asset)!;
      const property = totals.custodyMinor - totals.shortfallMinor + totals.recoveredMinor;
      assert.equal(estate.heldMinor, totals.custodyMinor - totals.shortfallMinor, `${estate.asset}: held`);
      assert.equal(estate.recoveredMinor, totals.recoveredMinor, `${estate.asset}: recovered`);
      assert.equal(estate.totalClaimsMinor, totals.claimsMinor, `${estate.asset}: claims`);
      assert.equal(estate.payouts.length, totals.claimants, `${estate.asset}: claimants`);
      assert.equal(estate.debts.length, totals.debtors, `${estate.asset}: debtors`);
      assert.ok(property < totals.claimsMinor, `${estate.asset} is short`);
      assert.equal(estate.distributedMinor, property, `${estate.asset}: everything held is distributed`);
      let paid = 0n;
      for (const payout of estate.payouts) {
        assert.ok(payout.payoutMinor <= payout.claimMinor);
        paid += payout.payoutMinor;
      }
      assert.equal(paid, property, `${estate.asset}: payouts add up to the property`);
      claimLines += estate.payouts.length + estate.debts.length;
    }
    assert.equal(pack.summary.claimLines, claimLines);
    assert.deepEqual(bytes, {
      json: statSync(files.json).size,
      csv: statSync(files.csv).size,
      html: statSync(files.html).size,
    });
    const resolutionMs = packedMs - startedMs;
    console.log(
      `resolution: ${round(resolutionMs)} ms (books ${round(booksDoneMs - startedMs)}, resolve ${round(resolvedMs - booksDoneMs)}, assemble ${round(assembledMs - resolvedMs)}, pack ${round(packedMs - assembledMs)})`,
    );
    console.log(
      JSON.stringify({
        resolution_ms: round(resolutionMs),
        resolution_target_ms: RESOLUTION_TARGET_MS,
        resolution_target_met: resolutionMs <= RESOLUTION_TARGET_MS,
        books_ms: round(booksDoneMs - startedMs),
        resolve_ms: round(resolvedMs - booksDoneMs),
        assemble_ms: round(assembledMs - resolvedMs),
        pack_ms: round(packedMs - assembledMs),
        pack_bytes: bytes,
        customers: CUSTOMERS,
        assets: ASSETS.length,
        customer_accounts: CUSTOMERS * ASSETS.length,
        estates: resolution.estates.length,
        estates_short: pack.summary.estatesShort,
        claim_lines: claimLines,
        claimants: resolution.estates.reduce((sum, estate) => sum + estate.payouts.length, 0),
        debtors: resolution.estates.reduce((sum, estate) => sum + estate.debts.length, 0),
        recoveries: book.recoveries.length,
        unsecured_claims: resolution.unsecuredClaims.length,
        measured:
          'collectSegments over in-memory account snapshots + computeResolution (claims register, recoveries, largest-remainder distribution per estate, unsecured claims) + assemblePack + writePackFiles (JSON, CSV and HTML files in one pass); not the journal verification',
        results_checked: true,
        load_average_1m: [round(loadBefore), round(loadavg()[0]!)],
        heap_used_mb: Math.round(heapPeakBytes / 2 ** 20),
        heap_limit_mb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
        machine: `${cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${threads} threads, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
        node: process.version,
      }),
    );
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
