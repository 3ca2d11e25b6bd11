// Proves the resolution of customer estates with worked examples checked to the minor unit, the arithmetic
// written out beside each: a shortfall in two estates at once while a third has a surplus it never lends,
// a deficit customer whose debt reduces nobody's claim, a recovered debt that raises its estate's property
// and moves the remainder unit, the unsecured claims against the house estate, and one test per rejection
// code. Properties over random books are in resolution.prop.test.ts.

import { describe, expect, it } from 'vitest';
import type { NetEquityEntry } from './claims.ts';
import { type EstateResolution, type ResolutionInput, resolveEstates } from './resolution.ts';

// USD is at scale 2 (100000n is 1,000.00), BTC at scale 8 (100000000n is 1 BTC).

function equity(
  customerId: string,
  asset: string,
  accountClass: string,
  netEquityMinor: bigint,
): NetEquityEntry {
  return { customerId, asset, accountClass, netEquityMinor };
}

function resolve(input: Partial<ResolutionInput>) {
  const result = resolveEstates({ netEquity: [], property: [], recoveries: [], ...input });
  if (!result.ok) throw new Error(`unexpected rejection ${result.error.code}`);
  return result.resolution;
}

function estateOf(
  estates: readonly EstateResolution[],
  asset: string,
  accountClass: string,
): EstateResolution {
  const estate = estates.find((e) => e.asset === asset && e.accountClass === accountClass);
  if (estate === undefined) throw new Error(`no estate ${asset}/${accountClass}`);
  return estate;
}

function payouts(estate: EstateResolution): Record<string, bigint> {
  return Object.fromEntries(estate.payouts.map((p) => [p.customerId, p.payoutMinor]));
}

