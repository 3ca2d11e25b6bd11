// Reconciliation of the segregated books: internally, each customer segment's custody against its claims and
// residual interest; externally, each segregated vault's ledger balance against what one outside source (the
// chain, or a custodian's statement) observes, with the breaks, shortfalls and top-up instructions that follow.

import { assert } from '../assert.ts';
import { ACCOUNT_CLASS_PATTERN, ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import { ASSET_CODE_PATTERN } from '../money/asset.ts';

/** One customer segment (asset x account class) as the ledger holds it. */
export interface SegmentBalances {
  readonly asset: string;
  readonly accountClass: string;
  readonly segregatedCustodyMinor: bigint;
  readonly customerClaimsMinor: bigint;
  readonly residualInterestMinor: bigint;
}

/** One segment's internal reconciliation: the identity custody = claims + residual interest, checked. */
export interface InternalReconciliationLine extends SegmentBalances {
  /** segregatedCustody − (customerClaims + residualInterest). */
  readonly differenceMinor: bigint;
  readonly balanced: boolean;
}

/** Checks custody = claims + residual interest per segment, sorted by asset then account class. */
export function reconcileInternal(segments: readonly SegmentBalances[]): InternalReconciliationLine[] {
  const seen = new Set<string>();
  const lines = segments.map((segment): InternalReconciliationLine => {
    const key = segmentKey(segment.asset, segment.accountClass);
    assert(!seen.has(key), `segment ${segment.asset}/${segment.accountClass} is listed once`);
    seen.add(key);
    const differenceMinor =
      segment.segregatedCustodyMinor - (segment.customerClaimsMinor + segment.residualInterestMinor);
    return {
      asset: segment.asset,
      accountClass: segment.accountClass,
      segregatedCustodyMinor: segment.segregatedCustodyMinor,
      customerClaimsMinor: segment.customerClaimsMinor,
      residualInterestMinor: segment.residualInterestMinor,
      differenceMinor,
      balanced: differenceMinor === 0n,
    };
  });
  return lines.sort((a, b) => compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass));
}

/** Where observed balances come from. */
export const RECONCILIATION_SOURCES = ['chain', 'custodian'] as const;
export type ReconciliationSource = (typeof RECONCILIATION_SOURCES)[number];

/**
 * Which way a break points. `observed_below_ledger` is unfavourable: the books say the vault holds more
 * customer coins than it does (a shortfall). `observed_above_ledger` is favourable.
 */
export const BREAK_DIRECTIONS = ['observed_below_ledger', 'observed_above_ledger'] as const;
export type BreakDirection = (typeof BREAK_DIRECTIONS)[number];

/** An open difference between the ledger and one source for one vault and asset. */
export interface Break {
  /** `${firstSeenRunId}:${vaultId}:${asset}`, kept while the break continues (see `breakIdFor`). */
  readonly id: string;
  readonly source: ReconciliationSource;
  readonly vaultId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly direction: BreakDirection;
  /** |observed − ledger| in the latest run; always > 0. */
  readonly amountMinor: bigint;
  readonly firstSeenAtMs: number;
  readonly lastSeenAtMs: number;
  readonly firstSeenRunId: string;
  readonly lastSeenRunId: string;
  /** nowMs − firstSeenAtMs of the latest run. */
  readonly ageMs: number;
}

/** The ledger's balance of one segregated custody account: one vault, one asset, one account class. */
export interface LedgerVaultBalance {
  readonly vaultId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly ledgerMinor: bigint;
}

/** What the source says one vault holds of one asset. */
export interface ObservedVaultBalance {
  readonly vaultId: string;
  readonly asset: string;
  readonly observedMinor: bigint;
}

/** One run of external reconciliation against one source. */
export interface ExternalReconciliationInput {
  readonly source: ReconciliationSource;
  /** What was read: "block 123 0xabc…" for the chain, the statement id for a custodian. */
  readonly sourceReference: string;
  /** This run's id; it matches ENTITY_ID_PATTERN and differs from every earlier run's. */
  readonly runId: string;
  readonly nowMs: number;
  /** When top-ups are due: close of business on the day of the reconciliation (CASS 7.15.29R). */
  readonly topUpDueAtMs: number;
  /** Every segregated custody balance of the ledger; one row (possibly 0) for each observed pair. */
  readonly ledger: readonly LedgerVaultBalance[];
  readonly observed: readonly ObservedVaultBalance[];
  /** Breaks of this same source still open from earlier runs. */
  readonly openBreaks: readonly Break[];
}

