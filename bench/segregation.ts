// Segregation benchmark (issue 4). (1) The daily statement over the whole book: `collectSegments` over every
// account snapshot, `computeSegment` per segment and `sealStatement`, for 1,000,000 customers with a
// collateral account in each of 5 assets. (2) Reconciliation: `reconcileExternal` over 10,000 (vault, asset)
// balances against one source's observations with injected breaks and open breaks from a previous run, plus
// `reconcileInternal`. Every result is checked against figures computed independently from the generated data
// before its timing is reported. Sizes come from flags (or BENCH_* variables); progress goes to earlier lines
// and the last line is one JSON object.

import assert from 'node:assert/strict';
import { cpus, loadavg, totalmem } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import type { Vault } from '../src/core/custody/vault.ts';
import type { Account, Owner } from '../src/core/ledger/types.ts';
import {
  type Break,
  type LedgerVaultBalance,
  type ObservedVaultBalance,
  reconcileExternal,
  reconcileInternal,
  type SegmentBalances,
} from '../src/core/segregation/reconcile.ts';
import { type SealedStatement, sealStatement } from '../src/core/segregation/sealed-statement.ts';
import {
  collectSegments,
  computeSegment,
  type MarginFigures,
  type MarginSource,
  type SegmentSettings,
  segmentKey,
} from '../src/core/segregation/statement.ts';
import { median, randomSource, round } from './support.ts';

const { values: flags } = parseArgs({
  options: {
    customers: { type: 'string' },
    'vault-balances': { type: 'string' },
    runs: { type: 'string' },
    'warm-up': { type: 'string' },
    'reconcile-runs': { type: 'string' },
  },
});

function sizeOption(flag: string | undefined, variable: string, fallback: number): number {
  const value = Number(flag ?? process.env[variable] ?? fallback);
  assert(Number.isSafeInteger(value) && value >= 0, `${variable} is a non-negative integer`);
  return value;
}

const CUSTOMERS = sizeOption(flags.customers, 'BENCH_CUSTOMERS', 1_000_000);
const VAULT_BALANCES = sizeOption(flags['vault-balances'], 'BENCH_VAULT_BALANCES', 10_000);
/** Timed statement runs (the median is reported) after WARM_UP_RUNS untimed ones. */
const RUNS = Math.max(1, sizeOption(flags.runs, 'BENCH_RUNS', 5));
const WARM_UP_RUNS = sizeOption(flags['warm-up'], 'BENCH_WARM_UP', 1);
/** Reconciliation is cheap at this size, so it is repeated more often for a steadier median. */
const RECONCILE_RUNS = Math.max(1, sizeOption(flags['reconcile-runs'], 'BENCH_RECONCILE_RUNS', 25));

const STATEMENT_TARGET_MS = 2_000;
const RECONCILE_TARGET_MS = 1_000;

/** The five assets every customer holds, with their registry scales. */
const ASSETS = [
  { code: 'BTC', scale: 8, unitsMax: 50 },
  { code: 'ETH', scale: 18, unitsMax: 500 },
  { code: 'SOL', scale: 9, unitsMax: 20_000 },
  { code: 'USDC', scale: 6, unitsMax: 2_000_000 },
  { code: 'USDT', scale: 6, unitsMax: 2_000_000 },
] as const;
/** Every customer account sits in this one account class, so there is one segment per asset. */
const ACCOUNT_CLASS = 'derivatives';
/** Omnibus vaults, each holding all five assets: four custody accounts per asset. */
const OMNIBUS_VAULTS = 4;
/** Share of customer accounts with a zero balance, and with an open position (losing or winning). */
const ZERO_BALANCE_SHARE = 0.1;
const LOSING_POSITION_SHARE = 0.03;
const WINNING_POSITION_SHARE = 0.02;
/** Share of reconciled (vault, asset) pairs whose observed balance differs from the ledger's. */
const BREAK_SHARE = 0.01;
/** Account classes the reconciled vaults are spread over (segments = assets x classes). */
const RECONCILE_ACCOUNT_CLASSES = ['derivatives', 'spot', 'futures', 'options'] as const;

const STATEMENT_INPUT =
  'generated account snapshots built in memory, shaped like Account (src/core/ledger/types.ts) and held in a Map ' +
  'as the engine holds its accounts; the service reads the engine accounts in place through ' +
  'engine.iterateAccounts() in the same shape';

