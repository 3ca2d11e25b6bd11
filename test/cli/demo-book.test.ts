// Proves seedDemoBook on both stores: every command but the deliberate sweep is accepted, the sweep is
// refused as segregation_customer_to_house_forbidden, the invariants hold, the journal verifies, and the
// same seed writes the same book.

import { afterEach, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/core/ledger/invariants.ts';
import {
  DEMO_ACCOUNT_CLASSES,
  DEMO_CUSTOMERS_COUNT,
  DEMO_REFUSED_CODE,
  DEMO_REFUSED_LABEL,
  demoTransferId,
  seedDemoBook,
} from '../../src/service/demo-book.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import { openTestStore, STORE_KINDS, type StoreKind } from '../support/stores.ts';

const NOW_MS = Date.UTC(2026, 10, 24, 12, 0, 0);

describe.each(STORE_KINDS)('seedDemoBook on %s', (kind) => {
  const opened: LedgerService[] = [];
  afterEach(async () => {
    for (const service of opened.splice(0)) await service.close();
  });

  async function freshService(storeKind: StoreKind): Promise<LedgerService> {
    let clockMs = NOW_MS;
    // A clock that ticks one millisecond per read keeps batch times deterministic and increasing.
    const service = await LedgerService.open(await openTestStore(storeKind), { clock: () => clockMs++ });
    opened.push(service);
    return service;
  }

  it('writes a sound book and refuses the sweep of customer money into the house', async () => {
    const service = await freshService(kind);
    const summary = await seedDemoBook(service, { seed: 7, nowMs: NOW_MS });
    expect(summary).toMatchObject({
      seed: 7,
      assets: ['BTC', 'ETH', 'USDC', 'USDT'],
      accountClasses: [...DEMO_ACCOUNT_CLASSES],
      customers: DEMO_CUSTOMERS_COUNT,
      featuredCustomerId: 'cust-001',
      tradeSettlements: 82,
      refused: {
        transferId: demoTransferId(7, DEMO_REFUSED_LABEL),
        kind: 'house_transfer',
        code: DEMO_REFUSED_CODE,
      },
    });
    expect(summary.deposits).toBeGreaterThan(DEMO_CUSTOMERS_COUNT);
    expect(summary.fees).toBeGreaterThan(0);
    expect(summary.transfers).toBeGreaterThan(summary.deposits + summary.tradeSettlements + summary.fees);
    const state = await service.read((engine) => ({
      accounts: engine.listAccounts(),
      headSeq: engine.headSeq,
      pending: engine.listPendingHolds().map((hold) => hold.id),
      posted: engine.getHold(summary.postedHoldId)?.status,
      failure: engine.getFailure(summary.refused.transferId)?.code,
    }));
    expect(state.headSeq).toBe(summary.headSeq);
    expect(state.accounts).toHaveLength(summary.accounts);
    expect(checkInvariants(state.accounts)).toEqual([]);
    expect(state.pending).toEqual([summary.pendingHoldId]);
    expect(state.posted).toBe('posted');
    expect(state.failure).toBe(DEMO_REFUSED_CODE);
    const customerIds = await service.read((engine) => engine.listCustomers().map((customer) => customer.id));
    expect(customerIds[0]).toBe('cust-001');
    expect(customerIds.at(-1)).toBe('cust-036');
    const report = await service.verify();
    expect(report.ok).toBe(true);
  });

  it('writes the same book for the same seed and another for another seed', async () => {
    const fingerprint = async (seed: number) => {
      const service = await freshService(kind);
      const summary = await seedDemoBook(service, { seed, nowMs: NOW_MS });
      const accounts = await service.read((engine) => engine.listAccounts());
      return JSON.stringify({ summary, accounts }, (_key, value) =>
        typeof value === 'bigint' ? value.toString() : value,
      );
    };
    const first = await fingerprint(11);
    expect(await fingerprint(11)).toBe(first);
    expect(await fingerprint(12)).not.toBe(first);
  });
});