describe('resolveEstates: worked examples', () => {
  const twoShortEstates: ResolutionInput = {
    netEquity: [
      equity('alice', 'USD', 'derivatives', 60000n),
      equity('bob', 'USD', 'derivatives', 40000n),
      equity('alice', 'BTC', 'derivatives', 150000000n),
      equity('carol', 'BTC', 'derivatives', 50000000n),
      equity('bob', 'USD', 'spot', 10000n),
    ],
    property: [
      // USD / derivatives holds 777.77 across two vaults (entries of one estate add up).
      { asset: 'USD', accountClass: 'derivatives', heldMinor: 50000n },
      { asset: 'USD', accountClass: 'derivatives', heldMinor: 27777n },
      { asset: 'BTC', accountClass: 'derivatives', heldMinor: 120000000n },
      { asset: 'USD', accountClass: 'spot', heldMinor: 25000n },
    ],
    recoveries: [],
  };

  it('resolves a shortfall in two estates at once; a third estate’s surplus is never lent to them', () => {
    const { estates, unsecuredClaims } = resolve(twoShortEstates);
    expect(estates.map((e) => `${e.asset}/${e.accountClass}`)).toEqual([
      'BTC/derivatives',
      'USD/derivatives',
      'USD/spot',
    ]);
    // BTC / derivatives: claims 1.5 + 0.5 = 2 BTC on 1.2 BTC, ratio 120000000/200000000 = 3/5.
    // alice 150000000 × 3/5 = 90000000, carol 50000000 × 3/5 = 30000000, both exact.
    const btc = estateOf(estates, 'BTC', 'derivatives');
    expect(payouts(btc)).toEqual({ alice: 90000000n, carol: 30000000n });
    expect(btc.ratio).toEqual({ numerator: 3n, denominator: 5n });
    expect(btc.shortfallMinor).toBe(80000000n);
    // USD / derivatives: claims 600.00 + 400.00 on 777.77, ratio 77777/100000.
    // alice 60000 × 77777 / 100000 = 46666.2 → 46666 (fraction .2); bob 40000 × 77777 / 100000 = 31110.8 →
    // 31110 (fraction .8). Σ floors 77776, remainder 1 → bob (larger fraction): 466.66 / 311.11.
    const usd = estateOf(estates, 'USD', 'derivatives');
    expect(usd.heldMinor).toBe(77777n);
    expect(payouts(usd)).toEqual({ alice: 46666n, bob: 31111n });
    expect(usd.distributedMinor).toBe(77777n);
    expect(usd.ratio).toEqual({ numerator: 77777n, denominator: 100000n });
    // USD / spot: bob 100.00 on 250.00 is paid in full; the 150.00 surplus stays out of the short estates.
    const spot = estateOf(estates, 'USD', 'spot');
    expect(payouts(spot)).toEqual({ bob: 10000n });
    expect(spot.surplusMinor).toBe(15000n);
    // Unpaid parts, summed per customer and asset, are claims against the house estate.
    expect(unsecuredClaims).toEqual([
      { customerId: 'alice', asset: 'BTC', amountMinor: 60000000n },
      { customerId: 'alice', asset: 'USD', amountMinor: 13334n },
      { customerId: 'bob', asset: 'USD', amountMinor: 8889n },
      { customerId: 'carol', asset: 'BTC', amountMinor: 20000000n },
    ]);
  });

  // Before carol's default: alice 1,000.00, bob 500.00, carol 200.00 and 100.00 of residual interest, all
  // in the vaults (1,800.00). carol then loses 700.00 to alice: alice +1,700.00, carol −500.00.
  const deficit: ResolutionInput = {
    netEquity: [
      equity('alice', 'USD', 'derivatives', 170000n),
      equity('bob', 'USD', 'derivatives', 50000n),
      equity('carol', 'USD', 'derivatives', -50000n),
      equity('dave', 'BTC', 'derivatives', 100000000n),
    ],
    property: [
      { asset: 'USD', accountClass: 'derivatives', heldMinor: 180000n },
      { asset: 'BTC', accountClass: 'derivatives', heldMinor: 90000000n },
    ],
    recoveries: [],
  };

  it('keeps a deficit customer’s debt off everyone else’s claim', () => {
    // Netting would give claims of 1,700.00 and full payment; instead the claims are 1,700.00 + 500.00 =
    // 2,200.00 on 1,800.00, ratio 9/11: alice 170000 × 9/11 = 139090 + 10/11, bob 50000 × 9/11 = 40909 + 1/11,
    // remainder 1 → alice. carol owes 500.00 to this estate.
    const usd = estateOf(resolve(deficit).estates, 'USD', 'derivatives');
    expect(usd.totalClaimsMinor).toBe(220000n);
    expect(usd.ratio).toEqual({ numerator: 9n, denominator: 11n });
    expect(usd.payouts).toEqual([
      { customerId: 'alice', claimMinor: 170000n, payoutMinor: 139091n, unpaidMinor: 30909n },
      { customerId: 'bob', claimMinor: 50000n, payoutMinor: 40909n, unpaidMinor: 9091n },
    ]);
    expect(usd.debts).toEqual([
      { customerId: 'carol', debtMinor: 50000n, recoveredMinor: 0n, outstandingMinor: 50000n },
    ]);
  });

  it('recomputes an estate with a recovered debt, and leaves every other estate as it was', () => {
    const before = resolve(deficit);
    // carol pays back 200.00: property 1,800.00 + 200.00 = 2,000.00, ratio 2000/2200 = 10/11.
    // alice 170000 × 10/11 = 154545 + 5/11, bob 50000 × 10/11 = 45454 + 6/11: the remainder unit now goes
    // to bob (6/11 > 5/11): alice 1,545.45, bob 454.55.
    const after = resolve({
      ...deficit,
      recoveries: [{ customerId: 'carol', asset: 'USD', accountClass: 'derivatives', amountMinor: 20000n }],
    });
    const usd = estateOf(after.estates, 'USD', 'derivatives');
    expect(usd.heldMinor).toBe(180000n);
    expect(usd.recoveredMinor).toBe(20000n);
    expect(usd.propertyMinor).toBe(200000n);
    expect(usd.ratio).toEqual({ numerator: 10n, denominator: 11n });
    expect(payouts(usd)).toEqual({ alice: 154545n, bob: 45455n });
    expect(usd.debts).toEqual([
      { customerId: 'carol', debtMinor: 50000n, recoveredMinor: 20000n, outstandingMinor: 30000n },
    ]);
    expect(after.unsecuredClaims.filter((c) => c.asset === 'USD')).toEqual([
      { customerId: 'alice', asset: 'USD', amountMinor: 15455n },
      { customerId: 'bob', asset: 'USD', amountMinor: 4545n },
    ]);
    expect(estateOf(after.estates, 'BTC', 'derivatives')).toEqual(
      estateOf(before.estates, 'BTC', 'derivatives'),
    );
    // Recovering the rest (two more recoveries, 300.00 in all) funds every claim: 2,300.00 on 2,200.00,
    // and the 100.00 of residual interest is surplus again.
    const full = resolve({
      ...deficit,
      recoveries: [
        { customerId: 'carol', asset: 'USD', accountClass: 'derivatives', amountMinor: 20000n },
        { customerId: 'carol', asset: 'USD', accountClass: 'derivatives', amountMinor: 10000n },
        { customerId: 'carol', asset: 'USD', accountClass: 'derivatives', amountMinor: 20000n },
      ],
    });
    const paid = estateOf(full.estates, 'USD', 'derivatives');
    expect(payouts(paid)).toEqual({ alice: 170000n, bob: 50000n });
    expect(paid.surplusMinor).toBe(10000n);
    expect(full.unsecuredClaims).toEqual([{ customerId: 'dave', asset: 'BTC', amountMinor: 10000000n }]);
  });

  it('resolves an estate with property and no customers as all surplus, and one with no property as all unpaid', () => {
    const { estates } = resolve({
      netEquity: [equity('alice', 'USD', 'spot', 500n)],
      property: [{ asset: 'ETH', accountClass: 'spot', heldMinor: 9n }],
    });
    expect(estateOf(estates, 'ETH', 'spot').surplusMinor).toBe(9n);
    expect(estateOf(estates, 'USD', 'spot').payouts).toEqual([
      { customerId: 'alice', claimMinor: 500n, payoutMinor: 0n, unpaidMinor: 500n },
    ]);
  });
});

