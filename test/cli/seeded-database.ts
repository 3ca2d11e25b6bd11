// A database of either kind holding the demo book, written in-process and closed, so the CLI under test
// (a child process) is the only one holding it; `reopen` gives a test store back for tampering.

import { type DemoBookSummary, seedDemoBook } from '../../src/service/demo-book.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import {
  createTestLocation,
  openTestStoreAt,
  type StoreKind,
  type TestStore,
  type TestStoreLocation,
} from '../support/stores.ts';

/** A seeded database: where it lives (the --db argument) and what the seeding wrote. */
export interface SeededDatabase {
  readonly where: TestStoreLocation;
  readonly db: string;
  readonly summary: DemoBookSummary;
  /** Opens a test store on the same database (with its tamper helpers); close it before running the CLI. */
  reopen(): Promise<TestStore>;
}

/** Seeds the demo book into a fresh database of `kind` and closes it. */
export async function seedDatabase(kind: StoreKind, seed = 2026): Promise<SeededDatabase> {
  const where = await createTestLocation(kind);
  const service = await LedgerService.open(await openTestStoreAt(where));
  try {
    const summary = await seedDemoBook(service, { seed });
    return { where, db: where.location, summary, reopen: () => openTestStoreAt(where) };
  } finally {
    await service.close();
  }
}
