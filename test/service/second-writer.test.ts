// Proves that a second writer on the same database cannot fork the books: its first commit does not extend
// the stored head's hash chain, the store refuses it, the second writer stops, and the journal verifies.

import { afterEach, describe, expect, it } from 'vitest';
import { WriterStoppedError } from '../../src/service/errors.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import { bookSetupCommands, deposit } from '../support/book.ts';
import { createTestLocation, openTestStoreAt, STORE_KINDS } from '../support/stores.ts';

const opened: LedgerService[] = [];
afterEach(async () => {
  for (const service of opened.splice(0)) await service.close().catch(() => undefined);
});

describe.each(STORE_KINDS)('a second writer on %s', (kind) => {
  it('is refused at its first commit and the books stay whole', async () => {
    const where = await createTestLocation(kind);
    const first = await LedgerService.open(await openTestStoreAt(where));
    opened.push(first);
    await first.submit(bookSetupCommands());
    const second = await LedgerService.open(await openTestStoreAt(where));
    opened.push(second);
    expect((await first.submit([deposit('alice', 'derivatives', 'BTC', 10n)]))[0]).toMatchObject({
      ok: true,
    });
    await expect(second.submit([deposit('bob', 'derivatives', 'BTC', 20n)])).rejects.toBeInstanceOf(
      WriterStoppedError,
    );
    expect((await first.submit([deposit('carol', 'derivatives', 'BTC', 30n)]))[0]).toMatchObject({
      ok: true,
    });
    const report = await first.verify();
    expect(report.ok).toBe(true);
    expect(report.headSeq).toBe(3);
  });
});
