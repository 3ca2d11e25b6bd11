// Properties of the contagion simulation over random books and scenarios: both columns distribute exactly
// what is held; nobody recovers more than its claim; a house trading loss never changes what the customer
// estates pay, and leaves customers whole when their estates are funded; a hack of one estate's vault never
// changes another estate; and in total per asset, customers never recover less under segregation than under
// commingling (up to one rounding unit per customer in each tier).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClaimsRegister, estateMapKey, type NetEquityEntry } from './claims.ts';
import {
  type ContagionBook,
  type ContagionEvent,
  type ContagionReport,
  type HouseCreditor,
  simulateContagion,
  type VaultHolding,
} from './contagion.ts';

const ASSETS = ['USD', 'BTC'] as const;
const CLASSES = ['derivatives', 'spot'] as const;
const CUSTOMERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
const AMOUNT_MAX = 10n ** 7n;

const customerVault = (asset: string, accountClass: string) => `customer-${asset}-${accountClass}`;
const houseVault = (asset: string) => `house-${asset}`;

const netEquityArbitrary: fc.Arbitrary<NetEquityEntry[]> = fc.array(
  fc.record({
    customerId: fc.constantFrom(...CUSTOMERS),
    asset: fc.constantFrom(...ASSETS),
    accountClass: fc.constantFrom(...CLASSES),
    netEquityMinor: fc.bigInt({ min: -AMOUNT_MAX, max: AMOUNT_MAX }),
  }),
  { maxLength: 24 },
);
const creditorsArbitrary: fc.Arbitrary<HouseCreditor[]> = fc.array(
  fc.record({
    creditorId: fc.constantFrom('lender', 'supplier'),
    asset: fc.constantFrom(...ASSETS),
    claimMinor: fc.bigInt({ min: 0n, max: 2n * AMOUNT_MAX }),
  }),
  { maxLength: 4 },
);

/** One vault per estate and one house vault per asset, with the given amounts in that order. */
function holdingsOf(amounts: readonly bigint[]): VaultHolding[] {
  const holdings: VaultHolding[] = [];
  let at = 0;
  for (const asset of ASSETS) {
    for (const accountClass of CLASSES) {
      holdings.push({
        vaultId: customerVault(asset, accountClass),
        asset,
        pool: { type: 'customer', accountClass },
        amountMinor: amounts[at++] ?? 0n,
      });
    }
    holdings.push({
      vaultId: houseVault(asset),
      asset,
      pool: { type: 'house' },
      amountMinor: amounts[at++] ?? 0n,
    });
  }
  return holdings;
}

const bookArbitrary: fc.Arbitrary<ContagionBook> = fc
  .tuple(
    fc.array(fc.bigInt({ min: 0n, max: 2n * AMOUNT_MAX }), { minLength: 6, maxLength: 6 }),
    netEquityArbitrary,
    creditorsArbitrary,
  )
  .map(([amounts, netEquity, houseCreditors]) => ({
    holdings: holdingsOf(amounts),
    netEquity,
    houseCreditors,
  }));

/**
 * Events valid for the book: hacks of at most a fifth of a holding, placed before the custodian failures,
 * and defaults by customers of the estate.
 */
function eventsFor(book: ContagionBook): fc.Arbitrary<ContagionEvent[]> {
  const hackable = book.holdings.filter((h) => h.amountMinor >= 5n);
  const positions = book.netEquity;
  const options: fc.Arbitrary<ContagionEvent>[] = [
    fc.record({
      type: fc.constant('house_trading_loss' as const),
      asset: fc.constantFrom(...ASSETS),
      amountMinor: fc.bigInt({ min: 1n, max: 3n * AMOUNT_MAX }),
    }),
    fc.record({
      type: fc.constant('custodian_failure' as const),
      vaultIds: fc.subarray(
        book.holdings.map((h) => h.vaultId),
        { minLength: 1 },
      ),
      lostShare: fc
        .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
        .map(([a, b]) => ({ numerator: BigInt(Math.min(a, b)), denominator: BigInt(Math.max(a, b)) })),
    }),
  ];
  if (hackable.length > 0) {
    options.push(
      fc.constantFrom(...hackable).chain((holding) =>
        fc.record({
          type: fc.constant('hot_wallet_hack' as const),
          vaultId: fc.constant(holding.vaultId),
          asset: fc.constant(holding.asset),
          amountMinor: fc.bigInt({ min: 1n, max: holding.amountMinor / 5n }),
        }),
      ),
    );
  }
  if (positions.length > 0) {
    options.push(
      fc.constantFrom(...positions).chain((position) =>
        fc.record({
          type: fc.constant('customer_default' as const),
          customerId: fc.constant(position.customerId),
          asset: fc.constant(position.asset),
          accountClass: fc.constant(position.accountClass),
          lossMinor: fc.bigInt({ min: 1n, max: 2n * AMOUNT_MAX }),
          counterpartyId: fc.constantFrom(...CUSTOMERS.filter((c) => c !== position.customerId)),
        }),
      ),
    );
  }
  // At most four events, so with one more hack in a test, five fifths of a vault at most are stolen.
  return fc
    .array(fc.oneof(...options), { maxLength: 4 })
    .map((events) => [
      ...events.filter((e) => e.type === 'hot_wallet_hack'),
      ...events.filter((e) => e.type !== 'hot_wallet_hack'),
    ]);
}

