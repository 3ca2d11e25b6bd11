// Seeded simulation of the resolution on random books: random ledger activity on the standard book (legitimate
// flows and refused attempts), then, after every round, random unresolved shortfalls, random margin marks that
// push customers into deficit and random recoveries of their debts, read and resolved as the service does
// (readResolutionBooks, computeResolution). After every round:
//   - per estate, Σ payouts = distributed = min(Σ claims, property), no payout above its claim, and property =
//     eligible custody − shortfall (never below zero) + recoveries, computed independently here;
//   - changing one estate's shortfall changes no other estate's payouts;
//   - under the built-in house loss (all the house holds plus half the customers' holdings), every customer
//     of the segregated books (solvent: the ledger keeps custody ≥ claims) is paid in full, and customers
//     never recover more in total when commingled.
// A failing seed prints itself (RINGFENCE_SIM_SEED=<n> runs just that seed).

import { describe, expect, it } from 'vitest';
import { LedgerEngine } from '../src/core/ledger/engine.ts';
import { simulateContagion } from '../src/core/resolution/contagion.ts';
import { type MarginSource, NO_MARGIN, segmentKey } from '../src/core/segregation/statement.ts';
import { builtInScenario } from '../src/service/resolution/contagion-scenarios.ts';
import { readContagionBook, readResolutionBooks } from '../src/service/resolution/resolution-books.ts';
import type { PinnedShortfall } from '../src/service/resolution/resolution-events.ts';
import { computeResolution } from '../src/service/resolution/resolution-service.ts';
import type { RecoveryRecord } from '../src/service/resolution/resolution-state.ts';
import { ACCOUNT_CLASSES, ASSETS, applyAll, bookSetupCommands, houseCapital } from './support/book.ts';
import { RandomOps, seededRandom } from './support/random-ops.ts';

const SEEDS =
  process.env.RINGFENCE_SIM_SEED !== undefined
    ? [Number(process.env.RINGFENCE_SIM_SEED)]
    : [6, 20_261_201, 42];
const ROUNDS = 25;
const COMMANDS_PER_ROUND = 40;

function below(random: () => number, limit: bigint): bigint {
  if (limit <= 0n) return 0n;
  return BigInt(Math.floor(random() * Number(limit > 1_000_000_000_000n ? 1_000_000_000_000n : limit)));
}

