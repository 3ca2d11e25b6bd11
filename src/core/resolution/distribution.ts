// Pro-rata distribution of one estate's property among its claims, in kind and to the minor unit (11 USC
// 766(h), CASS 7A.2): ratio = min(1, property / Σ claims); each claim × ratio is floored, and the units the
// floors leave over go one each to the largest fractional parts, ties to the lowest claimant id, so the
// total distributed is exactly min(property, Σ claims). What a claim does not receive is its unpaid part.

import { assert } from '../assert.ts';
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
  const claims = sortedByClaimant(input.claims);
  const sums = distributeSorted(input.propertyMinor, claims, (claim) => claim.claimantId);
  const { payoutsMinor, ...totals } = sums;
  return {
    ...totals,
    payouts: claims.map((claim, at) => {
      const payout = payoutsMinor === null ? claim.claimMinor : payoutsMinor[at]!;
      return {
        claimantId: claim.claimantId,
        claimMinor: claim.claimMinor,
        payoutMinor: payout,
        unpaidMinor: claim.claimMinor - payout,
      };
    }),
  };
}

/** An estate's totals and each claim's payout; `payoutsMinor` is null when every claim is paid in full. */
export interface SortedDistribution extends Omit<EstateDistribution, 'payouts'> {
  readonly payoutsMinor: readonly bigint[] | null;
}

/**
 * The largest-remainder distribution of claims already in id order (code units, distinct ids), read through
 * `idOf`: the work of `distributeEstate` without building claimant objects, for callers that hold claims in
 * their own shape (the resolution of a million customers builds each payout once).
 */
export function distributeSorted<C extends { readonly claimMinor: bigint }>(
  propertyMinor: bigint,
  claims: readonly C[],
  idOf: (claim: C) => string,
): SortedDistribution {
  const property = propertyMinor;
  assert(property >= 0n, 'estate property is never negative');
  let total = 0n;
  for (let at = 0; at < claims.length; at++) {
    const claim = claims[at]!;
    assert(claim.claimMinor >= 0n, 'a claim is never negative');
    assert(at === 0 || idOf(claims[at - 1]!) < idOf(claim), 'claimant ids are distinct and in order');
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
      payoutsMinor: null,
    };
  }
  // Short: 0 ≤ property < total. Each exact share claim × property / total is floored; its fractional part
  // is (claim × property mod total) / total, compared by numerator because the denominator is shared.
  const floors: bigint[] = new Array(claims.length);
  const fractions: bigint[] = new Array(claims.length);
  let floored = 0n;
  for (let at = 0; at < claims.length; at++) {
    // Both factors are non-negative and total is positive, so truncating division is the floor.
    const product = claims[at]!.claimMinor * property;
    const share = product / total;
    floors[at] = share;
    fractions[at] = product - share * total;
    floored += share;
  }
  // The fractional parts sum to exactly `remainder` whole units and each is below one, so more than
  // `remainder` claimants have a non-zero fraction: every extra unit lands on a share that was rounded down.
  const remainder = property - floored;
  assert(remainder >= 0n && remainder < BigInt(claims.length), 'fewer remainder units than claimants');
  // The units go to the `remainder` largest fractions, ties to the lower id: the same claimants a sort by
  // (fraction descending, id ascending) puts first, found by selecting the threshold fraction instead of
  // sorting a million of them. Every fraction above it gets a unit; the units left go to the fractions equal
  // to it in id order (the claims are in id order).
  if (remainder > 0n) {
    const threshold = largestAt(fractions, Number(remainder));
    assert(threshold > 0n, 'a remainder unit goes only to a share that was rounded down');
    let left = remainder;
    for (let at = 0; at < claims.length; at++) {
      if (fractions[at]! > threshold) {
        floors[at] = floors[at]! + 1n;
        left -= 1n;
      }
    }
    for (let at = 0; at < claims.length && left > 0n; at++) {
      if (fractions[at] === threshold) {
        floors[at] = floors[at]! + 1n;
        left -= 1n;
      }
    }
    assert(left === 0n, 'every remainder unit is handed out');
  }
  for (let at = 0; at < claims.length; at++) {
    assert(floors[at]! <= claims[at]!.claimMinor, 'no claimant receives more than its claim');
  }
  return {
    propertyMinor: property,
    totalClaimsMinor: total,
    distributedMinor: property,
    shortfallMinor: total - property,
    surplusMinor: 0n,
    ratio: reduceRatio(property, total),
    remainderUnitsMinor: remainder,
    payoutsMinor: floors,
  };
}

/** The claims in claimant id order (code units); the input itself when it already is (the register's are). */
function sortedByClaimant(claims: readonly EstateClaim[]): readonly EstateClaim[] {
  for (let at = 1; at < claims.length; at++) {
    if (claims[at - 1]!.claimantId > claims[at]!.claimantId) {
      return [...claims].sort((a, b) => compareText(a.claimantId, b.claimantId));
    }
  }
  return claims;
}

/**
 * The `rank`-th largest value (1 = the largest) of `values`, counting repeats: quickselect with a
 * three-way partition (many fractions are equal) and a median-of-three pivot, on a copy.
 */
export function largestAt(values: readonly bigint[], rank: number): bigint {
  assert(Number.isInteger(rank) && rank >= 1 && rank <= values.length, 'the rank is within the values');
  const work = [...values];
  let low = 0;
  let high = work.length - 1;
  // Position of the wanted value in descending order.
  const target = rank - 1;
  for (;;) {
    if (low === high) return work[low]!;
    const middle = low + ((high - low) >> 1);
    const pivot = medianOfThree(work[low]!, work[middle]!, work[high]!);
    // Descending three-way partition: [low, lt) > pivot, [lt, i) = pivot, (gt, high] < pivot.
    let lt = low;
    let i = low;
    let gt = high;
    while (i <= gt) {
      const value = work[i]!;
      if (value > pivot) {
        work[i] = work[lt]!;
        work[lt] = value;
        lt += 1;
        i += 1;
      } else if (value < pivot) {
        work[i] = work[gt]!;
        work[gt] = value;
        gt -= 1;
      } else i += 1;
    }
    if (target < lt) high = lt - 1;
    else if (target > gt) low = gt + 1;
    else return pivot;
  }
}

function medianOfThree(a: bigint, b: bigint, c: bigint): bigint {
  let low = a;
  let high = b;
  if (low > high) {
    low = b;
    high = a;
  }
  if (c >= high) return high;
  if (c <= low) return low;
  return c;
}
