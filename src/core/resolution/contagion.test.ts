// Proves the contagion simulation with worked examples checked to the minor unit, the arithmetic written
// out beside each: a house trading loss leaves segregated customers whole while commingled customers lose
// (and a loss larger than the house empties the commingled pot), a customer hot-wallet hack stays inside its
// estate, a customer default hurts only the defaulter's estate, a custodian failure with the remainder tie
// broken by claimant id; plus one test per rejection code. Properties are in contagion.prop.test.ts.

import { describe, expect, it } from 'vitest';
import type { NetEquityEntry } from './claims.ts';
import {
  type ContagionBook,
  type ContagionEvent,
  type ContagionReport,
  simulateContagion,
  TRADING_LOSS_CREDITOR_ID,
} from './contagion.ts';

// USD is at scale 2 (100000n is 1,000.00), BTC at scale 8 (100000000n is 1 BTC).

function equity(
  customerId: string,
  accountClass: string,
  netEquityMinor: bigint,
  asset = 'USD',
): NetEquityEntry {
  return { customerId, asset, accountClass, netEquityMinor };
}

function simulate(book: ContagionBook, ...events: ContagionEvent[]): ContagionReport {
  const result = simulateContagion(book, { name: 'test', events });
  if (!result.ok) throw new Error(`unexpected rejection ${result.error.code}`);
  return result.report;
}

/** [segregated, commingled] per party id (customers and creditors) of one asset. */
function columns(report: ContagionReport, asset = 'USD'): Record<string, readonly [bigint, bigint]> {
  return Object.fromEntries([
    ...report.customers
      .filter((c) => c.asset === asset)
      .map((c) => [c.customerId, [c.segregatedMinor, c.commingledMinor]] as const),
    ...report.creditors
      .filter((c) => c.asset === asset)
      .map((c) => [c.creditorId, [c.segregatedMinor, c.commingledMinor]] as const),
  ]);
}

// alice 600.00 and bob 400.00 in USD / derivatives, whose vault holds 1,050.00 (50.00 residual interest);
// the house holds 500.00 of its own and owes a lender 2,000.00.
const houseBook: ContagionBook = {
  holdings: [
    {
      vaultId: 'derivatives-cold',
      asset: 'USD',
      pool: { type: 'customer', accountClass: 'derivatives' },
      amountMinor: 105000n,
    },
    { vaultId: 'house-hot', asset: 'USD', pool: { type: 'house' }, amountMinor: 50000n },
  ],
  netEquity: [equity('alice', 'derivatives', 60000n), equity('bob', 'derivatives', 40000n)],
  houseCreditors: [{ creditorId: 'lender', asset: 'USD', claimMinor: 200000n }],
};

