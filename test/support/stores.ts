// Fresh, empty, migrated stores of either kind for tests: SQLite in a file under the run's temp dir, and
// PostgreSQL in a schema of its own on the run's cluster (CREATE SCHEMA + search_path: isolated and cheap).
// The cluster URL and temp dir come from test/support/global-setup.ts through vitest's provide/inject.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { PostgresStore } from '../../src/store/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { SqliteWorkerStore } from '../../src/store/sqlite-worker-store.ts';
import type { LedgerStore } from '../../src/store/store.ts';
import type { TamperForTest } from '../../src/store/tamper-for-test.ts';

/** Every store kind; storage tests run with `describe.each(STORE_KINDS)`. */
export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/**
 * SQLite is opened the way production opens it (openStore): the connection in a worker thread. Set
 * RINGFENCE_TEST_SQLITE_IN_THREAD=1 to run the suite on the in-thread SqliteStore instead; the store
 * contract tests cover both either way.
 */
const SQLITE_IN_THREAD = process.env.RINGFENCE_TEST_SQLITE_IN_THREAD === '1';

/** A store with its test-only tamper helpers. */
export type TestStore = LedgerStore & TamperForTest;

/** Where a test store lives: a SQLite file path or a PostgreSQL URL whose search_path names its schema. */
export interface TestStoreLocation {
  readonly kind: StoreKind;
  readonly location: string;
}

const locations = new WeakMap<LedgerStore, TestStoreLocation>();
let created = 0;

/** A fresh, empty database of `kind` that no other test uses: a new SQLite path or a new PostgreSQL schema. */
export async function createTestLocation(kind: StoreKind): Promise<TestStoreLocation> {
  created++;
  const name = `${process.pid}_${created}`;
  if (kind === 'sqlite') {
    const directory = join(inject('ringfenceTestDirectory'), `sqlite-${name}`);
    mkdirSync(directory, { recursive: true });
    return { kind, location: join(directory, 'ledger.sqlite') };
  }
  const baseUrl = inject('ringfencePostgresUrl');
  const schema = `${inject('ringfenceTestSchemaPrefix')}${name}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { kind, location: url.toString() };
}

/** Opens and migrates the store at `where` (a second handle on a database another store may hold). */
export async function openTestStoreAt(
  where: TestStoreLocation,
  options: { sqliteInThread?: boolean } = {},
): Promise<TestStore> {
  const inThread = options.sqliteInThread ?? SQLITE_IN_THREAD;
  const store =
    where.kind === 'postgres'
      ? await PostgresStore.open(where.location)
      : inThread
        ? SqliteStore.open(where.location)
        : SqliteWorkerStore.open(where.location);
  await store.migrate();
  locations.set(store, where);
  return store;
}

/** A fresh, empty, migrated store of `kind`; close it when the test ends. */
export async function openTestStore(
  kind: StoreKind,
  options: { sqliteInThread?: boolean } = {},
): Promise<TestStore> {
  return openTestStoreAt(await createTestLocation(kind), options);
}

/** Where a store opened by this module lives, to reopen it (restart tests) or reach it with raw SQL. */
export function locationOfTestStore(store: LedgerStore): TestStoreLocation {
  const where = locations.get(store);
  if (where === undefined) throw new Error('not a store opened by test/support/stores.ts');
  return where;
}

/** Runs raw SQL on the store's database over a separate connection, bypassing the store (trigger tests). */
export async function executeRawSql(store: LedgerStore, sql: string): Promise<void> {
  await executeRawSqlAt(locationOfTestStore(store), sql);
}

/** Runs raw SQL on the database at `where`, whether or not a store holds it (e.g. to build an old schema). */
export async function executeRawSqlAt(where: TestStoreLocation, sql: string): Promise<void> {
  if (where.kind === 'sqlite') {
    const db = new Database(where.location);
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: where.location });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
