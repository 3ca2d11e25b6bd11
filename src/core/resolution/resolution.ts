// Resolution of every customer estate at once: property per estate (segregated custody held for one asset
// in one account class, residual interest inside segregation included, plus debts recovered from deficit
// customers; never house property), the claims register, each estate distributed pro rata in kind, and the
// unpaid parts gathered as each customer's unsecured claim against the house estate per asset (11 USC 766(h)
// and 752(b)(2), 17 CFR 190.09, CASS 7A.2). Recording a recovery is a new input: the result is recomputed.

import { type Rejected, rejected } from '../custody/rejection.ts';
import {
  buildClaimsRegister,
  compareEstateKeys,
  type EstateClaims,
  type EstateKey,
  estateMapKey,
  type NetEquityEntry,
} from './claims.ts';
import { distributeSorted, type Ratio } from './distribution.ts';

/** Segregated property held for one estate; entries for the same estate add up (one per vault, say). */
export interface EstateProperty {
  readonly asset: string;
  readonly accountClass: string;
  /** Custody held in segregation for the estate, residual interest included, in minor units. */
  readonly heldMinor: bigint;
}

/** An amount a deficit customer has paid back to the estate it owes. */
export interface DebtRecovery {
  readonly customerId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly amountMinor: bigint;
}

/** Everything a resolution is computed from: frozen books and the recoveries recorded since. */
export interface ResolutionInput {
  readonly netEquity: readonly NetEquityEntry[];
  readonly property: readonly EstateProperty[];
  readonly recoveries: readonly DebtRecovery[];
}

/** What one customer receives from one estate: claim = payout + unpaid. */
export interface CustomerPayout {
  readonly customerId: string;
  readonly claimMinor: bigint;
  readonly payoutMinor: bigint;
  /** Unpaid part of the claim: an unsecured claim against the house estate. */
  readonly unpaidMinor: bigint;
}

/** A deficit customer's debt to an estate and how much of it has been recovered. */
export interface EstateDebt {
  readonly customerId: string;
  readonly debtMinor: bigint;
  readonly recoveredMinor: bigint;
  readonly outstandingMinor: bigint;
}

/** One estate's property, claims and distribution. */
export interface EstateResolution extends EstateKey {
  /** Segregated custody held for the estate. */
  readonly heldMinor: bigint;
  /** Debts recovered from deficit customers. */
  readonly recoveredMinor: bigint;
  /** held + recovered: what the estate distributes. */
  readonly propertyMinor: bigint;
  readonly totalClaimsMinor: bigint;
  /** min(property, Σ claims). */
  readonly distributedMinor: bigint;
  /** Σ unpaid. */
  readonly shortfallMinor: bigint;
  /** Property left after every claim is paid in full; it returns to the house estate. */
  readonly surplusMinor: bigint;
  /** min(1, property / Σ claims), exact, in lowest terms. */
  readonly ratio: Ratio;
  readonly payouts: readonly CustomerPayout[];
  readonly debts: readonly EstateDebt[];
}

/** A customer's unpaid claims in one asset, summed over account classes: owed by the house estate. */
export interface UnsecuredClaim {
  readonly customerId: string;
  readonly asset: string;
  readonly amountMinor: bigint;
}

/** Every estate resolved: estates sorted by asset and class, unsecured claims by customer and asset. */
export interface Resolution {
  readonly estates: readonly EstateResolution[];
  readonly unsecuredClaims: readonly UnsecuredClaim[];
}

/** The rejection codes of resolveEstates, in the order they are checked. */
export type ResolutionErrorCode =
  | 'resolution_property_negative'
  | 'resolution_recovery_not_positive'
  | 'resolution_recovery_without_debt'
  | 'resolution_recovery_exceeds_debt';

/** The resolution, or the first broken rule. */
export type ResolveEstatesResult =
  | { readonly ok: true; readonly resolution: Resolution }
  | Rejected<ResolutionErrorCode>;

