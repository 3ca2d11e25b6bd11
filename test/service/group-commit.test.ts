// Proves the single writer's group commit on both stores: many concurrent requests share a few durable
// commits, no request is acknowledged before the commit holding it is durable, readers never see a batch
// that is still in flight, and a failed commit stops the writer instead of acknowledging anything.

import { afterEach, describe, expect, it } from 'vitest';
import type { CommittedBatch, FailedId } from '../../src/core/ledger/types.ts';
import { WriterStoppedError } from '../../src/service/errors.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import type { LedgerStore } from '../../src/store/store.ts';
import { bookSetupCommands, deposit } from '../support/book.ts';
import { openTestStore, STORE_KINDS } from '../support/stores.ts';

const opened: LedgerService[] = [];
afterEach(async () => {
  for (const service of opened.splice(0)) await service.close().catch(() => undefined);
});

/** Wraps a store so the test decides when each commit may proceed, and can make one fail. */
function gatedStore(inner: LedgerStore) {
  const gates: { release: () => void; fail: (error: Error) => void }[] = [];
  let gated = false;
  // Delegate explicitly: the stores keep private fields, so the wrapper calls them on the real instance.
  const store: LedgerStore = {
    kind: inner.kind,
    migrate: () => inner.migrate(),
    commit: async (batch: CommittedBatch | null, failed: readonly FailedId[]) => {
      if (gated) await new Promise<void>((release, fail) => gates.push({ release, fail }));
      return inner.commit(batch, failed);
    },
    readBatches: (fromSeq, toSeq, limit) => inner.readBatches(fromSeq, toSeq, limit),
    readHeadSeq: () => inner.readHeadSeq(),
    readFailedIds: () => inner.readFailedIds(),
    readAccounts: () => inner.readAccounts(),
    appendCustodyEvents: (events) => inner.appendCustodyEvents(events),
    readCustodyEvents: () => inner.readCustodyEvents(),
    appendSegregationEvents: (events) => inner.appendSegregationEvents(events),
    readSegregationEvents: () => inner.readSegregationEvents(),
    appendReservesEvents: (events) => inner.appendReservesEvents(events),
    readReservesEvents: () => inner.readReservesEvents(),
    appendResolutionEvents: (events) => inner.appendResolutionEvents(events),
    readResolutionEvents: () => inner.readResolutionEvents(),
    insertApiKey: (key) => inner.insertApiKey(key),
    findApiKeyBySecretHash: (hash) => inner.findApiKeyBySecretHash(hash),
    close: () => inner.close(),
  };
  return { store, gates, gate: (on: boolean) => (gated = on) };
}

describe.each(STORE_KINDS)('group commit on %s', (kind) => {
  it('joins concurrent requests into few durable commits', async () => {
    const commits: number[] = [];
    const service = await LedgerService.open(await openTestStore(kind), {
      onCommit: ({ commands }) => commits.push(commands),
    });
    opened.push(service);
    await service.submit(bookSetupCommands());
    commits.length = 0;
    const results = await Promise.all(
      Array.from({ length: 200 }, () => service.submit([deposit('alice', 'derivatives', 'BTC', 1n)])),
    );
    expect(results.flat().every((r) => r.ok && !r.duplicate)).toBe(true);
    expect(commits.reduce((a, b) => a + b, 0)).toBe(200);
    expect(commits.length).toBeLessThanOrEqual(3);
    expect(
      await service.read((engine) => engine.getAccount('alice:derivatives:BTC')!.creditsPostedMinor),
    ).toBe(200n);
  });

  it('acknowledges nothing and shows readers nothing before the commit is durable', async () => {
    const gated = gatedStore(await openTestStore(kind));
    const service = await LedgerService.open(gated.store);
    opened.push(service);
    await service.submit(bookSetupCommands());
    gated.gate(true);
    let acknowledged = false;
    const pending = service.submit([deposit('bob', 'derivatives', 'BTC', 7n)]).then((r) => {
      acknowledged = true;
      return r;
    });
    while (gated.gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    let readDone = false;
    const read = service
      .read((engine) => engine.getAccount('bob:derivatives:BTC')!.creditsPostedMinor)
      .then((value) => {
        readDone = true;
        return value;
      });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(acknowledged).toBe(false);
    expect(readDone).toBe(false);
    gated.gate(false);
    gated.gates.shift()!.release();
    expect((await pending)[0]).toMatchObject({ ok: true });
    expect(await read).toBe(7n);
  });

  it('stops the writer when a commit fails, acknowledging nothing of that batch', async () => {
    const gated = gatedStore(await openTestStore(kind));
    const service = await LedgerService.open(gated.store);
    opened.push(service);
    await service.submit(bookSetupCommands());
    gated.gate(true);
    const doomed = service.submit([deposit('carol', 'derivatives', 'BTC', 5n)]);
    while (gated.gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gated.gates.shift()!.fail(new Error('disk gone'));
    await expect(doomed).rejects.toBeInstanceOf(WriterStoppedError);
    await expect(service.submit([deposit('carol', 'derivatives', 'BTC', 5n)])).rejects.toBeInstanceOf(
      WriterStoppedError,
    );
    await expect(service.read((engine) => engine.headSeq)).rejects.toBeInstanceOf(WriterStoppedError);
  });
});
