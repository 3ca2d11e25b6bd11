// A small segregation book for service tests (see the worked example in test/service/segregation-service.test.ts):
// built on Friday 2026-11-27 with alice 1,000.00 and bob 300.00 USDC in derivatives, 200.00 of residual
// interest and a 100.00 target; on Monday 2026-11-30 bob deposits 50.00 more.

import { afterEach, expect } from 'vitest';
import { LedgerService } from '../../src/service/ledger-service.ts';
import {
  SegregationService,
  type SegregationServiceOptions,
} from '../../src/service/segregation/segregation-service.ts';
import { bookSetupCommands, deposit, houseCapital, residualInterestDeposit } from './book.ts';
import { openTestStore, type StoreKind } from './stores.ts';

export const D = 'derivatives';
export const USDC = (units: number) => BigInt(units) * 1_000_000n;
export const FRIDAY_3PM = Date.UTC(2026, 10, 27, 15);
export const MONDAY_9AM = Date.UTC(2026, 10, 30, 9);

const opened: LedgerService[] = [];
afterEach(async () => {
  for (const service of opened.splice(0)) await service.close();
});

export interface SegregationHarness {
  readonly ledger: LedgerService;
  readonly segregation: SegregationService;
  readonly clock: { nowMs: number };
  reopen(options?: SegregationServiceOptions): Promise<SegregationService>;
}

export async function openSegregationBook(
  kind: StoreKind,
  options: SegregationServiceOptions = {},
): Promise<SegregationHarness> {
  const store = await openTestStore(kind);
  const clock = { nowMs: FRIDAY_3PM };
  const ledger = await LedgerService.open(store, { clock: () => clock.nowMs });
  opened.push(ledger);
  const submit = async (commands: Parameters<LedgerService['submit']>[0]) => {
    for (const result of await ledger.submit(commands)) expect(result.ok).toBe(true);
  };
  await submit(bookSetupCommands());
  await submit([
    houseCapital('USDC', USDC(1_000)),
    deposit('alice', D, 'USDC', USDC(1_000)),
    deposit('bob', D, 'USDC', USDC(300)),
    residualInterestDeposit(D, 'USDC', USDC(200)),
  ]);
  const segregation = await SegregationService.open(ledger, { clock: () => clock.nowMs, ...options });
  const target = await segregation.setTarget({
    asset: 'USDC',
    accountClass: D,
    amountMinor: USDC(100),
    approvalReference: 'board minute 2026-11-02 item 4',
    by: 'officer-key',
  });
  expect(target.ok).toBe(true);
  clock.nowMs = MONDAY_9AM;
  await submit([deposit('bob', D, 'USDC', USDC(50))]);
  return {
    ledger,
    segregation,
    clock,
    reopen: (reopenOptions = {}) =>
      SegregationService.open(ledger, { clock: () => clock.nowMs, ...reopenOptions }),
  };
}