const caseArbitrary = bookArbitrary.chain((book) => fc.tuple(fc.constant(book), eventsFor(book)));

function simulate(book: ContagionBook, events: readonly ContagionEvent[]): ContagionReport {
  const result = simulateContagion(book, { name: 'property', events });
  if (!result.ok) throw new Error(`unexpected rejection ${result.error.code}`);
  return result.report;
}

describe('simulateContagion: properties', () => {
  it('distributes exactly what is held in both columns, and nobody recovers more than its claim', () => {
    fc.assert(
      fc.property(caseArbitrary, ([book, events]) => {
        const report = simulate(book, events);
        for (const totals of report.assets) {
          const held = totals.customerPropertyMinor + totals.housePropertyMinor;
          expect(
            totals.customersSegregatedMinor +
              totals.creditorsSegregatedMinor +
              totals.houseResidualSegregatedMinor,
          ).toBe(held);
          expect(
            totals.customersCommingledMinor +
              totals.creditorsCommingledMinor +
              totals.houseResidualCommingledMinor,
          ).toBe(held);
        }
        for (const row of [...report.customers, ...report.creditors]) {
          expect(row.segregatedMinor >= 0n && row.segregatedMinor <= row.claimMinor).toBe(true);
          expect(row.commingledMinor >= 0n && row.commingledMinor <= row.claimMinor).toBe(true);
        }
      }),
    );
  });

  it('never pays customers less in total under segregation than under commingling, per asset', () => {
    fc.assert(
      fc.property(caseArbitrary, ([book, events]) => {
        const report = simulate(book, events);
        for (const totals of report.assets) {
          // Each tier rounds each payout by less than one unit: one unit per customer per tier is the slack.
          const customers = BigInt(report.customers.filter((c) => c.asset === totals.asset).length);
          expect(totals.customersSegregatedMinor + 2n * customers >= totals.customersCommingledMinor).toBe(
            true,
          );
        }
      }),
    );
  });

  it('never changes what the customer estates pay when the house loses on its own trading', () => {
    fc.assert(
      fc.property(
        caseArbitrary,
        fc.constantFrom(...ASSETS),
        fc.bigInt({ min: 1n, max: 4n * AMOUNT_MAX }),
        ([book, events], asset, amountMinor) => {
          const before = simulate(book, events);
          const after = simulate(book, [...events, { type: 'house_trading_loss', asset, amountMinor }]);
          expect(after.resolution).toEqual(before.resolution);
          expect(after.customers.map((c) => [c.customerId, c.asset, c.segregatedFromEstatesMinor])).toEqual(
            before.customers.map((c) => [c.customerId, c.asset, c.segregatedFromEstatesMinor]),
          );
        },
      ),
    );
  });

  it('leaves customers of funded estates whole whatever the house loses; commingled they never do better', () => {
    fc.assert(
      fc.property(
        netEquityArbitrary,
        creditorsArbitrary,
        fc.array(fc.bigInt({ min: 0n, max: AMOUNT_MAX }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(...ASSETS),
        fc.bigInt({ min: 1n, max: 4n * AMOUNT_MAX }),
        (netEquity, houseCreditors, extras, asset, amountMinor) => {
          // Each estate's vault holds its claims plus some residual interest; house vaults hold the extras.
          const claims = new Map(
            buildClaimsRegister(netEquity).estates.map((e) => [estateMapKey(e), e.totalClaimsMinor]),
          );
          const holdings = holdingsOf(extras).map((h) =>
            h.pool.type === 'customer'
              ? {
                  ...h,
                  amountMinor:
                    h.amountMinor +
                    (claims.get(estateMapKey({ asset: h.asset, accountClass: h.pool.accountClass })) ?? 0n),
                }
              : h,
          );
          const report = simulate({ holdings, netEquity, houseCreditors }, [
            { type: 'house_trading_loss', asset, amountMinor },
          ]);
          for (const customer of report.customers) {
            expect(customer.segregatedMinor).toBe(customer.claimMinor);
            expect(customer.segregatedFromHouseEstateMinor).toBe(0n);
            expect(customer.commingledMinor <= customer.segregatedMinor).toBe(true);
          }
        },
      ),
    );
  });

  it('never changes another estate when one estate’s vault is hacked', () => {
    fc.assert(
      fc.property(caseArbitrary, fc.nat(), ([book, events], pick) => {
        const hackable = book.holdings.filter((h) => h.pool.type === 'customer' && h.amountMinor >= 5n);
        fc.pre(hackable.length > 0);
        const target = hackable[pick % hackable.length]!;
        const before = simulate(book, events);
        const after = simulate(book, [
          // The hack comes first so that it never exceeds what the vault holds after the other events.
          {
            type: 'hot_wallet_hack',
            vaultId: target.vaultId,
            asset: target.asset,
            amountMinor: target.amountMinor / 5n,
          },
          ...events,
        ]);
        const accountClass = target.pool.type === 'customer' ? target.pool.accountClass : '';
        const key = estateMapKey({ asset: target.asset, accountClass });
        const others = (report: ContagionReport) =>
          report.resolution.estates.filter((e) => estateMapKey(e) !== key);
        expect(others(after)).toEqual(others(before));
      }),
    );
  });
});