function positive(value: bigint): bigint {
  return value > 0n ? value : 0n;
}

function address(n: number): `0x${string}` {
  return `0x${n.toString(16).padStart(40, '0')}`;
}

/**
 * A full collection before each timed run (with --expose-gc), so every run starts from the same heap. A run
 * still allocates hundreds of megabytes, which can set off a full collection of the whole book inside it: its
 * pauses are reported with it.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Every garbage collection pause, so each timed run can say how much of it was the collector's. */
const gcPauses: { startMs: number; durationMs: number }[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries())
    gcPauses.push({ startMs: entry.startTime, durationMs: entry.duration });
}).observe({ entryTypes: ['gc'] });

/** Collector pause time that began within [fromMs, toMs]; read after the observer has been called back. */
async function gcPauseMs(fromMs: number, toMs: number): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return gcPauses
    .filter((pause) => pause.startMs >= fromMs && pause.startMs <= toMs)
    .reduce((sum, pause) => sum + pause.durationMs, 0);
}

let heapUsedPeakBytes = 0;
function sampleHeap(): void {
  heapUsedPeakBytes = Math.max(heapUsedPeakBytes, process.memoryUsage().heapUsed);
}

// ---- (1) the statement -------------------------------------------------------------------------------

/** What the generated book must produce, per asset, computed while generating it. */
interface ExpectedSegment {
  customers: number;
  customersInDeficit: number;
  netLedgerBalanceMinor: bigint;
  unrealisedPnlMinor: bigint;
  /** Σ max(0, balance + unrealised PnL) over customers. */
  requirementMinor: bigint;
  residualInterestMinor: bigint;
  fundsHeldMinor: bigint;
}

/** 30-bit FNV-1a of a text, so a Map keyed by it holds small integers and never compares strings. */
function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let at = 0; at < text.length; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return hash & 0x3fffffff;
}

/**
 * The margin engine's stand-in: figures per customer and asset for the few customers with open positions.
 * A Map keyed by customer id compares the ids of other customers on every miss, and each is a cache miss in a
 * multi-gigabyte heap: at 5,000,000 calls that alone would take seconds. So, as a margin engine sized for this
 * would, it is keyed by a number (a hash of the id; the id is checked on a hit), and the last customer's entry
 * is kept because the statement asks for one customer's assets one after another.
 */
class MarginBook implements MarginSource {
  readonly #byHash = new Map<number, { customerId: string; asset: string; figures: MarginFigures }[]>();
  #lastCustomerId: string | undefined = undefined;
  #last: { customerId: string; asset: string; figures: MarginFigures }[] | undefined = undefined;

  add(customerId: string, asset: string, figures: MarginFigures): void {
    const hash = textHash(customerId);
    const entries = this.#byHash.get(hash);
    if (entries === undefined) this.#byHash.set(hash, [{ customerId, asset, figures }]);
    else entries.push({ customerId, asset, figures });
    this.#lastCustomerId = undefined;
  }