describe('resolveEstates: rejections', () => {
  const base: ResolutionInput = {
    netEquity: [equity('alice', 'USD', 'spot', 100n), equity('bob', 'USD', 'spot', -50n)],
    property: [{ asset: 'USD', accountClass: 'spot', heldMinor: 60n }],
    recoveries: [],
  };
  const recovery = (customerId: string, amountMinor: bigint) => ({
    customerId,
    asset: 'USD',
    accountClass: 'spot',
    amountMinor,
  });

  it('resolution_property_negative', () => {
    const result = resolveEstates({
      ...base,
      property: [{ asset: 'USD', accountClass: 'spot', heldMinor: -1n }],
    });
    expect(result.ok || result.error.code).toBe('resolution_property_negative');
  });

  it('resolution_recovery_not_positive', () => {
    const result = resolveEstates({ ...base, recoveries: [recovery('bob', 0n)] });
    expect(result.ok || result.error.code).toBe('resolution_recovery_not_positive');
  });

  it('resolution_recovery_without_debt', () => {
    // alice owes nothing; bob owes nothing to the spot estate of another asset.
    const result = resolveEstates({ ...base, recoveries: [recovery('alice', 10n)] });
    expect(result.ok || result.error.code).toBe('resolution_recovery_without_debt');
    const elsewhere = resolveEstates({ ...base, recoveries: [{ ...recovery('bob', 10n), asset: 'BTC' }] });
    expect(elsewhere.ok || elsewhere.error.code).toBe('resolution_recovery_without_debt');
  });

  it('resolution_recovery_exceeds_debt, counting the recoveries before it', () => {
    const result = resolveEstates({ ...base, recoveries: [recovery('bob', 30n), recovery('bob', 21n)] });
    expect(result.ok || result.error.code).toBe('resolution_recovery_exceeds_debt');
    expect(result.ok || result.error.details).toMatchObject({
      index: 1,
      debtMinor: '50',
      cumulativeMinor: '51',
    });
    expect(resolveEstates({ ...base, recoveries: [recovery('bob', 30n), recovery('bob', 20n)] }).ok).toBe(
      true,
    );
  });
});
