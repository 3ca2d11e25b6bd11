// Proves how the claims register nets net equity: only within the same customer and estate (asset × account
// class), so a deficit becomes that customer's debt to that estate and never reduces anyone else's claim.

import { describe, expect, it } from 'vitest';
import { buildClaimsRegister, type NetEquityEntry } from './claims.ts';

function entry(
  customerId: string,
  asset: string,
  accountClass: string,
  netEquityMinor: bigint,
): NetEquityEntry {
  return { customerId, asset, accountClass, netEquityMinor };
}

describe('buildClaimsRegister', () => {
  it('offsets a customer’s own entries within one estate', () => {
    // alice +300.00 and −100.00 in USD / derivatives: one claim of 200.00.
    const register = buildClaimsRegister([
      entry('alice', 'USD', 'derivatives', 30000n),
      entry('alice', 'USD', 'derivatives', -10000n),
    ]);
    expect(register.estates).toEqual([
      {
        asset: 'USD',
        accountClass: 'derivatives',
        claims: [{ customerId: 'alice', claimMinor: 20000n }],
        debts: [],
        totalClaimsMinor: 20000n,
        totalDebtsMinor: 0n,
      },
    ]);
  });

  it('never offsets across account classes or assets: the deficit is a debt to its own estate', () => {
    // alice +300.00 in derivatives and −100.00 in spot: a claim of 300.00 and a debt of 100.00, not 200.00.
    // Her BTC deficit is a debt to the BTC estate, whatever she holds in USD.
    const register = buildClaimsRegister([
      entry('alice', 'USD', 'derivatives', 30000n),
      entry('alice', 'USD', 'spot', -10000n),
      entry('alice', 'BTC', 'derivatives', -5000000n),
    ]);
    expect(
      register.estates.map((e) => [e.asset, e.accountClass, e.totalClaimsMinor, e.totalDebtsMinor]),
    ).toEqual([
      ['BTC', 'derivatives', 0n, 5000000n],
      ['USD', 'derivatives', 30000n, 0n],
      ['USD', 'spot', 0n, 10000n],
    ]);
  });

  it('never offsets between customers: another customer’s deficit leaves a claim whole', () => {
    // alice +1,000.00, bob −200.00 in one estate: alice claims 1,000.00 (not 800.00), bob owes 200.00.
    const register = buildClaimsRegister([
      entry('bob', 'USD', 'derivatives', -20000n),
      entry('alice', 'USD', 'derivatives', 100000n),
      entry('carol', 'USD', 'derivatives', 0n),
    ]);
    const [estate] = register.estates;
    expect(estate?.claims).toEqual([{ customerId: 'alice', claimMinor: 100000n }]);
    expect(estate?.debts).toEqual([{ customerId: 'bob', debtMinor: 20000n }]);
    expect(estate?.totalClaimsMinor).toBe(100000n);
  });

  it('sorts estates and customers by code units', () => {
    const register = buildClaimsRegister([
      entry('b', 'USD', 'spot', 1n),
      entry('a', 'USD', 'spot', 1n),
      entry('z', 'BTC', 'spot', 1n),
      entry('z', 'USD', 'derivatives', 1n),
    ]);
    expect(register.estates.map((e) => `${e.asset}/${e.accountClass}`)).toEqual([
      'BTC/spot',
      'USD/derivatives',
      'USD/spot',
    ]);
    expect(register.estates[2]?.claims.map((c) => c.customerId)).toEqual(['a', 'b']);
  });
});