  figuresOf(customerId: string, asset: string, accountClass: string): MarginFigures | undefined {
    if (accountClass !== ACCOUNT_CLASS) return undefined;
    if (customerId !== this.#lastCustomerId) {
      this.#lastCustomerId = customerId;
      this.#last = this.#byHash.get(textHash(customerId));
    }
    if (this.#last === undefined) return undefined;
    for (const entry of this.#last) {
      if (entry.customerId === customerId && entry.asset === asset) return entry.figures;
    }
    return undefined;
  }
}

interface StatementBook {
  readonly accounts: Map<string, Account>;
  readonly vaults: Map<string, Vault>;
  readonly settings: SegmentSettings;
  readonly expected: Map<string, ExpectedSegment>;
  readonly custodyAccounts: number;
  readonly residualAccounts: number;
  readonly positions: number;
}

/** One customer's balance in one asset: 10% zero, the rest spread log-uniformly up to the asset's maximum. */
function customerBalance(random: ReturnType<typeof randomSource>, asset: (typeof ASSETS)[number]): bigint {
  if (random.unit() < ZERO_BALANCE_SHARE) return 0n;
  const units = BigInt(Math.floor(Math.exp(random.unit() * Math.log(asset.unitsMax))));
  const fractionDigits = Math.min(asset.scale, 9);
  const fraction = BigInt(random.below(10 ** fractionDigits)) * 10n ** BigInt(asset.scale - fractionDigits);
  return units * 10n ** BigInt(asset.scale) + fraction;
}

/**
 * The book at the close: per asset, OMNIBUS_VAULTS registered and acknowledged customer omnibus vaults (one
 * segregated custody account each), one residual-interest account, and one collateral account per customer.
 * Custody holds exactly the claims plus the residual interest, as the ledger's identity requires.
 */
function generateStatementBook(customers: number): StatementBook {
  const random = randomSource(4);
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
  const expected = new Map<string, ExpectedSegment>();
  const margin = new MarginBook();
  for (const asset of ASSETS) {
    expected.set(asset.code, {
      customers: 0,
      customersInDeficit: 0,
      netLedgerBalanceMinor: 0n,
      unrealisedPnlMinor: 0n,
      requirementMinor: 0n,
      residualInterestMinor: 0n,
      fundsHeldMinor: 0n,
    });
  }
  // The engine's Map is in opening order: the house's accounts at set-up, then each customer's five as they
  // onboard. Custody and residual balances are known only once the customers are generated, so those
  // accounts are created first and their balances filled in at the end.
  const custody: { account: { -readonly [K in keyof Account]: Account[K] }; asset: string; vault: number }[] =
    [];
  const residual = new Map<string, { -readonly [K in keyof Account]: Account[K] }>();
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
    const account = {
      id: `residual:${asset.code}:${ACCOUNT_CLASS}`,
      owner: house,
      asset: asset.code,
      segregationClass: 'residual_interest' as const,
      accountClass: ACCOUNT_CLASS,
      vaultId: null,
      debitsPostedMinor: 0n,
      creditsPostedMinor: 0n,
      debitsPendingMinor: 0n,
      creditsPendingMinor: 0n,
    };
    residual.set(asset.code, account);
    accounts.set(account.id, account);
  }
  let positions = 0;
  for (let c = 0; c < customers; c++) {
    const customerId = `cust-${c}`;
    const owner: Owner = { type: 'customer', customerId };
    for (const asset of ASSETS) {
      const balance = customerBalance(random, asset);
      // Withdrawals so far: debits on half of the accounts, so both posted columns carry values.
      const withdrawn = random.unit() < 0.5 ? 0n : balance / BigInt(2 + random.below(8));
      accounts.set(`${customerId}:${asset.code}`, {
        id: `${customerId}:${asset.code}`,
        owner,
        asset: asset.code,
        segregationClass: 'customer_collateral',
        accountClass: ACCOUNT_CLASS,
        vaultId: null,
        debitsPostedMinor: withdrawn,
        creditsPostedMinor: balance + withdrawn,
        debitsPendingMinor: 0n,
        creditsPendingMinor: 0n,
      });
      // A few percent hold positions: losers lose 20%-180% of their balance (so some end in deficit), winners
      // gain up to 50%. Zero-balance accounts that lose start straight in deficit.
      let pnl = 0n;
      const draw = random.unit();
      const base = balance > 0n ? balance : 10n ** BigInt(asset.scale);
      if (draw < LOSING_POSITION_SHARE) pnl = -((base * BigInt(20 + random.below(161))) / 100n);
      else if (draw < LOSING_POSITION_SHARE + WINNING_POSITION_SHARE)
        pnl = (base * BigInt(1 + random.below(50))) / 100n;
      if (draw < LOSING_POSITION_SHARE + WINNING_POSITION_SHARE) {
        positions += 1;
        margin.add(customerId, asset.code, { unrealisedPnlMinor: pnl, requiredMarginMinor: base / 10n });
      }
      const segment = expected.get(asset.code)!;
      const equity = balance + pnl;
      segment.customers += 1;
      segment.netLedgerBalanceMinor += balance;
      segment.unrealisedPnlMinor += pnl;
      segment.requirementMinor += positive(equity);
      if (equity < 0n) segment.customersInDeficit += 1;
    }
  }
  // The house keeps a residual interest of 2% of the claims; custody holds claims + residual interest, split
  // over the vaults (the remainder of the split goes to the first vault).
  for (const asset of ASSETS) {
    const segment = expected.get(asset.code)!;
    const residualMinor = segment.netLedgerBalanceMinor / 50n;
    segment.residualInterestMinor = residualMinor;
    segment.fundsHeldMinor = segment.netLedgerBalanceMinor + residualMinor;
    residual.get(asset.code)!.creditsPostedMinor = residualMinor;
    const share = segment.fundsHeldMinor / BigInt(OMNIBUS_VAULTS);
    for (const entry of custody.filter((e) => e.asset === asset.code)) {
      entry.account.debitsPostedMinor =
        entry.vault === 0 ? segment.fundsHeldMinor - share * BigInt(OMNIBUS_VAULTS - 1) : share;
    }
  }
  const targets = new Map(
    ASSETS.map((asset) => [
      segmentKey(asset.code, ACCOUNT_CLASS),
      expected.get(asset.code)!.residualInterestMinor / 2n,
    ]),
  );
  return {
    accounts,
    vaults,
    settings: { targets, shortfalls: new Map(), margin },
    expected,
    custodyAccounts: custody.length,
    residualAccounts: residual.size,
    positions,
  };
}