describe('simulateContagion: worked examples', () => {
  it('a house trading loss leaves segregated customers whole while commingled customers lose', () => {
    const report = simulate(houseBook, { type: 'house_trading_loss', asset: 'USD', amountMinor: 50000n });
    // Segregated: the 500.00 loss is settled from the house's own 500.00. The estate holds 1,050.00 for
    // claims of 1,000.00: alice 600.00, bob 400.00, surplus 50.00 to the house estate, which pays it to the
    // lender (its only claimant).
    // Commingled: one pot of 1,050.00 + 500.00 = 1,550.00; the loss takes 500.00, leaving 1,050.00 for
    // claims 600.00 + 400.00 + 2,000.00 = 3,000.00: ratio 7/20, alice 210.00, bob 140.00, lender 700.00.
    expect(columns(report)).toEqual({
      alice: [60000n, 21000n],
      bob: [40000n, 14000n],
      lender: [5000n, 70000n],
      [TRADING_LOSS_CREDITOR_ID]: [50000n, 50000n],
    });
    expect(report.customers[0]).toEqual({
      customerId: 'alice',
      asset: 'USD',
      claimMinor: 60000n,
      segregatedFromEstatesMinor: 60000n,
      segregatedFromHouseEstateMinor: 0n,
      segregatedMinor: 60000n,
      commingledMinor: 21000n,
    });
    expect(report.assets).toEqual([
      {
        asset: 'USD',
        customerPropertyMinor: 105000n,
        housePropertyMinor: 50000n,
        tradingLossMinor: 50000n,
        customerClaimsMinor: 100000n,
        customersSegregatedMinor: 100000n,
        customersCommingledMinor: 35000n,
        creditorClaimsMinor: 250000n,
        creditorsSegregatedMinor: 55000n,
        creditorsCommingledMinor: 120000n,
        houseResidualSegregatedMinor: 0n,
        houseResidualCommingledMinor: 0n,
      },
    ]);
  });

  it('a trading loss larger than the house empties the commingled pot and leaves segregated customers whole', () => {
    const report = simulate(houseBook, { type: 'house_trading_loss', asset: 'USD', amountMinor: 200000n });
    // Segregated: the house settles 500.00 of the 2,000.00 loss; the counterparty is owed 1,500.00 more.
    // The house estate has only the 50.00 surplus for lender 2,000.00 + counterparty 1,500.00 = 3,500.00:
    // lender 5000 × 200000 / 350000 = 2857 + 1/7, counterparty 5000 × 150000 / 350000 = 2142 + 6/7,
    // remainder 1 → counterparty: 28.57 and 500.00 + 21.43.
    // Commingled: the loss takes the whole pot of 1,550.00 before the failure: customers get nothing.
    expect(columns(report)).toEqual({
      alice: [60000n, 0n],
      bob: [40000n, 0n],
      lender: [2857n, 0n],
      [TRADING_LOSS_CREDITOR_ID]: [50000n + 2143n, 155000n],
    });
  });

  it('a customer hot-wallet hack stays inside its estate; commingled, every customer shares it', () => {
    const book: ContagionBook = {
      holdings: [
        {
          vaultId: 'derivatives-hot',
          asset: 'USD',
          pool: { type: 'customer', accountClass: 'derivatives' },
          amountMinor: 10000n,
        },
        {
          vaultId: 'derivatives-cold',
          asset: 'USD',
          pool: { type: 'customer', accountClass: 'derivatives' },
          amountMinor: 90000n,
        },
        {
          vaultId: 'spot-cold',
          asset: 'USD',
          pool: { type: 'customer', accountClass: 'spot' },
          amountMinor: 30000n,
        },
        { vaultId: 'house', asset: 'USD', pool: { type: 'house' }, amountMinor: 10000n },
      ],
      netEquity: [
        equity('alice', 'derivatives', 60000n),
        equity('bob', 'derivatives', 40000n),
        equity('carol', 'spot', 30000n),
      ],
      houseCreditors: [{ creditorId: 'lender', asset: 'USD', claimMinor: 10000n }],
    };
    const report = simulate(book, {
      type: 'hot_wallet_hack',
      vaultId: 'derivatives-hot',
      asset: 'USD',
      amountMinor: 10000n,
    });
    // Segregated: derivatives holds 900.00 for 1,000.00, ratio 9/10: alice 540.00, bob 360.00, unpaid 60.00
    // and 40.00. Spot is untouched: carol 300.00. The house estate (100.00) pays alice 60.00, bob 40.00 and
    // the lender 100.00 pro rata, ratio 1/2: alice 30.00, bob 20.00, lender 50.00.
    // Commingled: pot 900.00 + 300.00 + 100.00 = 1,300.00 for 600.00 + 400.00 + 300.00 + 100.00 = 1,400.00,
    // ratio 13/14: alice 55714 + 4/14, bob 37142 + 12/14, carol 27857 + 2/14, lender 9285 + 10/14;
    // Σ floors 129998, remainder 2 → bob and the lender.
    expect(columns(report)).toEqual({
      alice: [57000n, 55714n],
      bob: [38000n, 37143n],
      carol: [30000n, 27857n],
      lender: [5000n, 9286n],
    });
    const alice = report.customers.find((c) => c.customerId === 'alice');
    expect([alice?.segregatedFromEstatesMinor, alice?.segregatedFromHouseEstateMinor]).toEqual([
      54000n,
      3000n,
    ]);
  });

  it('a customer default is borne by the defaulter’s estate after its residual interest, then by the house estate', () => {
    // alice 1,000.00, bob 500.00, carol 200.00 and 100.00 residual interest in 1,800.00; the house holds
    // 300.00 and owes a lender 600.00. carol loses 700.00 to alice: alice 1,700.00, carol −500.00.
    const book: ContagionBook = {
      holdings: [
        {
          vaultId: 'derivatives',
          asset: 'USD',
          pool: { type: 'customer', accountClass: 'derivatives' },
          amountMinor: 180000n,
        },
        { vaultId: 'house', asset: 'USD', pool: { type: 'house' }, amountMinor: 30000n },
      ],
      netEquity: [
        equity('alice', 'derivatives', 100000n),
        equity('bob', 'derivatives', 50000n),
        equity('carol', 'derivatives', 20000n),
      ],
      houseCreditors: [{ creditorId: 'lender', asset: 'USD', claimMinor: 60000n }],
    };
    const report = simulate(book, {
      type: 'customer_default',
      customerId: 'carol',
      asset: 'USD',
      accountClass: 'derivatives',
      lossMinor: 70000n,
      counterpartyId: 'alice',
    });
    // Segregated, estate: claims 1,700.00 + 500.00 = 2,200.00 on 1,800.00, ratio 9/11: alice 139091,
    // bob 40909 (see resolution.test.ts); unpaid alice 30909, bob 9091.
    // House estate: 300.00 for alice 309.09 + bob 90.91 + lender 600.00 = 1,000.00, ratio 3/10:
    // alice 9272 + 7/10, bob 2727 + 3/10, lender 18000 exactly; remainder 1 → alice: 9273, 2727, 18000.
    // Commingled: pot 2,100.00 for 1,700.00 + 500.00 + 600.00 = 2,800.00, ratio 3/4: 1,275.00, 375.00, 450.00.
    expect(columns(report)).toEqual({
      alice: [139091n + 9273n, 127500n],
      bob: [40909n + 2727n, 37500n],
      lender: [18000n, 45000n],
    });
    const estate = report.resolution.estates[0];
    expect(estate?.debts).toEqual([
      { customerId: 'carol', debtMinor: 50000n, recoveredMinor: 0n, outstandingMinor: 50000n },
    ]);
  });

  it('a custodian failure is shared by the customers with property there; the tie goes to the lowest claimant id', () => {
    const book: ContagionBook = {
      holdings: [
        {
          vaultId: 'custodian-x',
          asset: 'USD',
          pool: { type: 'customer', accountClass: 'derivatives' },
          amountMinor: 100000n,
        },
        {
          vaultId: 'custodian-x',
          asset: 'BTC',
          pool: { type: 'customer', accountClass: 'derivatives' },
          amountMinor: 100000000n,
        },
        { vaultId: 'house', asset: 'USD', pool: { type: 'house' }, amountMinor: 50000n },
      ],
      netEquity: [
        equity('alice', 'derivatives', 50000n),
        equity('bob', 'derivatives', 50000n),
        equity('carol', 'derivatives', 100000000n, 'BTC'),
      ],
      houseCreditors: [{ creditorId: 'lender', asset: 'USD', claimMinor: 50000n }],
    };
    const report = simulate(book, {
      type: 'custodian_failure',
      vaultIds: ['custodian-x'],
      lostShare: { numerator: 1n, denominator: 3n },
    });
    // Losses are rounded up: USD ⌈100000 / 3⌉ = 33334 lost, 66666 left; BTC ⌈100000000 / 3⌉ = 33333334 lost.
    // Segregated USD, estate: 666.66 for alice 500.00 + bob 500.00: 50000 × 66666 / 100000 = 33333 each, exact;
    // unpaid 16667 each. House estate 500.00 for 16667 + 16667 + lender 50000 = 83334: alice and bob
    // 16667 × 50000 / 83334 = 10000 + 10000/83334 each, lender 50000 × 50000 / 83334 = 29999 + 63334/83334;
    // remainder 1 → lender. alice and bob 333.33 + 100.00, lender 300.00.
    // Commingled USD: pot 666.66 + 500.00 = 1,166.66 for 1,500.00: each 50000 × 116666 / 150000 = 38888 + 2/3;
    // all three fractions tie, remainder 2 → the two lowest claimant ids, creditor:lender and customer:alice.
    expect(columns(report)).toEqual({
      alice: [43333n, 38889n],
      bob: [43333n, 38888n],
      lender: [30000n, 38889n],
    });
    // BTC: carol alone with 0.66666666 BTC and no house BTC, in both columns.
    expect(columns(report, 'BTC')).toEqual({ carol: [66666666n, 66666666n] });
  });
});

