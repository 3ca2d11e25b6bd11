// Chooses and opens the store a database string names, and brings its schema up to date.
// A postgres:// or postgresql:// URL selects PostgreSQL; anything else is a SQLite file path (or ':memory:').

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreOpenError } from './errors.ts';
import { PostgresStore } from './postgres-store.ts';
import { SqliteWorkerStore } from './sqlite-worker-store.ts';
import type { LedgerStore } from './store.ts';

const POSTGRES_URL_PATTERN = /^postgres(ql)?:\/\//i;

/** True when `db` is a PostgreSQL URL rather than a SQLite path. */
export function isPostgresUrl(db: string): boolean {
  return POSTGRES_URL_PATTERN.test(db);
}

/** Opens and migrates the store named by `db`; a SQLite file's parent directory is created when missing. */
export async function openStore(db: string): Promise<LedgerStore> {
  if (isPostgresUrl(db)) {
    const store = await PostgresStore.open(db);
    return migrateOrClose(store);
  }
  if (db !== ':memory:') {
    try {
      mkdirSync(dirname(db), { recursive: true });
    } catch (error) {
      throw new StoreOpenError('Could not create the directory of the SQLite database.', {
        cause: error,
        details: dirname(db),
      });
    }
  }
  return migrateOrClose(SqliteWorkerStore.open(db));
}

async function migrateOrClose(store: LedgerStore): Promise<LedgerStore> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  }
  return store;
}
