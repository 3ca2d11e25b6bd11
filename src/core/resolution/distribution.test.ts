// Proves the largest-remainder distribution of one estate with worked examples checked to the minor unit,
// the arithmetic written out beside each: the three-way split of 1,000.00 (333.34 / 333.33 / 333.33), a
// remainder unit that goes to the larger fraction rather than the lower id, several remainder units, ties by
// UTF-16 code units, full funding with a surplus, no claims and no property. Properties are in
// distribution.prop.test.ts.

import { describe, expect, it } from 'vitest';
import { AssertionError } from '../assert.ts';
import { distributeEstate, type EstateClaim, gcd, reduceRatio } from './distribution.ts';

// Amounts are at scale 2 (a fiat-like asset): 100000n is 1,000.00.

function claims(entries: Record<string, bigint>): EstateClaim[] {
  return Object.entries(entries).map(([claimantId, claimMinor]) => ({ claimantId, claimMinor }));
}

function payoutsOf(result: ReturnType<typeof distributeEstate>): Record<string, bigint> {
  return Object.fromEntries(result.payouts.map((p) => [p.claimantId, p.payoutMinor]));
}

describe('distributeEstate: worked examples', () => {
  it('splits 1,000.00 three ways as 333.34 / 333.33 / 333.33, the unit to the lowest id', () => {
    // Three equal claims of 500.00 on 1,000.00: ratio = 100000 / 150000 = 2/3.
    // Each share 50000 × 100000 / 150000 = 33333.33..., floored to 33333; Σ floors = 99999, remainder 1.
    // The three fractional parts are equal (1/3 each), so the tie goes to the lowest customer id: alice.
    const result = distributeEstate({
      propertyMinor: 100000n,
      claims: claims({ carol: 50000n, alice: 50000n, bob: 50000n }),
    });
    expect(payoutsOf(result)).toEqual({ alice: 33334n, bob: 33333n, carol: 33333n });
    expect(result.payouts.map((p) => p.claimantId)).toEqual(['alice', 'bob', 'carol']);
    expect(result.payouts.map((p) => p.unpaidMinor)).toEqual([16666n, 16667n, 16667n]);
    expect(result.ratio).toEqual({ numerator: 2n, denominator: 3n });
    expect(result.distributedMinor).toBe(100000n);
    expect(result.shortfallMinor).toBe(50000n);
    expect(result.surplusMinor).toBe(0n);
    expect(result.remainderUnitsMinor).toBe(1n);
  });

  it('hands the remainder to the largest fractional part, not to the lowest id', () => {
    // Claims alice 1,700.00 and bob 500.00 (Σ 2,200.00) on 1,800.00: ratio 1800/2200 = 9/11.
    // alice: 170000 × 9/11 = 1530000/11 = 139090 + 10/11; bob: 50000 × 9/11 = 450000/11 = 40909 + 1/11.
    // Σ floors = 179999, remainder 1 → alice (10/11 > 1/11): alice 1,390.91, bob 409.09.
    const short = distributeEstate({
      propertyMinor: 180000n,
      claims: claims({ alice: 170000n, bob: 50000n }),
    });
    expect(payoutsOf(short)).toEqual({ alice: 139091n, bob: 40909n });
    expect(short.ratio).toEqual({ numerator: 9n, denominator: 11n });
    // On 2,000.00 the ratio is 10/11: alice 1700000/11 = 154545 + 5/11; bob 500000/11 = 45454 + 6/11.
    // Σ floors = 199999, remainder 1 → bob (6/11 > 5/11) although alice sorts first.
    const more = distributeEstate({
      propertyMinor: 200000n,
      claims: claims({ alice: 170000n, bob: 50000n }),
    });
    expect(payoutsOf(more)).toEqual({ alice: 154545n, bob: 45455n });
    expect(more.ratio).toEqual({ numerator: 10n, denominator: 11n });
  });

  it('hands out several remainder units, one each, largest fractions first', () => {
    // Claims a 0.01, b 0.02, c 0.04, d 0.06 (Σ 0.13) on 0.10: exact shares 10/13, 20/13, 40/13, 60/13
    // = 0 + 10/13, 1 + 7/13, 3 + 1/13, 4 + 8/13. Σ floors = 8, remainder 2 → a (10/13) and d (8/13).
    const result = distributeEstate({ propertyMinor: 10n, claims: claims({ a: 1n, b: 2n, c: 4n, d: 6n }) });
    expect(payoutsOf(result)).toEqual({ a: 1n, b: 1n, c: 3n, d: 5n });
    expect(result.remainderUnitsMinor).toBe(2n);
    // Equal fractions: claims 0.03 × 3 on 0.08 → 24/9 = 2 + 6/9 each; remainder 2 → the two lowest ids.
    const ties = distributeEstate({ propertyMinor: 8n, claims: claims({ c: 3n, b: 3n, a: 3n }) });
    expect(payoutsOf(ties)).toEqual({ a: 3n, b: 3n, c: 2n });
  });

  it('breaks ties by UTF-16 code units, never by locale or number', () => {
    // 'c-10' < 'c-2' < 'c-9' in code-unit order (the character '1' sorts before '2' and '9').
    const result = distributeEstate({
      propertyMinor: 100000n,
      claims: claims({ 'c-9': 50000n, 'c-2': 50000n, 'c-10': 50000n }),
    });
    expect(payoutsOf(result)).toEqual({ 'c-10': 33334n, 'c-2': 33333n, 'c-9': 33333n });
  });

  it('pays every claim in full when the property covers them, and reports the surplus', () => {
    // Claims 500.00 + 300.00 = 800.00 on 1,200.00: ratio 1, surplus 400.00.
    const result = distributeEstate({
      propertyMinor: 120000n,
      claims: claims({ alice: 50000n, bob: 30000n }),
    });
    expect(payoutsOf(result)).toEqual({ alice: 50000n, bob: 30000n });
    expect(result.ratio).toEqual({ numerator: 1n, denominator: 1n });
    expect(result.surplusMinor).toBe(40000n);
    expect(result.shortfallMinor).toBe(0n);
  });

  it('distributes nothing without claims, and pays nothing without property', () => {
    const empty = distributeEstate({ propertyMinor: 50000n, claims: [] });
    expect(empty.payouts).toEqual([]);
    expect(empty.surplusMinor).toBe(50000n);
    expect(empty.ratio).toEqual({ numerator: 1n, denominator: 1n });
    const nothing = distributeEstate({ propertyMinor: 0n, claims: claims({ alice: 700n, bob: 0n }) });
    expect(nothing.payouts).toEqual([
      { claimantId: 'alice', claimMinor: 700n, payoutMinor: 0n, unpaidMinor: 700n },
      { claimantId: 'bob', claimMinor: 0n, payoutMinor: 0n, unpaidMinor: 0n },
    ]);
    expect(nothing.ratio).toEqual({ numerator: 0n, denominator: 1n });
  });

  it('asserts its preconditions: distinct ids, no negative claim or property', () => {
    expect(() => distributeEstate({ propertyMinor: 1n, claims: claims({ a: -1n }) })).toThrow(AssertionError);
    expect(() => distributeEstate({ propertyMinor: -1n, claims: [] })).toThrow(AssertionError);
    expect(() =>
      distributeEstate({
        propertyMinor: 1n,
        claims: [
          { claimantId: 'a', claimMinor: 1n },
          { claimantId: 'a', claimMinor: 2n },
        ],
      }),
    ).toThrow(AssertionError);
  });
});

describe('ratios', () => {
  it('reduces to lowest terms', () => {
    expect(gcd(12n, 18n)).toBe(6n);
    expect(gcd(0n, 0n)).toBe(0n);
    expect(reduceRatio(150000n, 220000n)).toEqual({ numerator: 15n, denominator: 22n });
    expect(reduceRatio(0n, 7n)).toEqual({ numerator: 0n, denominator: 1n });
  });
});
