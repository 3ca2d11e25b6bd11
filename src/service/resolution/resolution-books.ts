// What the resolution reads from the books at one journal position: the daily statement's segment inputs
// (customer net equity per estate, the eligible vaults' holdings, unresolved shortfalls) for the claims and the
// distribution, and the contagion simulation's book (every vault's holdings per asset and whose they are).

import type { Vault } from '../../core/custody/vault.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import type { ContagionBook, HouseCreditor, VaultHolding } from '../../core/resolution/contagion.ts';
import {
  collectSegments,
  compareText,
  type MarginFigures,
  type MarginSource,
  type SegmentInput,
  segmentKey,
  vaultIneligibility,
} from '../../core/segregation/statement.ts';
import type { PinnedMark, PinnedShortfall } from './resolution-events.ts';

/** The journal position the books were read at. */
export interface JournalPosition {
  readonly seq: number;
  readonly headHash: string;
  readonly batchTimestampMs: number;
}

/** One registered asset and its scale. */
export interface AssetScale {
  readonly code: string;
  readonly scale: number;
}

/** The books as a resolution reads them. */
export interface ResolutionBooks {
  readonly journal: JournalPosition;
  readonly assets: readonly AssetScale[];
  /** One per estate with a position, a holding or a shortfall, sorted by asset, then class. */
  readonly segments: readonly SegmentInput[];
  readonly vaults: readonly Vault[];
}

/** What the books do not hold: unresolved shortfalls per segment key and the margin engine's marks. */
export interface BooksSettings {
  readonly shortfalls: ReadonlyMap<string, bigint>;
  readonly margin: MarginSource;
}

/** Reads the books: the statement's segment inputs without targets (a resolution has none). */
export function readResolutionBooks(engine: LedgerEngine, settings: BooksSettings): ResolutionBooks {
  const vaults = engine.listVaults();
  return {
    journal: { seq: engine.headSeq, headHash: engine.headHash, batchTimestampMs: engine.headTimestampMs },
    assets: engine.listAssets().map((asset) => ({ code: asset.code, scale: asset.scale })),
    segments: collectSegments(engine.iterateAccounts(), new Map(vaults.map((vault) => [vault.id, vault])), {
      targets: new Map(),
      shortfalls: settings.shortfalls,
      margin: settings.margin,
    }),
    vaults,
  };
}

/** Pinned shortfalls as the statement's settings map (by segment key). */
export function shortfallMap(shortfalls: readonly PinnedShortfall[]): Map<string, bigint> {
  return new Map(shortfalls.map((entry) => [segmentKey(entry.asset, entry.accountClass), entry.amountMinor]));
}

/** The segregation module's unresolved shortfalls as pinned entries, sorted by asset and class. */
export function pinShortfalls(shortfalls: ReadonlyMap<string, bigint>): PinnedShortfall[] {
  const pinned: PinnedShortfall[] = [];
  for (const [key, amountMinor] of shortfalls) {
    if (amountMinor === 0n) continue;
    const [asset, accountClass] = key.split('/') as [string, string];
    pinned.push({ asset, accountClass, amountMinor });
  }
  return pinned.sort((a, b) => compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass));
}

/** Every non-zero unrealised PnL the segments carry, sorted by customer, asset and class. */
export function pinMarks(segments: readonly SegmentInput[]): PinnedMark[] {
  const marks: PinnedMark[] = [];
  for (const segment of segments) {
    for (const customer of segment.customers) {
      if (customer.unrealisedPnlMinor === 0n) continue;
      marks.push({
        customerId: customer.customerId,
        asset: segment.asset,
        accountClass: segment.accountClass,
        unrealisedPnlMinor: customer.unrealisedPnlMinor,
      });
    }
  }
  return marks.sort(
    (a, b) =>
      compareText(a.customerId, b.customerId) ||
      compareText(a.asset, b.asset) ||
      compareText(a.accountClass, b.accountClass),
  );
}

/** The pinned marks as a margin source (required margin plays no part in a resolution). */
export function marginOfMarks(marks: readonly PinnedMark[]): MarginSource {
  const figures = new Map<string, MarginFigures>();
  for (const mark of marks) {
    figures.set(`${mark.customerId}\u0000${mark.asset}\u0000${mark.accountClass}`, {
      unrealisedPnlMinor: mark.unrealisedPnlMinor,
      requiredMarginMinor: 0n,
    });
  }
  if (figures.size === 0) return { figuresOf: () => undefined };
  return {
    figuresOf: (customerId, asset, accountClass) =>
      figures.get(`${customerId}\u0000${asset}\u0000${accountClass}`),
  };
}

/**
 * The contagion book of the books as they stand: each vault's custody per asset, pooled as the statement
 * counts it. A segregated custody account in a registered, acknowledged customer vault of its class holds
 * that class's customer property (residual interest included); every other custody (house, insurance fund,
 * and customer custody the statement does not count) is the house's, so it falls to the general estate. Net
 * equity is read as for the resolution. The books hold no house creditors: the scenario brings them.
 */
export function readContagionBook(
  engine: LedgerEngine,
  margin: MarginSource,
  houseCreditors: readonly HouseCreditor[],
): ContagionBook {
  const vaults = new Map(engine.listVaults().map((vault) => [vault.id, vault]));
  const holdings = new Map<string, { -readonly [K in keyof VaultHolding]: VaultHolding[K] }>();
  for (const account of engine.iterateAccounts()) {
    const segregated = account.segregationClass === 'segregated_custody';
    if (
      !segregated &&
      account.segregationClass !== 'house_custody' &&
      account.segregationClass !== 'insurance_custody'
    )
      continue;
    const amountMinor = account.debitsPostedMinor - account.creditsPostedMinor;
    const vaultId = account.vaultId ?? `unregistered:${account.segregationClass}`;
    const eligible =
      segregated &&
      account.accountClass !== null &&
      vaultIneligibility(vaults.get(vaultId), account.accountClass) === null;
    const key = `${vaultId}\u0000${account.asset}`;
    const existing = holdings.get(key);
    if (existing !== undefined) {
      existing.amountMinor += amountMinor;
      continue;
    }
    holdings.set(key, {
      vaultId,
      asset: account.asset,
      pool: eligible ? { type: 'customer', accountClass: account.accountClass! } : { type: 'house' },
      amountMinor,
    });
  }
  const segments = collectSegments(engine.iterateAccounts(), vaults, {
    targets: new Map(),
    shortfalls: new Map(),
    margin,
  });
  return {
    holdings: [...holdings.values()].sort(
      (a, b) => compareText(a.vaultId, b.vaultId) || compareText(a.asset, b.asset),
    ),
    netEquity: segments.flatMap((segment) =>
      segment.customers.map((customer) => ({
        customerId: customer.customerId,
        asset: segment.asset,
        accountClass: segment.accountClass,
        netEquityMinor: customer.ledgerBalanceMinor + customer.unrealisedPnlMinor,
      })),
    ),
    houseCreditors,
  };
}