describe('resolution simulation', () => {
  it.each(SEEDS)(
    'keeps the distribution invariants and segregated customers whole under a house loss (seed %i)',
    (seed) => {
      const random = seededRandom(seed);
      const ops = new RandomOps(random, 'e');
      const engine = new LedgerEngine();
      applyAll(engine, bookSetupCommands(), 1_000);
      applyAll(
        engine,
        ASSETS.map((asset) => houseCapital(asset.code, 10n ** BigInt(asset.scale + 4))),
        1_001,
      );
      let nowMs = 2_000;
      // What the rounds exercised: estates short of their claims, deficit customers, recoveries.
      const seen = { shortEstates: 0, debts: 0, recoveries: 0, contagionRuns: 0 };
      try {
        for (let round = 0; round < ROUNDS; round += 1) {
          nowMs += 1_000;
          engine.executeBatch(ops.next(COMMANDS_PER_ROUND, nowMs), nowMs);
          const marks = new Map<string, bigint>();
          for (const account of engine.iterateAccounts()) {
            if (account.segregationClass !== 'customer_collateral' || account.owner.type !== 'customer')
              continue;
            if (random() < 0.25) {
              const balance = account.creditsPostedMinor - account.debitsPostedMinor;
              marks.set(account.id, -below(random, 2n * balance + 2n));
            }
          }
          const margin: MarginSource = {
            figuresOf: (customerId, asset, accountClass) => {
              const mark = marks.get(`${customerId}:${accountClass}:${asset}`);
              return mark === undefined ? undefined : { unrealisedPnlMinor: mark, requiredMarginMinor: 0n };
            },
          };
          // Independently: eligible custody per estate (every book vault is registered and acknowledged).
          const custody = new Map<string, bigint>();
          for (const account of engine.iterateAccounts()) {
            if (account.segregationClass !== 'segregated_custody') continue;
            const key = segmentKey(account.asset, account.accountClass!);
            custody.set(
              key,
              (custody.get(key) ?? 0n) + account.debitsPostedMinor - account.creditsPostedMinor,
            );
          }
          const shortfalls: PinnedShortfall[] = [];
          for (const asset of ASSETS) {
            for (const accountClass of ACCOUNT_CLASSES) {
              const held = custody.get(segmentKey(asset.code, accountClass)) ?? 0n;
              if (random() < 0.5)
                shortfalls.push({
                  asset: asset.code,
                  accountClass,
                  amountMinor: below(random, held + held / 4n + 1n),
                });
            }
          }
          const resolve = (entries: readonly PinnedShortfall[], recoveries: readonly RecoveryRecord[]) => {
            const books = readResolutionBooks(engine, {
              shortfalls: new Map(entries.map((s) => [segmentKey(s.asset, s.accountClass), s.amountMinor])),
              margin,
            });
            const result = computeResolution(books, entries, recoveries, nowMs, false, 0);
            if (!result.ok) throw new Error(`resolution refused: ${result.error.code}`);
            return result.value.resolution;
          };
          const first = resolve(shortfalls, []);
          // Recover part of some debts, then check the whole resolution.
          const recoveries: RecoveryRecord[] = [];
          for (const estate of first.estates) {
            for (const debt of estate.debts) {
              if (random() < 0.5) continue;
              recoveries.push({
                recovery: {
                  customerId: debt.customerId,
                  asset: estate.asset,
                  accountClass: estate.accountClass,
                  amountMinor: 1n + below(random, debt.debtMinor),
                },
                reference: 'sim',
                recordedBy: 'sim',
                recordedAtMs: nowMs,
              });
            }
          }
          const resolution = resolve(shortfalls, recoveries);
          seen.recoveries += recoveries.length;
          for (const estate of resolution.estates) {
            if (estate.shortfallMinor > 0n) seen.shortEstates += 1;
            seen.debts += estate.debts.length;
          }
          for (const estate of resolution.estates) {
            const key = segmentKey(estate.asset, estate.accountClass);
            const shortfall =
              shortfalls.find((s) => segmentKey(s.asset, s.accountClass) === key)?.amountMinor ?? 0n;
            const netHeld = (custody.get(key) ?? 0n) - shortfall;
            let recovered = 0n;
            for (const record of recoveries) {
              if (segmentKey(record.recovery.asset, record.recovery.accountClass) === key)
                recovered += record.recovery.amountMinor;
            }
            expect(estate.heldMinor, key).toBe(netHeld > 0n ? netHeld : 0n);
            expect(estate.propertyMinor, key).toBe(estate.heldMinor + recovered);
            let claims = 0n;
            let paid = 0n;
            for (const payout of estate.payouts) {
              expect(payout.payoutMinor <= payout.claimMinor, `${key} ${payout.customerId}`).toBe(true);
              expect(payout.payoutMinor + payout.unpaidMinor).toBe(payout.claimMinor);
              claims += payout.claimMinor;
              paid += payout.payoutMinor;
            }
            const expected = claims < estate.propertyMinor ? claims : estate.propertyMinor;
            expect(estate.totalClaimsMinor, key).toBe(claims);
            expect(paid, key).toBe(expected);
            expect(estate.distributedMinor, key).toBe(expected);
          }
          // One estate's shortfall moves by a unit: no other estate's payouts change.
          if (shortfalls.length > 0) {
            const changed = shortfalls[0]!;
            const bumped = [{ ...changed, amountMinor: changed.amountMinor + 1n }, ...shortfalls.slice(1)];
            const other = resolve(bumped, recoveries);
            for (const estate of other.estates) {
              if (estate.asset === changed.asset && estate.accountClass === changed.accountClass) continue;
              const before = resolution.estates.find(
                (e) => e.asset === estate.asset && e.accountClass === estate.accountClass,
              )!;
              expect(estate.payouts).toEqual(before.payouts);
            }
          }
          // The house fails after a trading loss: segregated customers are whole, commingled ones are not better off.
          const book = readContagionBook(engine, NO_MARGIN, []);
          const scenario = builtInScenario('house-loss', book, engine.listVaults());
          if (!scenario.ok) continue;
          const simulated = simulateContagion(book, scenario.scenario);
          seen.contagionRuns += 1;
          if (!simulated.ok) throw new Error(`contagion refused: ${simulated.error.code}`);
          for (const totals of simulated.report.assets) {
            expect(totals.customersSegregatedMinor, totals.asset).toBe(totals.customerClaimsMinor);
            expect(totals.customersCommingledMinor <= totals.customersSegregatedMinor, totals.asset).toBe(
              true,
            );
          }
          for (const customer of simulated.report.customers) {
            expect(customer.segregatedMinor, `${customer.customerId} ${customer.asset}`).toBe(
              customer.claimMinor,
            );
          }
        }
        expect(seen.shortEstates).toBeGreaterThan(0);
        expect(seen.debts).toBeGreaterThan(0);
        expect(seen.recoveries).toBeGreaterThan(0);
        expect(seen.contagionRuns).toBeGreaterThan(0);
      } catch (error) {
        throw new Error(`seed ${seed} failed (RINGFENCE_SIM_SEED=${seed}): ${(error as Error).message}`, {
          cause: error,
        });
      }
    },
  );
});