interface StatementRun {
  readonly statement: SealedStatement;
  readonly startedAtMs: number;
  readonly totalMs: number;
  readonly collectMs: number;
  readonly computeMs: number;
  readonly sealMs: number;
}

/** The statement exactly as the service computes and finalises it, phase by phase. */
function runStatement(book: StatementBook): StatementRun {
  const startedMs = performance.now();
  const inputs = collectSegments(book.accounts.values(), book.vaults, book.settings);
  const collectedMs = performance.now();
  const segments = inputs.map(computeSegment);
  const computedMs = performance.now();
  const statement = sealStatement(
    {
      version: 1,
      id: 'stmt-bench',
      regime: 'cftc',
      businessDate: '2025-01-02',
      cutoff: { seq: 1, headHash: '0'.repeat(64), batchTimestampMs: 1_735_837_200_000 },
      computedAtMs: 1_735_837_200_000,
      computedBy: 'bench',
      supersedes: null,
      segments,
      clientMoney: [],
    },
    1_735_837_260_000,
    'bench',
  );
  const sealedMs = performance.now();
  // The inputs are still alive here: this is the high-water mark of a statement computation.
  sampleHeap();
  assert(inputs.length === segments.length);
  return {
    statement,
    startedAtMs: startedMs,
    totalMs: sealedMs - startedMs,
    collectMs: collectedMs - startedMs,
    computeMs: computedMs - collectedMs,
    sealMs: sealedMs - computedMs,
  };
}

/** The statement says what the generated data says, line by line. */
function checkStatement(statement: SealedStatement, book: StatementBook): void {
  assert.equal(statement.segments.length, ASSETS.length, 'one segment per asset');
  for (const segment of statement.segments) {
    const expected = book.expected.get(segment.asset)!;
    assert.equal(segment.accountClass, ACCOUNT_CLASS);
    assert.equal(segment.customers, expected.customers, `${segment.asset}: customers`);
    assert.equal(segment.customersInDeficit, expected.customersInDeficit, `${segment.asset}: in deficit`);
    assert.equal(
      segment.netLedgerBalanceMinor,
      expected.netLedgerBalanceMinor,
      `${segment.asset}: net ledger`,
    );
    assert.equal(segment.unrealisedPnlMinor, expected.unrealisedPnlMinor, `${segment.asset}: unrealised PnL`);
    assert.equal(segment.requirementMinor, expected.requirementMinor, `${segment.asset}: Σ max(0, equity)`);
    assert.equal(segment.fundsHeldMinor, expected.fundsHeldMinor, `${segment.asset}: funds held`);
    assert.equal(segment.fundsNotEligibleMinor, 0n, `${segment.asset}: every vault is eligible`);
    assert.equal(segment.excessMinor, expected.fundsHeldMinor - expected.requirementMinor);
    assert.equal(segment.residualInterestLedgerMinor, expected.residualInterestMinor);
    assert.equal(segment.vaults.length, OMNIBUS_VAULTS);
  }
  assert.match(statement.hash, /^[0-9a-f]{64}$/);
}

// ---- (2) reconciliation ------------------------------------------------------------------------------

interface ReconcileBook {
  readonly ledger: LedgerVaultBalance[];
  readonly observed: ObservedVaultBalance[];
  readonly openBreaks: Break[];
  readonly internal: SegmentBalances[];
  readonly expectedBreaks: number;
  readonly expectedBelow: number;
  readonly expectedContinuing: Set<string>;
  readonly expectedCleared: number;
  /** Σ shortfall per segment key of the injected unfavourable breaks. */
  readonly expectedShortfalls: Map<string, bigint>;
}