/**
 * Resolves every estate. Checks, in order: each property entry is non-negative; then each recovery, in input
 * order, is positive, is owed (the customer's net equity in that estate is negative) and, with the
 * recoveries before it, does not exceed the debt.
 */
export function resolveEstates(input: ResolutionInput): ResolveEstatesResult {
  const held = new Map<string, bigint>();
  const keys = new Map<string, EstateKey>();
  for (const [index, entry] of input.property.entries()) {
    if (entry.heldMinor < 0n) {
      return rejected('resolution_property_negative', 'the property held for an estate is never negative', {
        index,
        asset: entry.asset,
        accountClass: entry.accountClass,
        heldMinor: entry.heldMinor.toString(),
      });
    }
    const mapKey = estateMapKey(entry);
    held.set(mapKey, (held.get(mapKey) ?? 0n) + entry.heldMinor);
    keys.set(mapKey, { asset: entry.asset, accountClass: entry.accountClass });
  }
  const register = buildClaimsRegister(input.netEquity);
  const registerByKey = new Map<string, EstateClaims>();
  const debtsByKey = new Map<string, Map<string, bigint>>();
  for (const estate of register.estates) {
    const mapKey = estateMapKey(estate);
    registerByKey.set(mapKey, estate);
    keys.set(mapKey, { asset: estate.asset, accountClass: estate.accountClass });
    if (estate.debts.length > 0)
      debtsByKey.set(mapKey, new Map(estate.debts.map((d) => [d.customerId, d.debtMinor])));
  }
  // Recovered amounts per estate, then per customer.
  const recovered = new Map<string, Map<string, bigint>>();
  for (const [index, recovery] of input.recoveries.entries()) {
    const details = {
      index,
      customerId: recovery.customerId,
      asset: recovery.asset,
      accountClass: recovery.accountClass,
      amountMinor: recovery.amountMinor.toString(),
    };
    const estateName = `${recovery.asset} / ${recovery.accountClass}`;
    if (recovery.amountMinor <= 0n) {
      return rejected('resolution_recovery_not_positive', 'a recovered amount is positive', details);
    }
    const mapKey = estateMapKey(recovery);
    const debtMinor = debtsByKey.get(mapKey)?.get(recovery.customerId);
    if (debtMinor === undefined) {
      return rejected(
        'resolution_recovery_without_debt',
        `customer ${recovery.customerId} owes nothing to the ${estateName} estate`,
        details,
      );
    }
    let byCustomer = recovered.get(mapKey);
    if (byCustomer === undefined) {
      byCustomer = new Map();
      recovered.set(mapKey, byCustomer);
    }
    const cumulative = (byCustomer.get(recovery.customerId) ?? 0n) + recovery.amountMinor;
    if (cumulative > debtMinor) {
      return rejected(
        'resolution_recovery_exceeds_debt',
        `recoveries from ${recovery.customerId} would exceed its debt to the ${estateName} estate`,
        { ...details, debtMinor: debtMinor.toString(), cumulativeMinor: cumulative.toString() },
      );
    }
    byCustomer.set(recovery.customerId, cumulative);
  }
  const estates = [...keys.entries()]
    .sort(([, a], [, b]) => compareEstateKeys(a, b))
    .map(([mapKey, key]) =>
      resolveEstate(
        key,
        held.get(mapKey) ?? 0n,
        registerByKey.get(mapKey),
        recovered.get(mapKey) ?? new Map<string, bigint>(),
      ),
    );
  return { ok: true, resolution: { estates, unsecuredClaims: gatherUnsecuredClaims(estates) } };
}