describe('simulateContagion: rejections', () => {
  const run = (book: ContagionBook, ...events: ContagionEvent[]) => {
    const result = simulateContagion(book, { name: 'rejected', events });
    return result.ok ? 'ok' : result.error.code;
  };
  const holding = houseBook.holdings[0]!;

  it('contagion_amount_negative', () => {
    expect(run({ ...houseBook, holdings: [{ ...holding, amountMinor: -1n }] })).toBe(
      'contagion_amount_negative',
    );
    expect(run({ ...houseBook, houseCreditors: [{ creditorId: 'x', asset: 'USD', claimMinor: -1n }] })).toBe(
      'contagion_amount_negative',
    );
  });

  it('contagion_holding_duplicate', () => {
    expect(run({ ...houseBook, holdings: [holding, holding] })).toBe('contagion_holding_duplicate');
  });

  it('contagion_creditor_id_reserved', () => {
    const creditor = { creditorId: TRADING_LOSS_CREDITOR_ID, asset: 'USD', claimMinor: 1n };
    expect(run({ ...houseBook, houseCreditors: [creditor] })).toBe('contagion_creditor_id_reserved');
  });

  it('contagion_event_amount_not_positive', () => {
    expect(run(houseBook, { type: 'house_trading_loss', asset: 'USD', amountMinor: 0n })).toBe(
      'contagion_event_amount_not_positive',
    );
    expect(
      run(houseBook, { type: 'hot_wallet_hack', vaultId: 'house-hot', asset: 'USD', amountMinor: -5n }),
    ).toBe('contagion_event_amount_not_positive');
    expect(
      run(houseBook, {
        type: 'customer_default',
        customerId: 'alice',
        asset: 'USD',
        accountClass: 'derivatives',
        lossMinor: 0n,
        counterpartyId: 'bob',
      }),
    ).toBe('contagion_event_amount_not_positive');
  });

  it('contagion_vault_unknown', () => {
    expect(
      run(houseBook, { type: 'hot_wallet_hack', vaultId: 'house-hot', asset: 'BTC', amountMinor: 1n }),
    ).toBe('contagion_vault_unknown');
    expect(
      run(houseBook, {
        type: 'custodian_failure',
        vaultIds: ['nowhere'],
        lostShare: { numerator: 1n, denominator: 1n },
      }),
    ).toBe('contagion_vault_unknown');
  });

  it('contagion_hack_exceeds_holding, counting the hacks before it', () => {
    const hack = {
      type: 'hot_wallet_hack',
      vaultId: 'house-hot',
      asset: 'USD',
      amountMinor: 30000n,
    } as const;
    expect(run(houseBook, hack)).toBe('ok');
    expect(run(houseBook, hack, hack)).toBe('contagion_hack_exceeds_holding');
  });

  it('contagion_lost_share_invalid', () => {
    for (const lostShare of [
      { numerator: 0n, denominator: 1n },
      { numerator: 2n, denominator: 1n },
      { numerator: 1n, denominator: 0n },
    ]) {
      expect(run(houseBook, { type: 'custodian_failure', vaultIds: ['house-hot'], lostShare })).toBe(
        'contagion_lost_share_invalid',
      );
    }
  });

  it('contagion_customer_unknown', () => {
    const base = { type: 'customer_default', asset: 'USD', lossMinor: 1n, counterpartyId: 'bob' } as const;
    expect(run(houseBook, { ...base, customerId: 'zoe', accountClass: 'derivatives' })).toBe(
      'contagion_customer_unknown',
    );
    expect(run(houseBook, { ...base, customerId: 'alice', accountClass: 'spot' })).toBe(
      'contagion_customer_unknown',
    );
  });

  it('contagion_counterparty_invalid', () => {
    const base = {
      type: 'customer_default',
      customerId: 'alice',
      asset: 'USD',
      accountClass: 'derivatives',
      lossMinor: 1n,
    } as const;
    expect(run(houseBook, { ...base, counterpartyId: 'alice' })).toBe('contagion_counterparty_invalid');
    expect(run(houseBook, { ...base, counterpartyId: '' })).toBe('contagion_counterparty_invalid');
  });
});
