// The worked resolution example (docs/resolution.md, "The service: a worked example"), built on the standard
// book of test/support/book.ts and used by the service, API and CLI tests:
//
//   BTC / derivatives: alice deposits 2, bob 3, carol 1; the house puts 0.5 in as residual interest
//                      -> 6.5 BTC of segregated custody on the books.
//                      Marks: alice +1.5, carol -1.5 (carol's equity is -0.5: a debt of 0.5 to the estate).
//                      The custodian's statement shows the vault holds 5.2: an open break of 1.3.
//   USDC / spot:       alice, bob and carol deposit 500.00 each -> 1,500.00 on the books.
//                      The custodian's statement shows 1,000.00: an open break of 500.00.
//
// Frozen, the BTC estate holds 5.2 against claims of 6.5 (alice 3.5, bob 3: carol's deficit is not netted),
// ratio 4/5: alice 2.8, bob 2.4. The USDC estate holds 1,000.00 against 1,500.00, ratio 2/3: 333.333334 /
// 333.333333 / 333.333333 (USDC has six decimals; the remainder unit goes to alice, the lowest id of a
// three-way tie).

import { afterEach, expect } from 'vitest';
import type { MarginSource } from '../../src/core/segregation/statement.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import {
  ResolutionService,
  type ResolutionServiceOptions,
} from '../../src/service/resolution/resolution-service.ts';
import { SegregationService } from '../../src/service/segregation/segregation-service.ts';
import { bookSetupCommands, deposit, houseCapital, residualInterestDeposit } from './book.ts';
import {
  locationOfTestStore,
  openTestStore,
  openTestStoreAt,
  type StoreKind,
  type TestStore,
} from './stores.ts';

export const D = 'derivatives';
export const S = 'spot';
/** Whole BTC and hundredths, in satoshis. */
export const BTC = (units: number) => BigInt(Math.round(units * 100)) * 1_000_000n;
export const USDC = (units: number) => BigInt(Math.round(units * 100)) * 10_000n;
export const RESOLUTION_CLOCK_MS = Date.UTC(2026, 10, 30, 12);

/** The margin engine's marks: alice wins 1.5 BTC in derivatives, carol loses 1.5 BTC there. */
export const RESOLUTION_MARGIN: MarginSource = {
  figuresOf: (customerId, asset, accountClass) => {
    if (asset !== 'BTC' || accountClass !== D) return undefined;
    if (customerId === 'alice') return { unrealisedPnlMinor: BTC(1.5), requiredMarginMinor: 0n };
    if (customerId === 'carol') return { unrealisedPnlMinor: -BTC(1.5), requiredMarginMinor: 0n };
    return undefined;
  },
};

/** The custodian's statement: the derivatives vault holds 5.2 BTC, the spot vault 1,000 USDC. */
export const CUSTODIAN_STATEMENT = [
  'custodian,statement_date,vault_id,asset,balance',
  'Test Custodian,2026-11-30,vault:derivatives,BTC,5.2',
  'Test Custodian,2026-11-30,vault:spot,USDC,1000',
  '',
].join('\n');

const opened: LedgerService[] = [];
afterEach(async () => {
  for (const service of opened.splice(0)) await service.close();
});

export interface ResolutionBook {
  readonly store: TestStore;
  readonly ledger: LedgerService;
  readonly segregation: SegregationService;
  readonly resolution: ResolutionService;
  readonly clock: { nowMs: number };
  submit(commands: Parameters<LedgerService['submit']>[0]): Promise<void>;
  /** Closes the ledger and opens the same database again: a restart. */
  restart(): Promise<{ ledger: LedgerService; resolution: ResolutionService }>;
}

/** Opens a store of `kind` with the worked example's book, its reconciliation and the three services. */
export async function openResolutionBook(
  kind: StoreKind,
  options: { readonly reconcile?: boolean } = {},
): Promise<ResolutionBook> {
  const store = await openTestStore(kind);
  const clock = { nowMs: RESOLUTION_CLOCK_MS };
  const ledger = await LedgerService.open(store, { clock: () => clock.nowMs });
  opened.push(ledger);
  const submit = async (commands: Parameters<LedgerService['submit']>[0]) => {
    for (const result of await ledger.submit(commands)) expect(result.ok).toBe(true);
  };
  await submit(bookSetupCommands());
  await submit([
    houseCapital('BTC', BTC(10)),
    deposit('alice', D, 'BTC', BTC(2)),
    deposit('bob', D, 'BTC', BTC(3)),
    deposit('carol', D, 'BTC', BTC(1)),
    residualInterestDeposit(D, 'BTC', BTC(0.5)),
    deposit('alice', S, 'USDC', USDC(500)),
    deposit('bob', S, 'USDC', USDC(500)),
    deposit('carol', S, 'USDC', USDC(500)),
  ]);
  const segregation = await SegregationService.open(ledger, { clock: () => clock.nowMs });
  if (options.reconcile !== false) {
    const imported = await segregation.importCustodianStatement(CUSTODIAN_STATEMENT, 'operator-key');
    expect(imported.ok).toBe(true);
  }
  const serviceOptions: ResolutionServiceOptions = {
    clock: () => clock.nowMs,
    segregation,
    margin: RESOLUTION_MARGIN,
  };
  const resolution = await ResolutionService.open(ledger, serviceOptions);
  const book: ResolutionBook = {
    store,
    ledger,
    segregation,
    resolution,
    clock,
    submit,
    async restart() {
      await ledger.close();
      opened.splice(opened.indexOf(ledger), 1);
      const reopenedStore = await openTestStoreAt(locationOfTestStore(store));
      const reopened = await LedgerService.open(reopenedStore, { clock: () => clock.nowMs });
      opened.push(reopened);
      const reopenedSegregation = await SegregationService.open(reopened, { clock: () => clock.nowMs });
      return {
        ledger: reopened,
        resolution: await ResolutionService.open(reopened, {
          ...serviceOptions,
          segregation: reopenedSegregation,
        }),
      };
    },
  };
  return book;
}