/** One estate: property = held + recovered, distributed over the claims of the register. */
function resolveEstate(
  key: EstateKey,
  heldMinor: bigint,
  claims: EstateClaims | undefined,
  recovered: ReadonlyMap<string, bigint>,
): EstateResolution {
  let recoveredMinor = 0n;
  for (const amount of recovered.values()) recoveredMinor += amount;
  const property = heldMinor + recoveredMinor;
  // The register's claims are in customer id order with distinct ids: distributed as they are, each payout
  // built once.
  const registerClaims = claims?.claims ?? [];
  const distribution = distributeSorted(property, registerClaims, (claim) => claim.customerId);
  const payoutsMinor = distribution.payoutsMinor;
  return {
    asset: key.asset,
    accountClass: key.accountClass,
    heldMinor,
    recoveredMinor,
    propertyMinor: property,
    totalClaimsMinor: distribution.totalClaimsMinor,
    distributedMinor: distribution.distributedMinor,
    shortfallMinor: distribution.shortfallMinor,
    surplusMinor: distribution.surplusMinor,
    ratio: distribution.ratio,
    payouts: registerClaims.map((claim, at) => {
      const payout = payoutsMinor === null ? claim.claimMinor : payoutsMinor[at]!;
      return {
        customerId: claim.customerId,
        claimMinor: claim.claimMinor,
        payoutMinor: payout,
        unpaidMinor: payout === claim.claimMinor ? 0n : claim.claimMinor - payout,
      };
    }),
    debts: (claims?.debts ?? []).map((d) => {
      const recoveredFromCustomer = recovered.get(d.customerId) ?? 0n;
      return {
        customerId: d.customerId,
        debtMinor: d.debtMinor,
        recoveredMinor: recoveredFromCustomer,
        outstandingMinor: d.debtMinor - recoveredFromCustomer,
      };
    }),
  };
}

/**
 * Sums each customer's unpaid parts per asset over account classes; zero sums are left out. Payouts are in
 * customer id order in every estate, so the sums are merges of sorted lists (estates of one asset, then the
 * assets), never a map of every customer.
 */
function gatherUnsecuredClaims(estates: readonly EstateResolution[]): UnsecuredClaim[] {
  // Per asset (estates come sorted by asset), the unpaid parts summed over its classes, in customer order.
  const assets: string[] = [];
  const perAsset: (readonly { readonly customerId: string; readonly unpaidMinor: bigint }[])[] = [];
  for (let from = 0; from < estates.length; ) {
    let to = from;
    while (to < estates.length && estates[to]!.asset === estates[from]!.asset) to += 1;
    const lists = estates.slice(from, to).map((estate) => estate.payouts.filter((p) => p.unpaidMinor > 0n));
    if (lists.length === 1) perAsset.push(lists[0]!);
    else {
      const summed: { customerId: string; unpaidMinor: bigint }[] = [];
      mergeById(lists, (customerId, _list, payout) => {
        const last = summed.at(-1);
        if (last?.customerId === customerId) last.unpaidMinor += payout.unpaidMinor;
        else summed.push({ customerId, unpaidMinor: payout.unpaidMinor });
      });
      perAsset.push(summed);
    }
    assets.push(estates[from]!.asset);
    from = to;
  }
  const claims: UnsecuredClaim[] = [];
  mergeById(perAsset, (customerId, list, entry) => {
    claims.push({ customerId, asset: assets[list]!, amountMinor: entry.unpaidMinor });
  });
  return claims;
}

/**
 * Merges lists sorted by customer id (code units): `visit` gets every item, ids in order and, for one id,
 * items in list order.
 */
function mergeById<T extends { readonly customerId: string }>(
  lists: readonly (readonly T[])[],
  visit: (customerId: string, list: number, item: T) => void,
): void {
  const at = lists.map(() => 0);
  for (;;) {
    let id: string | undefined;
    for (let list = 0; list < lists.length; list++) {
      const candidate = lists[list]![at[list]!]?.customerId;
      if (candidate !== undefined && (id === undefined || candidate < id)) id = candidate;
    }
    if (id === undefined) return;
    for (let list = 0; list < lists.length; list++) {
      const item = lists[list]![at[list]!];
      if (item === undefined || item.customerId !== id) continue;
      visit(id, list, item);
      at[list] = at[list]! + 1;
    }
  }
}