/** One (vault, asset) the source covered. */
export interface ExternalReconciliationLine {
  readonly vaultId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly ledgerMinor: bigint;
  readonly observedMinor: bigint;
  /** observed − ledger: negative is a shortfall. */
  readonly differenceMinor: bigint;
}

/** The sum of open unfavourable breaks of one segment. */
export interface SegmentShortfall {
  readonly asset: string;
  readonly accountClass: string;
  readonly shortfallMinor: bigint;
}

/** The house pays `amountMinor` into the segregated vault that is short, by `dueAtMs`. */
export interface TopUpInstruction {
  /** `topup:` + the break id, so it stays the same while the break continues. */
  readonly id: string;
  readonly breakId: string;
  readonly asset: string;
  readonly accountClass: string;
  /** The destination: the segregated vault short of coins. */
  readonly vaultId: string;
  readonly from: 'house';
  readonly amountMinor: bigint;
  readonly dueAtMs: number;
}

/** Per asset, the ledger and observed totals over the covered lines. */
export interface AssetTotals {
  readonly asset: string;
  readonly ledgerMinor: bigint;
  readonly observedMinor: bigint;
}

/** The result of one external reconciliation run; every list is sorted by (vaultId, asset). */
export interface ExternalReconciliation {
  readonly source: ReconciliationSource;
  readonly sourceReference: string;
  readonly runId: string;
  readonly atMs: number;
  readonly lines: readonly ExternalReconciliationLine[];
  /** Ledger rows the source did not cover (a custodian statement may cover only some vaults); not breaks. */
  readonly notCovered: readonly LedgerVaultBalance[];
  /** The open breaks after this run: new ones and continuing ones. */
  readonly breaks: readonly Break[];
  /** Ids of open breaks that no longer show a difference: the caller closes them as auto-cleared. */
  readonly cleared: readonly string[];
  /** Ids of open breaks this run could not re-check (their pair was not covered): they stay open as they are. */
  readonly carriedOver: readonly string[];
  /** Per segment, the sum of this run's unfavourable breaks (sorted by asset, account class). */
  readonly shortfalls: readonly SegmentShortfall[];
  /** One per unfavourable break. */
  readonly topUps: readonly TopUpInstruction[];
  /** Sorted by asset. */
  readonly totals: readonly AssetTotals[];
}

/**
 * The id of a break first seen in `runId`: `${runId}:${vaultId}:${asset}`. Every character of the three parts
 * and the ':' separators is in ENTITY_ID_PATTERN's set and a run id starts with a letter or digit, so the id
 * matches ENTITY_ID_PATTERN whenever its length is at most 128: keep run ids short (vault ids may be 128).
 */
export function breakIdFor(runId: string, vaultId: string, asset: string): string {
  const id = `${runId}:${vaultId}:${asset}`;
  assert(ENTITY_ID_PATTERN.test(id), `break id ${id} matches ENTITY_ID_PATTERN (run id too long?)`);
  return id;
}

/** Longest id ENTITY_ID_PATTERN accepts. */
const ENTITY_ID_LENGTH_MAX = 128;

/**
 * Compares the ledger's vault balances with one source's observations. Each covered (vault, asset) with a
 * non-zero difference is a break: continuing (same id and first sighting) if this source already has an open
 * break of that vault, asset and direction, new otherwise. Runs in O(n log n) over the rows.
 */
