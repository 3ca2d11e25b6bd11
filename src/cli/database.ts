// Opening the database a command names with --db: a postgres:// URL or a SQLite file path. Direct reads
// open the ledger through LedgerService (a full replay) and only read: a server may be writing it.

import { LedgerService, type LedgerServiceOptions } from '../service/ledger-service.ts';
import { isPostgresUrl, openStore } from '../store/open-store.ts';

/** `db` fit for printing: a PostgreSQL URL without its password. */
export function describeDatabase(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const url = new URL(db);
    if (url.password.length > 0) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Opens the ledger on `db` (a full replay); the store is closed again if the ledger is refused. */
export async function openLedger(db: string, options: LedgerServiceOptions = {}): Promise<LedgerService> {
  const store = await openStore(db);
  try {
    return await LedgerService.open(store, options);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Opens the ledger for reading only (no hold sweeper, nothing submitted); closes it after `read`. */
export async function withReadOnlyLedger<T>(
  db: string,
  read: (service: LedgerService) => Promise<T>,
): Promise<T> {
  const service = await openLedger(db);
  try {
    return await read(service);
  } finally {
    await service.close();
  }
}
