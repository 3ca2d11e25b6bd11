// Proves what `verify` catches on both stores, layer by layer: a rewritten entry breaks its batch hash; a
// rewritten entry with a recomputed batch hash breaks the next batch's chain link; a rewritten and re-hashed
// head batch no longer matches the stored balances. Also proves balances as of any journal position equal
// the balances the books had when that position was the head.

import { afterEach, describe, expect, it } from 'vitest';
import { hashBatch } from '../../src/core/ledger/engine.ts';
import type { Account } from '../../src/core/ledger/types.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import { bookSetupCommands, deposit, ids, leg, transfer } from '../support/book.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.ts';

const D = 'derivatives';
const opened: LedgerService[] = [];
afterEach(async () => {
  for (const service of opened.splice(0)) await service.close();
});

async function bookWithHistory(
  kind: (typeof STORE_KINDS)[number],
): Promise<{ service: LedgerService; store: TestStore; snapshots: Map<number, Account[]> }> {
  const store = await openTestStore(kind);
  let nowMs = 1_000;
  const service = await LedgerService.open(store, { clock: () => nowMs });
  opened.push(service);
  const snapshots = new Map<number, Account[]>();
  const steps = [
    bookSetupCommands(),
    [deposit('alice', D, 'BTC', 500n)],
    [deposit('bob', D, 'BTC', 300n)],
    [
      transfer('trade_settlement', [
        leg(ids.customer('alice', D, 'BTC'), ids.customer('bob', D, 'BTC'), 'BTC', 120n),
      ]),
    ],
    [deposit('carol', D, 'USDC', 9_000n)],
  ];
  for (const commands of steps) {
    nowMs += 10;
    const results = await service.submit(commands);
    expect(results.every((r) => r.ok)).toBe(true);
    const seq = await service.read((engine) => engine.headSeq);
    snapshots.set(seq, await service.read((engine) => engine.listAccounts()));
  }
  return { service, store, snapshots };
}

describe.each(STORE_KINDS)('journal verification on %s', (kind) => {
  it('reads balances as of every journal position', async () => {
    const { service, snapshots } = await bookWithHistory(kind);
    expect(snapshots.size).toBe(5);
    for (const [seq, accounts] of snapshots) expect(await service.accountsAsOf(seq)).toEqual(accounts);
  });

  it('names the batch whose entry was rewritten', async () => {
    const { service, store } = await bookWithHistory(kind);
    expect((await service.verify()).ok).toBe(true);
    const [batch] = await store.readBatches(3, 3, 1);
    await store.dangerouslyTamperEntryForTest(3, 0, batch!.entries[0]!.body.replace('"300"', '"3000"'));
    expect(await service.verify()).toMatchObject({
      ok: false,
      firstMismatch: { seq: 3, reason: 'hash_mismatch' },
    });
  });

  it('names the next batch when the rewritten batch was also re-hashed', async () => {
    const { service, store } = await bookWithHistory(kind);
    const [batch] = await store.readBatches(3, 3, 1);
    const body = batch!.entries[0]!.body.replace('"300"', '"3000"');
    await store.dangerouslyTamperEntryForTest(3, 0, body);
    await store.dangerouslyTamperBatchHashForTest(
      3,
      hashBatch(batch!.prevHash, 3, batch!.timestampMs, [{ ...batch!.entries[0]!, body }]),
    );
    expect(await service.verify()).toMatchObject({
      ok: false,
      firstMismatch: { seq: 4, reason: 'prev_hash_mismatch' },
    });
  });

  it('catches a rewritten and re-hashed head batch through the stored balances', async () => {
    const { service, store } = await bookWithHistory(kind);
    const head = await store.readHeadSeq();
    const [batch] = await store.readBatches(head, head, 1);
    const body = batch!.entries[0]!.body.replace('"9000"', '"90000"');
    await store.dangerouslyTamperEntryForTest(head, 0, body);
    await store.dangerouslyTamperBatchHashForTest(
      head,
      hashBatch(batch!.prevHash, head, batch!.timestampMs, [{ ...batch!.entries[0]!, body }]),
    );
    const report = await service.verify();
    expect(report.ok).toBe(false);
    expect(report.firstMismatch).toBeNull();
    expect(report.accountMismatches.map((m) => m.account).sort()).toEqual(
      [ids.customer('carol', D, 'USDC'), ids.segregated(D, 'USDC')].sort(),
    );
  });
});