const PREVIOUS_RUN_ID = 'rec-1';
const RUN_ID = 'rec-2';
const PREVIOUS_RUN_AT_MS = 1_735_750_800_000;
const RUN_AT_MS = 1_735_837_200_000;

/**
 * `count` (vault, asset) balances over ceil(count / 5) vaults spread across four account classes. About 1% of
 * the observations differ (half below the ledger, half above). The previous run left breaks open: most of
 * them on pairs that still differ the same way (continuing), some on pairs that now agree, and a few on
 * pairs that now differ the other way (both cleared; the latter also open a new break).
 */
function generateReconcileBook(count: number): ReconcileBook {
  const random = randomSource(11);
  const ledger: LedgerVaultBalance[] = [];
  for (let index = 0; index < count; index++) {
    const vault = Math.floor(index / ASSETS.length);
    const asset = ASSETS[index % ASSETS.length]!;
    ledger.push({
      vaultId: `vault-${vault}`,
      asset: asset.code,
      accountClass: RECONCILE_ACCOUNT_CLASSES[vault % RECONCILE_ACCOUNT_CLASSES.length]!,
      ledgerMinor: BigInt(1 + random.below(1_000_000)) * 10n ** BigInt(asset.scale),
    });
  }
  // Pick distinct pairs: the first `differing` differ now; the next `agreeing` agree now but had a break.
  const order = ledger.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = random.below(index + 1);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const differing = Math.max(count > 0 ? 1 : 0, Math.round(count * BREAK_SHARE));
  const agreeing = Math.min(order.length - differing, Math.round(differing / 5));
  const observedMinor = ledger.map((row) => row.ledgerMinor);
  const openBreaks: Break[] = [];
  const expectedContinuing = new Set<string>();
  const expectedShortfalls = new Map<string, bigint>();
  let expectedBelow = 0;
  let expectedCleared = 0;
  const openBreak = (row: LedgerVaultBalance, below: boolean): Break => ({
    id: `${PREVIOUS_RUN_ID}:${row.vaultId}:${row.asset}`,
    source: 'chain',
    vaultId: row.vaultId,
    asset: row.asset,
    accountClass: row.accountClass,
    direction: below ? 'observed_below_ledger' : 'observed_above_ledger',
    amountMinor: 1n + BigInt(random.below(1_000)),
    firstSeenAtMs: PREVIOUS_RUN_AT_MS,
    lastSeenAtMs: PREVIOUS_RUN_AT_MS,
    firstSeenRunId: PREVIOUS_RUN_ID,
    lastSeenRunId: PREVIOUS_RUN_ID,
    ageMs: 0,
  });
  for (let k = 0; k < differing; k++) {
    const index = order[k]!;
    const row = ledger[index]!;
    const below = k % 2 === 0;
    const amount = 1n + BigInt(random.below(1_000_000));
    observedMinor[index] = below ? row.ledgerMinor - amount : row.ledgerMinor + amount;
    if (below) {
      expectedBelow += 1;
      const key = segmentKey(row.asset, row.accountClass);
      expectedShortfalls.set(key, (expectedShortfalls.get(key) ?? 0n) + amount);
    }
    // Of every ten differing pairs, four were already open the same way and one the other way.
    const previous = k % 10;
    if (previous < 4) {
      const open = openBreak(row, below);
      openBreaks.push(open);
      expectedContinuing.add(open.id);
    } else if (previous === 4) {
      openBreaks.push(openBreak(row, !below));
      expectedCleared += 1;
    }
  }
  for (let k = differing; k < differing + agreeing; k++) {
    openBreaks.push(openBreak(ledger[order[k]!]!, k % 2 === 0));
    expectedCleared += 1;
  }
  // The source reports in its own order.
  const observed: ObservedVaultBalance[] = order.map((index) => ({
    vaultId: ledger[index]!.vaultId,
    asset: ledger[index]!.asset,
    observedMinor: observedMinor[index]!,
  }));
  // Internal: per segment, custody = Σ ledger rows; the claims are 98% of it and the rest is residual interest.
  const custodyBySegment = new Map<string, { asset: string; accountClass: string; custodyMinor: bigint }>();
  for (const row of ledger) {
    const key = segmentKey(row.asset, row.accountClass);
    const segment = custodyBySegment.get(key);
    if (segment === undefined)
      custodyBySegment.set(key, {
        asset: row.asset,
        accountClass: row.accountClass,
        custodyMinor: row.ledgerMinor,
      });
    else segment.custodyMinor += row.ledgerMinor;
  }
  const internal = [...custodyBySegment.values()].map((segment) => {
    const claims = (segment.custodyMinor * 98n) / 100n;
    return {
      asset: segment.asset,
      accountClass: segment.accountClass,
      segregatedCustodyMinor: segment.custodyMinor,
      customerClaimsMinor: claims,
      residualInterestMinor: segment.custodyMinor - claims,
    };
  });
  return {
    ledger,
    observed,
    openBreaks,
    internal,
    expectedBreaks: differing,
    expectedBelow,
    expectedContinuing,
    expectedCleared,
    expectedShortfalls,
  };
}