export function reconcileExternal(input: ExternalReconciliationInput): ExternalReconciliation {
  assert(ENTITY_ID_PATTERN.test(input.runId), `run id ${input.runId} matches ENTITY_ID_PATTERN`);
  assert(Number.isSafeInteger(input.nowMs) && input.nowMs >= 0, 'nowMs is a safe integer >= 0');
  assert(Number.isSafeInteger(input.topUpDueAtMs), 'topUpDueAtMs is a safe integer');

  // Each ledger row with whether this run's source covered it; one lookup per observation.
  const ledgerEntries = input.ledger.map((row) => ({ row, covered: false }));
  const ledgerByPair = new PairMap<{ readonly row: LedgerVaultBalance; covered: boolean }>();
  for (const entry of ledgerEntries) {
    const row = entry.row;
    assert(ENTITY_ID_PATTERN.test(row.vaultId), `vault id ${row.vaultId} matches ENTITY_ID_PATTERN`);
    assert(ASSET_CODE_PATTERN.test(row.asset), `asset ${row.asset} matches ASSET_CODE_PATTERN`);
    assert(ACCOUNT_CLASS_PATTERN.test(row.accountClass), `account class ${row.accountClass} is valid`);
    assert(row.ledgerMinor >= 0n, 'a custody balance is never negative');
    assert(
      ledgerByPair.get(row.vaultId, row.asset) === undefined,
      `ledger lists ${row.vaultId}/${row.asset} once`,
    );
    ledgerByPair.set(row.vaultId, row.asset, entry);
  }

  // At most one open break per pair and direction: index 0 below ledger, 1 above.
  const openByPair = new PairMap<[Break | undefined, Break | undefined]>();
  const openIds = new Set<string>();
  for (const open of input.openBreaks) {
    assert(open.source === input.source, `open break ${open.id} is of source ${input.source}`);
    assert(open.firstSeenAtMs <= input.nowMs, `open break ${open.id} was first seen no later than now`);
    let slots = openByPair.get(open.vaultId, open.asset);
    if (slots === undefined) {
      slots = [undefined, undefined];
      openByPair.set(open.vaultId, open.asset, slots);
    }
    const slot = open.direction === 'observed_below_ledger' ? 0 : 1;
    assert(slots[slot] === undefined && !openIds.has(open.id), `open break ${open.id} is listed once`);
    slots[slot] = open;
    openIds.add(open.id);
  }

  const lines: ExternalReconciliationLine[] = [];
  const breaks: Break[] = [];
  const continued = new Set<string>();
  for (const observation of input.observed) {
    const entry = ledgerByPair.get(observation.vaultId, observation.asset);
    assert(
      entry !== undefined,
      `the ledger has a row for observed ${observation.vaultId}/${observation.asset}`,
    );
    assert(!entry.covered, `observed lists ${observation.vaultId}/${observation.asset} once`);
    assert(observation.observedMinor >= 0n, 'an observed balance is never negative');
    entry.covered = true;
    const row = entry.row;
    const differenceMinor = observation.observedMinor - row.ledgerMinor;
    lines.push({
      vaultId: row.vaultId,
      asset: row.asset,
      accountClass: row.accountClass,
      ledgerMinor: row.ledgerMinor,
      observedMinor: observation.observedMinor,
      differenceMinor,
    });
    if (differenceMinor === 0n) continue;
    const below = differenceMinor < 0n;
    const open = openByPair.get(row.vaultId, row.asset)?.[below ? 0 : 1];
    if (open !== undefined) continued.add(open.id);
    // The parts were checked against their patterns above, so only the length can break ENTITY_ID_PATTERN.
    const id = open?.id ?? `${input.runId}:${row.vaultId}:${row.asset}`;
    assert(id.length <= ENTITY_ID_LENGTH_MAX, `break id ${id} fits ENTITY_ID_PATTERN (run id too long?)`);
    assert(
      open !== undefined || !openIds.has(id),
      `new break id ${id} is not an open break's (run ids differ)`,
    );
    const firstSeenAtMs = open?.firstSeenAtMs ?? input.nowMs;
    breaks.push({
      id,
      source: input.source,
      vaultId: row.vaultId,
      asset: row.asset,
      accountClass: row.accountClass,
      direction: below ? 'observed_below_ledger' : 'observed_above_ledger',
      amountMinor: below ? -differenceMinor : differenceMinor,
      firstSeenAtMs,
      lastSeenAtMs: input.nowMs,
      firstSeenRunId: open?.firstSeenRunId ?? input.runId,
      lastSeenRunId: input.runId,
      ageMs: input.nowMs - firstSeenAtMs,
    });
  }

  // An open break is cleared only when this run looked at its pair and no longer saw that difference; a pair
  // the source did not cover says nothing, so its break stays open.
  const cleared: Break[] = [];
  const carriedOver: Break[] = [];
  for (const open of input.openBreaks) {
    if (continued.has(open.id)) continue;
    (ledgerByPair.get(open.vaultId, open.asset)?.covered === true ? cleared : carriedOver).push(open);
  }

  const notCovered = ledgerEntries.filter((entry) => !entry.covered).map((entry) => entry.row);
  lines.sort(compareVaultAsset);
  notCovered.sort(compareVaultAsset);
  breaks.sort(compareVaultAsset);
  // Two open breaks of one pair (both directions) can only come from earlier runs; their ids order them.
  const byPairThenId = (a: Break, b: Break): number => compareVaultAsset(a, b) || compareText(a.id, b.id);
  cleared.sort(byPairThenId);
  carriedOver.sort(byPairThenId);

  const topUps = breaks
    .filter((entry) => entry.direction === 'observed_below_ledger')
    .map(
      (entry): TopUpInstruction => ({
        id: `topup:${entry.id}`,
        breakId: entry.id,
        asset: entry.asset,
        accountClass: entry.accountClass,
        vaultId: entry.vaultId,
        from: 'house',
        amountMinor: entry.amountMinor,
        dueAtMs: input.topUpDueAtMs,
      }),
    );

  return {
    source: input.source,
    sourceReference: input.sourceReference,
    runId: input.runId,
    atMs: input.nowMs,
    lines,
    notCovered,
    breaks,
    cleared: cleared.map((entry) => entry.id),
    carriedOver: carriedOver.map((entry) => entry.id),
    shortfalls: shortfallBySegment(breaks),
    topUps,
    totals: totalsByAsset(lines),
  };
}

