// Properties of resolving random books of several estates: per estate Σ distributed = min(Σ claims,
// property); no customer receives more than its claim; changing one estate never changes another estate's
// result; a deficit never changes another customer's claim; a recovered debt raises its estate's
// distribution and moves any single payout by at most one remainder unit down; input order is irrelevant.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClaimsRegister, estateMapKey, type NetEquityEntry } from './claims.ts';
import {
  type DebtRecovery,
  type EstateProperty,
  type EstateResolution,
  type Resolution,
  type ResolutionInput,
  resolveEstates,
} from './resolution.ts';

const ASSETS = ['USD', 'BTC'] as const;
const CLASSES = ['derivatives', 'spot'] as const;
const CUSTOMERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'] as const;

const estateArbitrary = fc.record({
  asset: fc.constantFrom(...ASSETS),
  accountClass: fc.constantFrom(...CLASSES),
});
const netEquityArbitrary: fc.Arbitrary<NetEquityEntry> = fc.record({
  customerId: fc.constantFrom(...CUSTOMERS),
  asset: fc.constantFrom(...ASSETS),
  accountClass: fc.constantFrom(...CLASSES),
  netEquityMinor: fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
});
const propertyArbitrary: fc.Arbitrary<EstateProperty> = fc.record({
  asset: fc.constantFrom(...ASSETS),
  accountClass: fc.constantFrom(...CLASSES),
  heldMinor: fc.bigInt({ min: 0n, max: 3n * 10n ** 9n }),
});

/** Recoveries that are valid for the entries: for some debts, one or two recoveries within the debt. */
function recoveriesFor(netEquity: readonly NetEquityEntry[]): fc.Arbitrary<DebtRecovery[]> {
  const debts = buildClaimsRegister(netEquity).estates.flatMap((estate) =>
    estate.debts.map((debt) => ({ ...debt, asset: estate.asset, accountClass: estate.accountClass })),
  );
  return fc
    .tuple(...debts.map((debt) => fc.tuple(fc.bigInt({ min: 0n, max: debt.debtMinor }), fc.boolean())))
    .map((choices) =>
      choices.flatMap(([amount, split], at) => {
        const { customerId, asset, accountClass } = debts[at]!;
        const recovery = (amountMinor: bigint) => ({ customerId, asset, accountClass, amountMinor });
        if (amount === 0n) return [];
        if (split && amount > 1n) return [recovery(amount / 2n), recovery(amount - amount / 2n)];
        return [recovery(amount)];
      }),
    );
}

const inputArbitrary: fc.Arbitrary<ResolutionInput> = fc
  .tuple(fc.array(netEquityArbitrary, { maxLength: 30 }), fc.array(propertyArbitrary, { maxLength: 6 }))
  .chain(([netEquity, property]) =>
    recoveriesFor(netEquity).map((recoveries) => ({ netEquity, property, recoveries })),
  );

function resolve(input: ResolutionInput): Resolution {
  const result = resolveEstates(input);
  if (!result.ok) throw new Error(`unexpected rejection ${result.error.code}`);
  return result.resolution;
}

function byKey(resolution: Resolution): Map<string, EstateResolution> {
  return new Map(resolution.estates.map((estate) => [estateMapKey(estate), estate]));
}

