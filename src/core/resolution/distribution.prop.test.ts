// Properties of the largest-remainder distribution over random estates: the total distributed is exactly
// min(Σ claims, property); no claimant receives more than its claim, nor more than one unit away from its
// exact share; extra units go to the largest fractional parts, ties to the lower id; input order is irrelevant.
// The selection that finds the threshold fraction agrees with a sort.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareText } from '../segregation/statement.ts';
import { distributeEstate, type EstateClaim, largestAt } from './distribution.ts';

const claimsArbitrary: fc.Arbitrary<EstateClaim[]> = fc.uniqueArray(
  fc.record({
    claimantId: fc.string({ maxLength: 3 }),
    claimMinor: fc.oneof(fc.bigInt({ min: 0n, max: 1_000n }), fc.bigInt({ min: 0n, max: 10n ** 24n })),
  }),
  { selector: (claim) => claim.claimantId, maxLength: 25 },
);
const propertyArbitrary = fc.oneof(
  fc.bigInt({ min: 0n, max: 5_000n }),
  fc.bigInt({ min: 0n, max: 10n ** 25n }),
);

describe('distributeEstate: properties', () => {
  it('distributes exactly min(Σ claims, property), and claim = payout + unpaid for everyone', () => {
    fc.assert(
      fc.property(claimsArbitrary, propertyArbitrary, (claims, propertyMinor) => {
        const result = distributeEstate({ propertyMinor, claims });
        const total = claims.reduce((sum, c) => sum + c.claimMinor, 0n);
        const expected = smaller(total, propertyMinor);
        expect(result.payouts.reduce((sum, p) => sum + p.payoutMinor, 0n)).toBe(expected);
        expect(result.distributedMinor).toBe(expected);
        expect(result.shortfallMinor).toBe(total - expected);
        expect(result.surplusMinor).toBe(propertyMinor - expected);
        for (const payout of result.payouts)
          expect(payout.payoutMinor + payout.unpaidMinor).toBe(payout.claimMinor);
      }),
    );
  });

  it('pays each claimant its exact share rounded down, or one unit more, and never more than its claim', () => {
    fc.assert(
      fc.property(claimsArbitrary, propertyArbitrary, (claims, propertyMinor) => {
        const result = distributeEstate({ propertyMinor, claims });
        const total = result.totalClaimsMinor;
        const paid = smaller(total, propertyMinor);
        for (const payout of result.payouts) {
          const floor = total === 0n ? 0n : (payout.claimMinor * paid) / total;
          expect(payout.payoutMinor >= floor && payout.payoutMinor <= floor + 1n).toBe(true);
          expect(payout.payoutMinor >= 0n && payout.payoutMinor <= payout.claimMinor).toBe(true);
        }
      }),
    );
  });

  it('gives extra units only to larger fractional parts, ties to the lower claimant id', () => {
    fc.assert(
      fc.property(claimsArbitrary, propertyArbitrary, (claims, propertyMinor) => {
        const result = distributeEstate({ propertyMinor, claims });
        const total = result.totalClaimsMinor;
        if (total <= propertyMinor) return;
        const rows = result.payouts.map((p) => ({
          id: p.claimantId,
          fraction: (p.claimMinor * propertyMinor) % total,
          bonus: p.payoutMinor !== (p.claimMinor * propertyMinor) / total,
        }));
        for (const winner of rows.filter((r) => r.bonus)) {
          for (const loser of rows.filter((r) => !r.bonus)) {
            const ahead =
              winner.fraction > loser.fraction ||
              (winner.fraction === loser.fraction && compareText(winner.id, loser.id) < 0);
            expect(ahead).toBe(true);
          }
        }
      }),
    );
  });

  it('gives the same result whatever the order of the claims', () => {
    fc.assert(
      fc.property(
        claimsArbitrary.chain((claims) =>
          fc.tuple(fc.constant(claims), fc.shuffledSubarray(claims, { minLength: claims.length })),
        ),
        propertyArbitrary,
        ([claims, shuffled], propertyMinor) => {
          expect(distributeEstate({ propertyMinor, claims: shuffled })).toEqual(
            distributeEstate({ propertyMinor, claims }),
          );
        },
      ),
    );
  });
});

describe('largestAt: properties', () => {
  it('finds the rank-th largest value as a descending sort does, repeats included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 4n }), fc.bigInt({ min: 0n, max: 10n ** 20n })), {
          minLength: 1,
          maxLength: 80,
        }),
        fc.nat(),
        (values, pick) => {
          const rank = (pick % values.length) + 1;
          const sorted = [...values].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
          expect(largestAt(values, rank)).toBe(sorted[rank - 1]);
        },
      ),
    );
  });
});

/** The smaller of two amounts (Math.min takes no bigints). */
function smaller(a: bigint, b: bigint): bigint {
  return a > b ? b : a;
}