interface ReconcileRun {
  readonly totalMs: number;
  readonly externalMs: number;
  readonly internalMs: number;
  readonly external: ReturnType<typeof reconcileExternal>;
  readonly internal: ReturnType<typeof reconcileInternal>;
}

function runReconcile(book: ReconcileBook): ReconcileRun {
  const startedMs = performance.now();
  const external = reconcileExternal({
    source: 'chain',
    sourceReference: 'block 21000000 0xbench',
    runId: RUN_ID,
    nowMs: RUN_AT_MS,
    topUpDueAtMs: RUN_AT_MS + 8 * 3_600_000,
    ledger: book.ledger,
    observed: book.observed,
    openBreaks: book.openBreaks,
  });
  const externalDoneMs = performance.now();
  const internal = reconcileInternal(book.internal);
  const doneMs = performance.now();
  return {
    totalMs: doneMs - startedMs,
    externalMs: externalDoneMs - startedMs,
    internalMs: doneMs - externalDoneMs,
    external,
    internal,
  };
}

/** The breaks, clearances, top-ups and shortfalls are exactly the injected ones. */
function checkReconcile(run: ReconcileRun, book: ReconcileBook): void {
  const { external, internal } = run;
  assert.equal(external.lines.length, book.ledger.length, 'every pair is covered');
  assert.equal(external.notCovered.length, 0);
  assert.equal(external.breaks.length, book.expectedBreaks, 'break count = injected differences');
  const continuing = external.breaks.filter((entry) => entry.firstSeenRunId === PREVIOUS_RUN_ID);
  assert.equal(continuing.length, book.expectedContinuing.size, 'continuing breaks');
  for (const entry of continuing) assert.ok(book.expectedContinuing.has(entry.id), `${entry.id} continues`);
  assert.equal(external.cleared.length, book.expectedCleared, 'cleared breaks');
  assert.equal(external.carriedOver.length, 0);
  assert.equal(external.topUps.length, book.expectedBelow, 'one top-up per unfavourable break');
  assert.equal(external.shortfalls.length, book.expectedShortfalls.size);
  for (const shortfall of external.shortfalls) {
    const key = segmentKey(shortfall.asset, shortfall.accountClass);
    assert.equal(shortfall.shortfallMinor, book.expectedShortfalls.get(key), `${key}: shortfall`);
  }
  assert.equal(internal.length, book.internal.length);
  assert.ok(
    internal.every((line) => line.balanced),
    'every segment balances internally',
  );
}