describe('resolveEstates: properties', () => {
  it('distributes min(Σ claims, property) per estate, and no customer receives more than its claim', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const resolution = resolve(input);
        for (const estate of resolution.estates) {
          const held = input.property
            .filter((p) => estateMapKey(p) === estateMapKey(estate))
            .reduce((sum, p) => sum + p.heldMinor, 0n);
          const recovered = input.recoveries
            .filter((r) => estateMapKey(r) === estateMapKey(estate))
            .reduce((sum, r) => sum + r.amountMinor, 0n);
          expect(estate.propertyMinor).toBe(held + recovered);
          const claims = estate.payouts.reduce((sum, p) => sum + p.claimMinor, 0n);
          const paid = estate.payouts.reduce((sum, p) => sum + p.payoutMinor, 0n);
          expect(paid).toBe(smaller(claims, estate.propertyMinor));
          for (const payout of estate.payouts) {
            expect(payout.payoutMinor >= 0n && payout.payoutMinor <= payout.claimMinor).toBe(true);
          }
        }
        // The unsecured claims against the house estate are exactly the unpaid parts, per customer and asset.
        for (const asset of ASSETS) {
          const unpaid = resolution.estates
            .filter((e) => e.asset === asset)
            .reduce((sum, e) => sum + e.shortfallMinor, 0n);
          const unsecured = resolution.unsecuredClaims
            .filter((c) => c.asset === asset)
            .reduce((sum, c) => sum + c.amountMinor, 0n);
          expect(unsecured).toBe(unpaid);
        }
      }),
    );
  });

  it('never changes another estate’s result when one estate changes', () => {
    fc.assert(
      fc.property(
        inputArbitrary,
        estateArbitrary,
        fc.array(fc.constantFrom(...CUSTOMERS), { maxLength: 4 }),
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 3n * 10n ** 9n }),
        (input, target, customers, netEquityMinor, heldMinor) => {
          const key = estateMapKey(target);
          const changed: ResolutionInput = {
            netEquity: [
              ...input.netEquity,
              ...customers.map((customerId) => ({ customerId, ...target, netEquityMinor })),
            ],
            property: [...input.property.filter((p) => estateMapKey(p) !== key), { ...target, heldMinor }],
            // The target's recoveries may no longer match its debts; they belong to the changed estate anyway.
            recoveries: input.recoveries.filter((r) => estateMapKey(r) !== key),
          };
          const before = byKey(resolve(input));
          const after = byKey(resolve(changed));
          for (const [estateKey, estate] of after) {
            if (estateKey !== key) expect(estate).toEqual(before.get(estateKey));
          }
          for (const [estateKey, estate] of before) {
            if (estateKey !== key) expect(after.get(estateKey)).toEqual(estate);
          }
        },
      ),
    );
  });

  it('never lets one customer’s deficit change another customer’s claim', () => {
    fc.assert(
      fc.property(
        inputArbitrary,
        fc.constantFrom(...CUSTOMERS),
        estateArbitrary,
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (input, debtor, estate, lossMinor) => {
          const changed = {
            ...input,
            netEquity: [...input.netEquity, { customerId: debtor, ...estate, netEquityMinor: -lossMinor }],
            recoveries: [],
          };
          const claimsOf = (resolution: Resolution) =>
            resolution.estates.flatMap((e) =>
              e.payouts
                .filter((p) => p.customerId !== debtor)
                .map((p) => `${e.asset}/${e.accountClass}/${p.customerId}=${p.claimMinor}`),
            );
          expect(claimsOf(resolve(changed))).toEqual(claimsOf(resolve({ ...input, recoveries: [] })));
        },
      ),
    );
  });

  it('raises the distribution with recovered debts, moving no payout down by more than one unit', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const without = byKey(resolve({ ...input, recoveries: [] }));
        const withRecoveries = byKey(resolve(input));
        for (const [key, estate] of withRecoveries) {
          const before = without.get(key)!;
          expect(estate.distributedMinor >= before.distributedMinor).toBe(true);
          expect(estate.distributedMinor - before.distributedMinor <= estate.recoveredMinor).toBe(true);
          // Largest remainder may move a single unit (the Alabama paradox), never more: each payout stays at
          // or above its floor, which only grows with the property.
          for (const [at, payout] of estate.payouts.entries()) {
            expect(payout.payoutMinor + 1n >= before.payouts[at]!.payoutMinor).toBe(true);
          }
        }
      }),
    );
  });

  it('gives the same resolution whatever the order of entries', () => {
    fc.assert(
      fc.property(
        inputArbitrary.chain((input) =>
          fc.tuple(
            fc.constant(input),
            fc.shuffledSubarray([...input.netEquity], { minLength: input.netEquity.length }),
            fc.shuffledSubarray([...input.property], { minLength: input.property.length }),
          ),
        ),
        ([input, netEquity, property]) => {
          expect(resolve({ ...input, netEquity, property })).toEqual(resolve(input));
        },
      ),
    );
  });
});

/** The smaller of two amounts (Math.min takes no bigints). */
function smaller(a: bigint, b: bigint): bigint {
  return a > b ? b : a;
}