/**
 * Sums the open unfavourable breaks per segment (asset, account class), sorted by asset then account class:
 * an unresolved break showing less in the vault than the books is treated as a real shortfall and funded
 * (CASS 7.15.32R). Favourable breaks never offset it.
 */
export function shortfallBySegment(breaks: readonly Break[]): SegmentShortfall[] {
  const byAsset = new Map<
    string,
    Map<string, { asset: string; accountClass: string; shortfallMinor: bigint }>
  >();
  const totals: { asset: string; accountClass: string; shortfallMinor: bigint }[] = [];
  for (const entry of breaks) {
    assert(entry.amountMinor > 0n, `break ${entry.id} has a positive amount`);
    if (entry.direction !== 'observed_below_ledger') continue;
    let byClass = byAsset.get(entry.asset);
    if (byClass === undefined) {
      byClass = new Map();
      byAsset.set(entry.asset, byClass);
    }
    const total = byClass.get(entry.accountClass);
    if (total === undefined) {
      const created = {
        asset: entry.asset,
        accountClass: entry.accountClass,
        shortfallMinor: entry.amountMinor,
      };
      byClass.set(entry.accountClass, created);
      totals.push(created);
    } else {
      total.shortfallMinor += entry.amountMinor;
    }
  }
  return totals.sort((a, b) => compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass));
}

function totalsByAsset(lines: readonly ExternalReconciliationLine[]): AssetTotals[] {
  const byAsset = new Map<string, { asset: string; ledgerMinor: bigint; observedMinor: bigint }>();
  for (const line of lines) {
    const total = byAsset.get(line.asset);
    if (total === undefined) {
      byAsset.set(line.asset, {
        asset: line.asset,
        ledgerMinor: line.ledgerMinor,
        observedMinor: line.observedMinor,
      });
    } else {
      total.ledgerMinor += line.ledgerMinor;
      total.observedMinor += line.observedMinor;
    }
  }
  return [...byAsset.values()].sort((a, b) => compareText(a.asset, b.asset));
}

/** A map keyed by (vaultId, asset), nested so no key string is built per lookup. */
class PairMap<Value> {
  private readonly byVault = new Map<string, Map<string, Value>>();

  get(vaultId: string, asset: string): Value | undefined {
    return this.byVault.get(vaultId)?.get(asset);
  }

  set(vaultId: string, asset: string, value: Value): void {
    let byAsset = this.byVault.get(vaultId);
    if (byAsset === undefined) {
      byAsset = new Map();
      this.byVault.set(vaultId, byAsset);
    }
    byAsset.set(asset, value);
  }
}

// Codes and classes never contain NUL, so joining with it cannot make two different segments collide.
function segmentKey(asset: string, accountClass: string): string {
  return `${asset}\u0000${accountClass}`;
}

function compareVaultAsset(
  a: { readonly vaultId: string; readonly asset: string },
  b: { readonly vaultId: string; readonly asset: string },
): number {
  return compareText(a.vaultId, b.vaultId) || compareText(a.asset, b.asset);
}

// Code-unit order, not locale order, so the output is the same on every machine.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