// ---- main --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const threads = cpus().length;
  console.log(
    `generating ${CUSTOMERS} customers x ${ASSETS.length} assets (${CUSTOMERS * ASSETS.length} accounts)...`,
  );
  const generatedAtMs = performance.now();
  const book = generateStatementBook(CUSTOMERS);
  console.log(
    `generated ${book.accounts.size} accounts in ${Math.round(performance.now() - generatedAtMs)} ms`,
  );
  sampleHeap();

  for (let run = 0; run < WARM_UP_RUNS; run++) {
    collectGarbage();
    const warm = runStatement(book);
    checkStatement(warm.statement, book);
    console.log(`statement warm-up ${run + 1}: ${round(warm.totalMs)} ms`);
  }
  // Other work on the machine slows every figure here: the load average says how much there was.
  const loadBefore = loadavg()[0]!;
  const statementRuns: StatementRun[] = [];
  const statementGcMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    collectGarbage();
    const measured = runStatement(book);
    checkStatement(measured.statement, book);
    statementRuns.push(measured);
    const gcMs = await gcPauseMs(measured.startedAtMs, measured.startedAtMs + measured.totalMs);
    statementGcMs.push(gcMs);
    console.log(
      `statement run ${run + 1}: ${round(measured.totalMs)} ms (collect ${round(measured.collectMs)}, ` +
        `compute ${round(measured.computeMs)}, seal ${round(measured.sealMs)}; GC pauses ${round(gcMs)})`,
    );
  }
  const firstStatement = statementRuns[0]!.statement;
  for (const other of statementRuns) assert.equal(other.statement.hash, firstStatement.hash, 'deterministic');
  const customersInDeficit = firstStatement.segments.reduce((sum, s) => sum + s.customersInDeficit, 0);
  const statementMs = median(statementRuns.map((r) => r.totalMs));

  console.log(`reconciling ${VAULT_BALANCES} vault balances...`);
  const reconcileBook = generateReconcileBook(VAULT_BALANCES);
  for (let run = 0; run < Math.max(1, WARM_UP_RUNS); run++)
    checkReconcile(runReconcile(reconcileBook), reconcileBook);
  const reconcileRuns: ReconcileRun[] = [];
  for (let run = 0; run < RECONCILE_RUNS; run++) {
    const measured = runReconcile(reconcileBook);
    checkReconcile(measured, reconcileBook);
    reconcileRuns.push(measured);
  }
  const reconcileMs = median(reconcileRuns.map((r) => r.totalMs));
  const breaks = reconcileRuns[0]!.external;
  console.log(`reconcile: ${round(reconcileMs)} ms median of ${RECONCILE_RUNS}`);
  sampleHeap();

  console.log(
    JSON.stringify({
      statement_ms: round(statementMs),
      statement_ms_min: round(Math.min(...statementRuns.map((r) => r.totalMs))),
      statement_ms_runs: statementRuns.map((r) => round(r.totalMs)),
      statement_target_ms: STATEMENT_TARGET_MS,
      statement_target_met: statementMs <= STATEMENT_TARGET_MS,
      collect_ms: round(median(statementRuns.map((r) => r.collectMs))),
      compute_ms: round(median(statementRuns.map((r) => r.computeMs))),
      seal_ms: round(median(statementRuns.map((r) => r.sealMs))),
      statement_gc_pause_ms: round(median(statementGcMs)),
      reconcile_ms: round(reconcileMs),
      reconcile_ms_min: round(Math.min(...reconcileRuns.map((r) => r.totalMs))),
      reconcile_external_ms: round(median(reconcileRuns.map((r) => r.externalMs))),
      reconcile_internal_ms: round(median(reconcileRuns.map((r) => r.internalMs))),
      reconcile_target_ms: RECONCILE_TARGET_MS,
      reconcile_target_met: reconcileMs <= RECONCILE_TARGET_MS,
      customers: CUSTOMERS,
      assets: ASSETS.length,
      customer_accounts: CUSTOMERS * ASSETS.length,
      account_classes: [ACCOUNT_CLASS],
      segments: firstStatement.segments.length,
      custody_accounts: book.custodyAccounts,
      residual_interest_accounts: book.residualAccounts,
      margin_positions: book.positions,
      customers_in_deficit: customersInDeficit,
      vault_balances: VAULT_BALANCES,
      reconcile_segments: reconcileBook.internal.length,
      breaks: breaks.breaks.length,
      breaks_continuing: reconcileBook.expectedContinuing.size,
      breaks_cleared: breaks.cleared.length,
      open_breaks_before: reconcileBook.openBreaks.length,
      runs: RUNS,
      warm_up_runs: WARM_UP_RUNS,
      reconcile_runs: RECONCILE_RUNS,
      gc_between_runs: typeof (globalThis as { gc?: unknown }).gc === 'function',
      load_average_1m: [round(loadBefore), round(loadavg()[0]!)],
      heap_used_mb: Math.round(heapUsedPeakBytes / 2 ** 20),
      heap_limit_mb: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20),
      input: STATEMENT_INPUT,
      results_checked: true,
      machine: `${cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${threads} threads, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`,
      node: process.version,
    }),
  );
}

await main();
