// Pro-rata distribution of one estate's property among its claims, in kind and to the minor unit (11 USC
// 766(h), CASS 7A.2): ratio = min(1, property / Σ claims); each claim × ratio is floored, and the units the
// floors leave over go one each to the largest fractional parts, ties to the lowest claimant id, so the
// total distributed is exactly min(property, Σ claims). What a claim does not receive is its unpaid part.

import { assert } from '../assert.ts';
import { divFloor } from '../money/amount.ts';
import { compareText } from '../segregation/statement.ts';

/** An exact non-negative rational in lowest terms; ratios that touch balances are never floats. */
export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** One claim on an estate: a customer id in a customer estate, any unique id in a house estate. */
export interface EstateClaim {
  readonly claimantId: string;
  readonly claimMinor: bigint;
}

/** The property of one estate and the claims on it, in the estate's asset. */
export interface DistributeEstateInput {
  readonly propertyMinor: bigint;
  readonly claims: readonly EstateClaim[];
}

/** What one claimant receives: claim = payout + unpaid. */
export interface EstatePayout {
  readonly claimantId: string;
  readonly claimMinor: bigint;
  readonly payoutMinor: bigint;
  /** The part of the claim the estate cannot pay: an unsecured claim elsewhere (11 USC 752(b)(2)). */
  readonly unpaidMinor: bigint;
}

/** The distribution of one estate; payouts are sorted by claimant id. */
export interface EstateDistribution {
  readonly propertyMinor: bigint;
  readonly totalClaimsMinor: bigint;
  /** min(property, Σ claims), exactly. */
  readonly distributedMinor: bigint;
  /** Σ claims − distributed: the total unpaid. */
  readonly shortfallMinor: bigint;
  /** property − distributed: property left once every claim is paid in full. */
  readonly surplusMinor: bigint;
  /** min(1, property / Σ claims) in lowest terms; 1/1 when there are no claims. */
  readonly ratio: Ratio;
  /** Minor units handed out by largest fractional part after flooring (fewer than the claimants). */
  readonly remainderUnitsMinor: bigint;
  readonly payouts: readonly EstatePayout[];
}

/** The ratio 1/1: every claim paid in full. */
export const RATIO_ONE: Ratio = { numerator: 1n, denominator: 1n };

/** Greatest common divisor of two non-negative integers (gcd(0, 0) = 0). */
export function gcd(a: bigint, b: bigint): bigint {
  assert(a >= 0n && b >= 0n, 'gcd takes non-negative integers');
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** The rational numerator / denominator in lowest terms. */
export function reduceRatio(numerator: bigint, denominator: bigint): Ratio {
  assert(numerator >= 0n && denominator > 0n, 'a ratio is non-negative with a positive denominator');
  const divisor = gcd(numerator, denominator);
  return { numerator: numerator / divisor, denominator: divisor === 0n ? 1n : denominator / divisor };
}

/**
 * Distributes an estate by the largest-remainder method. Each payout is floor(claim × property / Σ claims)
 * plus at most one unit, so no claimant receives more than its claim, and the same inputs in any order give
 * the same payouts. Claims must be non-negative with distinct claimant ids (the claims register guarantees
 * both); property must be non-negative.
 */
export function distributeEstate(input: DistributeEstateInput): EstateDistribution {
  const property = input.propertyMinor;
  assert(property >= 0n, 'estate property is never negative');
  const claims = [...input.claims].sort((a, b) => compareText(a.claimantId, b.claimantId));
  let total = 0n;
  for (let at = 0; at < claims.length; at++) {
    const claim = claims[at]!;
    assert(claim.claimMinor >= 0n, 'a claim is never negative');
    assert(at === 0 || claims[at - 1]!.claimantId !== claim.claimantId, 'claimant ids are distinct');
    total += claim.claimMinor;
  }
  if (total <= property) {
    // Fully funded: every claim is paid in full and the rest is surplus; nothing is divided.
    return {
      propertyMinor: property,
      totalClaimsMinor: total,
      distributedMinor: total,
      shortfallMinor: 0n,
      surplusMinor: property - total,
      ratio: RATIO_ONE,
      remainderUnitsMinor: 0n,
      payouts: claims.map((claim) => ({
        claimantId: claim.claimantId,
        claimMinor: claim.claimMinor,
        payoutMinor: claim.claimMinor,
        unpaidMinor: 0n,
      })),
    };
  }
  // Short: 0 ≤ property < total. Each exact share claim × property / total is floored; its fractional part
  // is (claim × property mod total) / total, compared by numerator because the denominator is shared.
  const floors: bigint[] = [];
  const fractions: bigint[] = [];
  let floored = 0n;
  for (const claim of claims) {
    const product = claim.claimMinor * property;
    const share = divFloor(product, total);
    floors.push(share);
    fractions.push(product - share * total);
    floored += share;
  }
  // The fractional parts sum to exactly `remainder` whole units and each is below one, so more than
  // `remainder` claimants have a non-zero fraction: every extra unit lands on a share that was rounded down.
  const remainder = property - floored;
  assert(remainder >= 0n && remainder < BigInt(claims.length), 'fewer remainder units than claimants');
  const order = claims.map((_, at) => at);
  order.sort((a, b) => {
    const fa = fractions[a]!;
    const fb = fractions[b]!;
    if (fa !== fb) return fa > fb ? -1 : 1;
    return compareText(claims[a]!.claimantId, claims[b]!.claimantId);
  });
  let left = remainder;
  for (const at of order) {
    if (left === 0n) break;
    assert(fractions[at]! > 0n, 'a remainder unit goes only to a share that was rounded down');
    floors[at] = floors[at]! + 1n;
    left -= 1n;
  }
  const payouts = claims.map((claim, at) => {
    const payout = floors[at]!;
    assert(payout <= claim.claimMinor, 'no claimant receives more than its claim');
    return {
      claimantId: claim.claimantId,
      claimMinor: claim.claimMinor,
      payoutMinor: payout,
      unpaidMinor: claim.claimMinor - payout,
    };
  });
  return {
    propertyMinor: property,
    totalClaimsMinor: total,
    distributedMinor: property,
    shortfallMinor: total - property,
    surplusMinor: 0n,
    ratio: reduceRatio(property, total),
    remainderUnitsMinor: remainder,
    payouts,
  };
}
