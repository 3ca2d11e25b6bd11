// Proves the LedgerStore contract on SQLite and PostgreSQL alike, each test on a fresh database: exact round
// trips (u128 amounts beyond 2^64 included), atomic commits, the hash-chain and append-only guards refusing
// raw SQL, dense append-only custody and segregation events, API keys of every role, the test tamper helpers,
// paging, reopening, upgrading a version-4 database, and openStore choosing the store from its argument.

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  createTestLocation,
  executeRawSql,
  executeRawSqlAt,
  locationOfTestStore,
  openTestStore,
  openTestStoreAt,
  STORE_KINDS,
  type TestStore,
  type TestStoreLocation,
} from '../../test/support/stores.ts';
import type { SegregationClass } from '../core/ledger/classes.ts';
import { encodeEntry } from '../core/ledger/codec.ts';
import type {
  Account,
  AccountBalance,
  CommittedBatch,
  FailedId,
  Owner,
  StoredEntry,
} from '../core/ledger/types.ts';
import { StoreCommitError, StoreError, StoreOpenError, StoreWriteError } from './errors.ts';
import { openStore } from './open-store.ts';
import { POSTGRES_MIGRATIONS } from './postgres-schema.ts';
import { SQLITE_MIGRATIONS } from './sqlite-schema.ts';
import type { ApiKeyRecord, ApiKeyRole, EventRecord, LedgerStore } from './store.ts';

const GENESIS_HASH = '0'.repeat(64);
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const BIG_MINOR = (1n << 100n) + 7n;

const ALICE = 'alice:derivatives:USDC';
const SEGREGATED = 'seg:derivatives:USDC';
const EQUITY = 'house:equity:USDC';

/** Builds batches that extend a dummy hash chain, as the engine would hand them to the store. */
class Chain {
  seq = 0;
  hash = GENESIS_HASH;

  next(entries: readonly StoredEntry[], balances: readonly AccountBalance[] = []): CommittedBatch {
    const seq = this.seq + 1;
    const batch: CommittedBatch = {
      seq,
      timestampMs: 1_700_000_000_000 + seq,
      prevHash: this.hash,
      hash: `${seq.toString(16)}`.padStart(64, 'a'),
      entries,
      balances,
    };
    this.seq = seq;
    this.hash = batch.hash;
    return batch;
  }
}

// Stores take the journal as given (the engine checks vaults), so a custody account's vault is just a name.
function openAccount(
  id: string,
  owner: Owner,
  segregationClass: SegregationClass,
  accountClass: string | null,
): StoredEntry {
  const vaultId = segregationClass === 'segregated_custody' ? 'vault:derivatives' : null;
  return {
    id: null,
    type: 'open_account',
    body: encodeEntry({
      type: 'open_account',
      id,
      owner,
      asset: 'USDC',
      segregationClass,
      accountClass,
      vaultId,
    }),
  };
}

function transfer(id: string, debit: string, credit: string, amountMinor: bigint): StoredEntry {
  return {
    id,
    type: 'transfer',
    body: encodeEntry({
      type: 'transfer',
      id,
      kind: 'deposit',
      reference: `tx-${id.slice(0, 6)}`,
      instructedBy: null,
      legs: [{ debit, credit, asset: 'USDC', amountMinor }],
      holdExpiresAtMs: null,
    }),
  };
}

function balance(id: string, posted: [bigint, bigint], pending: [bigint, bigint] = [0n, 0n]): AccountBalance {
  return {
    id,
    debitsPostedMinor: posted[0],
    creditsPostedMinor: posted[1],
    debitsPendingMinor: pending[0],
    creditsPendingMinor: pending[1],
  };
}

function transferId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

/** The registry batch: an asset, a customer and three accounts, one of them funded in the same batch. */
function setupBatch(chain: Chain): CommittedBatch {
  return chain.next(
    [
      {
        id: null,
        type: 'register_asset',
        body: encodeEntry({ type: 'register_asset', code: 'USDC', scale: 6 }),
      },
      {
        id: null,
        type: 'create_customer',
        body: encodeEntry({ type: 'create_customer', id: 'alice', name: 'Alice' }),
      },
      openAccount(ALICE, { type: 'customer', customerId: 'alice' }, 'customer_collateral', 'derivatives'),
      openAccount(SEGREGATED, { type: 'house' }, 'segregated_custody', 'derivatives'),
      openAccount(EQUITY, { type: 'house' }, 'house_equity', null),
    ],
    [balance(EQUITY, [0n, 5n])],
  );
}

function withoutBalances(batch: CommittedBatch) {
  const { balances: _balances, ...stored } = batch;
  return stored;
}

/** The append-only event tables, each with the store methods that append and read it. */
const EVENT_TABLES = [
  {
    table: 'custody_events',
    append: (store: LedgerStore, events: readonly EventRecord[]) => store.appendCustodyEvents(events),
    read: (store: LedgerStore) => store.readCustodyEvents(),
  },
  {
    table: 'segregation_events',
    append: (store: LedgerStore, events: readonly EventRecord[]) => store.appendSegregationEvents(events),
    read: (store: LedgerStore) => store.readSegregationEvents(),
  },
  {
    table: 'reserves_events',
    append: (store: LedgerStore, events: readonly EventRecord[]) => store.appendReservesEvents(events),
    read: (store: LedgerStore) => store.readReservesEvents(),
  },
  {
    table: 'resolution_events',
    append: (store: LedgerStore, events: readonly EventRecord[]) => store.appendResolutionEvents(events),
    read: (store: LedgerStore) => store.readResolutionEvents(),
  },
] as const;

const OPERATOR_KEY: ApiKeyRecord = {
  id: 'rf_op_1',
  secretHash: 'a'.repeat(64),
  role: 'operator',
  customerId: null,
  createdAtMs: 1_700_000_000_123,
};
const CUSTOMER_KEY: ApiKeyRecord = {
  id: 'rf_cu_1',
  secretHash: 'b'.repeat(64),
  role: 'customer',
  customerId: 'alice',
  createdAtMs: 1_700_000_000_456,
};

/**
 * Stores an officer key and checks the api_keys constraints hold: a unique secret hash, a customer id for
 * customer keys only, and the role list. `taken` is a key already stored.
 */
async function expectOfficerKeyAndKeyRules(store: LedgerStore, taken: ApiKeyRecord): Promise<void> {
  const officer: ApiKeyRecord = {
    id: 'rf_of_1',
    secretHash: 'd'.repeat(64),
    role: 'officer',
    customerId: null,
    createdAtMs: 1_700_000_000_789,
  };
  await store.insertApiKey(officer);
  expect(await store.findApiKeyBySecretHash(officer.secretHash)).toEqual(officer);
  for (const refused of [
    { ...taken, id: 'rf_dup_1' },
    { ...officer, id: 'rf_of_2', secretHash: 'e'.repeat(64), customerId: 'alice' },
    { ...officer, id: 'rf_cu_2', secretHash: 'e'.repeat(64), role: 'customer' as const },
    { ...officer, id: 'rf_ro_1', secretHash: 'e'.repeat(64), role: 'root' as ApiKeyRole },
  ]) {
    await expect(store.insertApiKey(refused)).rejects.toBeInstanceOf(StoreWriteError);
  }
  expect(await store.findApiKeyBySecretHash('e'.repeat(64))).toBeNull();
}

// SQLite runs twice: in a worker thread (what openStore gives the service) and in-thread (SqliteStore itself).
const VARIANTS = [...STORE_KINDS.map((kind) => [kind, false] as const), ['sqlite', true] as const];

describe.each(VARIANTS)('%s store (in-thread: %s)', (kind, sqliteInThread) => {
  let store: TestStore;
  let chain: Chain;

  beforeEach(async () => {
    store = await openTestStore(kind, { sqliteInThread });
    chain = new Chain();
  });
  afterEach(async () => {
    await store.close();
  });

  it('starts empty', async () => {
    expect(store.kind).toBe(kind);
    expect(await store.readHeadSeq()).toBe(0);
    expect(await store.readBatches(1, 100, 100)).toEqual([]);
    expect(await store.readAccounts()).toEqual([]);
    expect(await store.readFailedIds()).toEqual([]);
  });

  it('round-trips batches and accounts exactly, amounts beyond 2^64 included', async () => {
    const setup = setupBatch(chain);
    await store.commit(setup, []);
    const deposit = chain.next(
      [
        transfer(transferId(1), SEGREGATED, ALICE, BIG_MINOR),
        transfer(transferId(2), SEGREGATED, ALICE, U64_MAX),
      ],
      [
        balance(SEGREGATED, [BIG_MINOR + U64_MAX, 0n]),
        balance(ALICE, [0n, BIG_MINOR + U64_MAX], [U128_MAX, U64_MAX + 1n]),
      ],
    );
    await store.commit(deposit, []);

    expect(await store.readHeadSeq()).toBe(2);
    expect(await store.readBatches(1, 2, 10)).toEqual([withoutBalances(setup), withoutBalances(deposit)]);
    const expected: Account[] = [
      {
        owner: { type: 'customer', customerId: 'alice' },
        asset: 'USDC',
        segregationClass: 'customer_collateral',
        accountClass: 'derivatives',
        vaultId: null,
        ...balance(ALICE, [0n, BIG_MINOR + U64_MAX], [U128_MAX, U64_MAX + 1n]),
      },
      {
        owner: { type: 'house' },
        asset: 'USDC',
        segregationClass: 'house_equity',
        accountClass: null,
        vaultId: null,
        ...balance(EQUITY, [0n, 5n]),
      },
      {
        owner: { type: 'house' },
        asset: 'USDC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
        vaultId: 'vault:derivatives',
        ...balance(SEGREGATED, [BIG_MINOR + U64_MAX, 0n]),
      },
    ];
    expect(await store.readAccounts()).toEqual(expected);
  });

  it('updates only the accounts a batch touches', async () => {
    await store.commit(setupBatch(chain), []);
    await store.commit(
      chain.next(
        [transfer(transferId(1), SEGREGATED, ALICE, 10n)],
        [balance(SEGREGATED, [10n, 0n]), balance(ALICE, [0n, 10n])],
      ),
      [],
    );
    await store.commit(
      chain.next([transfer(transferId(2), SEGREGATED, ALICE, 3n)], [balance(ALICE, [0n, 13n])]),
      [],
    );
    const byId = new Map((await store.readAccounts()).map((account) => [account.id, account]));
    expect(byId.get(ALICE)?.creditsPostedMinor).toBe(13n);
    expect(byId.get(SEGREGATED)?.debitsPostedMinor).toBe(10n);
    expect(byId.get(EQUITY)?.creditsPostedMinor).toBe(5n);
  });

  it('records failed ids, alone or with a batch, and keeps them', async () => {
    const first: FailedId[] = [
      {
        id: transferId(9),
        fingerprint: 'fp-9',
        code: 'segregation_customer_claim_negative',
        message: 'not enough',
      },
      { id: transferId(8), fingerprint: 'fp-8', code: 'account_not_found', message: 'no "such" account' },
    ];
    await store.commit(null, first);
    expect(await store.readHeadSeq()).toBe(0);
    const later: FailedId = {
      id: transferId(7),
      fingerprint: 'fp-7',
      code: 'transfer_leg_not_allowed_for_kind',
      message: 'x',
    };
    await store.commit(setupBatch(chain), [later]);
    expect(await store.readHeadSeq()).toBe(1);
    expect(await store.readFailedIds()).toEqual([later, first[1], first[0]]);
  });

  it('commits nothing of a batch when any part fails', async () => {
    await store.commit(setupBatch(chain), [{ id: transferId(1), fingerprint: 'f', code: 'c', message: 'm' }]);
    const before = await store.readAccounts();

    // A failed id recorded twice: the batch that carries it must not be written either.
    const duplicateFailure = chain.next(
      [transfer(transferId(2), SEGREGATED, ALICE, 1n)],
      [balance(ALICE, [0n, 1n])],
    );
    await expect(
      store.commit(duplicateFailure, [{ id: transferId(1), fingerprint: 'f', code: 'c', message: 'm' }]),
    ).rejects.toBeInstanceOf(StoreCommitError);

    // A balance for an account no batch opened is an engine bug: an assertion, and nothing is written.
    const stranger = {
      ...duplicateFailure,
      balances: [balance(ALICE, [0n, 1n]), balance('nobody', [1n, 0n])],
    };
    await expect(store.commit(stranger, [])).rejects.toThrow(/never opened/);

    expect(await store.readHeadSeq()).toBe(1);
    expect(await store.readBatches(2, 2, 1)).toEqual([]);
    expect(await store.readAccounts()).toEqual(before);
    expect(await store.readFailedIds()).toHaveLength(1);
    // The same batch, corrected, still commits: the failures left nothing behind.
    await store.commit(duplicateFailure, []);
    expect(await store.readHeadSeq()).toBe(2);
  });

  it('refuses a batch that does not extend the hash chain', async () => {
    await store.commit(setupBatch(chain), []);
    const good = chain.next([transfer(transferId(1), SEGREGATED, ALICE, 1n)]);
    await expect(store.commit({ ...good, prevHash: 'f'.repeat(64) }, [])).rejects.toBeInstanceOf(
      StoreCommitError,
    );
    await expect(store.commit({ ...good, seq: 3 }, [])).rejects.toBeInstanceOf(StoreCommitError);
    await expect(store.commit({ ...good, seq: 1 }, [])).rejects.toBeInstanceOf(StoreCommitError);
    expect(await store.readHeadSeq()).toBe(1);
    await store.commit(good, []);
    expect(await store.readHeadSeq()).toBe(2);
  });

  it('stores API keys of every role and finds them by secret hash', async () => {
    await store.insertApiKey(OPERATOR_KEY);
    await store.insertApiKey(CUSTOMER_KEY);
    expect(await store.findApiKeyBySecretHash(OPERATOR_KEY.secretHash)).toEqual(OPERATOR_KEY);
    expect(await store.findApiKeyBySecretHash(CUSTOMER_KEY.secretHash)).toEqual(CUSTOMER_KEY);
    expect(await store.findApiKeyBySecretHash('c'.repeat(64))).toBeNull();
    await expectOfficerKeyAndKeyRules(store, CUSTOMER_KEY);
  });

  it('pages through batches in order', async () => {
    await store.commit(setupBatch(chain), []);
    for (let n = 1; n <= 4; n++) {
      await store.commit(chain.next([transfer(transferId(n), SEGREGATED, ALICE, BigInt(n))]), []);
    }
    // A batch with no entries is stored too (the engine does not send one, but the store must not care).
    await store.commit(chain.next([]), []);
    const seqs = async (from: number, to: number, limit: number) =>
      (await store.readBatches(from, to, limit)).map((batch) => [batch.seq, batch.entries.length]);
    expect(await seqs(1, 6, 2)).toEqual([
      [1, 5],
      [2, 1],
    ]);
    expect(await seqs(3, 6, 2)).toEqual([
      [3, 1],
      [4, 1],
    ]);
    expect(await seqs(5, 6, 100)).toEqual([
      [5, 1],
      [6, 0],
    ]);
    expect(await seqs(2, 3, 100)).toEqual([
      [2, 1],
      [3, 1],
    ]);
    expect(await seqs(7, 100, 100)).toEqual([]);
    expect(await store.readHeadSeq()).toBe(6);
  });

  it.each([
    'UPDATE journal_batches SET hash = hash',
    'DELETE FROM journal_batches',
    'UPDATE journal_entries SET body = body',
    'DELETE FROM journal_entries',
    'UPDATE failed_ids SET code = code',
    'DELETE FROM failed_ids',
  ])('refuses raw SQL that rewrites history: %s', async (sql) => {
    await store.commit(setupBatch(chain), [{ id: transferId(1), fingerprint: 'f', code: 'c', message: 'm' }]);
    await expect(executeRawSql(store, sql)).rejects.toThrow(/append-only/);
    expect(await store.readBatches(1, 1, 1)).toHaveLength(1);
    expect((await store.readBatches(1, 1, 1))[0]?.entries).toHaveLength(5);
    expect(await store.readFailedIds()).toHaveLength(1);
  });

  it('lets tests tamper past the guards, which stay in place afterwards', async () => {
    await store.commit(setupBatch(chain), []);
    await store.commit(
      chain.next([transfer(transferId(1), SEGREGATED, ALICE, 10n)], [balance(ALICE, [0n, 10n])]),
      [],
    );

    await store.dangerouslyTamperEntryForTest(2, 0, '{"tampered":true}');
    await store.dangerouslyTamperBatchHashForTest(1, 'e'.repeat(64));
    await store.dangerouslyTamperAccountForTest(balance(ALICE, [0n, 999n]));

    const [first, second] = await store.readBatches(1, 2, 2);
    expect(first?.hash).toBe('e'.repeat(64));
    expect(second?.entries[0]?.body).toBe('{"tampered":true}');
    expect((await store.readAccounts()).find((account) => account.id === ALICE)?.creditsPostedMinor).toBe(
      999n,
    );
    await expect(executeRawSql(store, 'UPDATE journal_entries SET body = body')).rejects.toThrow(
      /append-only/,
    );
    await expect(executeRawSql(store, 'UPDATE journal_batches SET hash = hash')).rejects.toThrow(
      /append-only/,
    );
    await expect(store.dangerouslyTamperEntryForTest(2, 5, 'x')).rejects.toThrow(/does not exist/);
  });

  describe.each(EVENT_TABLES)('$table', ({ table, append, read }) => {
    it('appends events densely from seq 1 and reads them back in order', async () => {
      expect(await read(store)).toEqual([]);
      const first: EventRecord[] = [
        { seq: 1, kind: 'signers_registered', body: '{"a":1}', timestampMs: 1_700_000_000_001 },
        { seq: 2, kind: 'policy_installed', body: '{"b":"\\u001f é"}', timestampMs: 1_700_000_000_002 },
      ];
      await append(store, first);
      await append(store, []);
      const third: EventRecord = { seq: 3, kind: 'withdrawal_requested', body: '{}', timestampMs: 5 };
      await append(store, [third]);
      expect(await read(store)).toEqual([...first, third]);
    });

    it('refuses events that skip or repeat a seq, writing none of the group', async () => {
      await append(store, [{ seq: 1, kind: 'k', body: '{}', timestampMs: 1 }]);
      for (const events of [
        [{ seq: 3, kind: 'k', body: '{}', timestampMs: 1 }],
        [{ seq: 1, kind: 'k', body: '{}', timestampMs: 1 }],
        [
          { seq: 2, kind: 'k', body: '{}', timestampMs: 1 },
          { seq: 4, kind: 'k', body: '{}', timestampMs: 1 },
        ],
      ]) {
        await expect(append(store, events)).rejects.toBeInstanceOf(StoreCommitError);
      }
      expect((await read(store)).map((event) => event.seq)).toEqual([1]);
    });

    it.each(['UPDATE', 'DELETE'])('refuses raw SQL that rewrites events: %s', async (verb) => {
      await append(store, [{ seq: 1, kind: 'k', body: '{}', timestampMs: 1 }]);
      const sql = verb === 'UPDATE' ? `UPDATE ${table} SET body = body` : `DELETE FROM ${table}`;
      await expect(executeRawSql(store, sql)).rejects.toThrow(/append-only/);
      expect(await read(store)).toHaveLength(1);
    });
  });

  it('numbers custody and segregation events independently', async () => {
    await store.appendCustodyEvents([{ seq: 1, kind: 'c', body: '{}', timestampMs: 1 }]);
    await store.appendSegregationEvents([{ seq: 1, kind: 's', body: '{}', timestampMs: 2 }]);
    await store.appendCustodyEvents([{ seq: 2, kind: 'c', body: '{}', timestampMs: 3 }]);
    expect((await store.readCustodyEvents()).map((event) => event.kind)).toEqual(['c', 'c']);
    expect(await store.readSegregationEvents()).toEqual([{ seq: 1, kind: 's', body: '{}', timestampMs: 2 }]);
  });

  it('keeps everything across a reopen, and migrating again changes nothing', async () => {
    const setup = setupBatch(chain);
    await store.commit(setup, [{ id: transferId(1), fingerprint: 'f', code: 'c', message: 'm' }]);
    await store.appendCustodyEvents([{ seq: 1, kind: 'k', body: '{}', timestampMs: 7 }]);
    await store.appendSegregationEvents([{ seq: 1, kind: 's', body: '{}', timestampMs: 8 }]);
    const accounts = await store.readAccounts();
    const where = locationOfTestStore(store);
    await store.close();
    store = await openTestStoreAt(where, { sqliteInThread });
    await store.migrate();
    expect(await store.readHeadSeq()).toBe(1);
    expect(await store.readBatches(1, 1, 1)).toEqual([withoutBalances(setup)]);
    expect(await store.readAccounts()).toEqual(accounts);
    expect(await store.readFailedIds()).toHaveLength(1);
    expect(await store.readCustodyEvents()).toEqual([{ seq: 1, kind: 'k', body: '{}', timestampMs: 7 }]);
    expect(await store.readSegregationEvents()).toEqual([{ seq: 1, kind: 's', body: '{}', timestampMs: 8 }]);
    await store.commit(chain.next([transfer(transferId(2), SEGREGATED, ALICE, 1n)]), []);
    expect(await store.readHeadSeq()).toBe(2);
  });
});

/** Builds the schema as a build that knew migrations up to `version` left it, on a fresh database. */
async function createSchemaAt(
  kind: (typeof STORE_KINDS)[number],
  version: number,
): Promise<TestStoreLocation> {
  const where = await createTestLocation(kind);
  const migrations = kind === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
  const steps = migrations
    .filter((migration) => migration.version <= version)
    .map(
      (migration) =>
        `${migration.sql};\nINSERT INTO migrations (version, name, applied_at_ms) VALUES (${migration.version}, '${migration.name}', 0);`,
    );
  await executeRawSqlAt(
    where,
    [
      'CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL);',
      ...steps,
    ].join('\n'),
  );
  return where;
}

describe.each(STORE_KINDS)('upgrading a version-4 %s database', (kind) => {
  it('adds segregation events, keeps keys and custody events, and admits officer keys', async () => {
    const where = await createSchemaAt(kind, 4);
    const keyRow = (key: ApiKeyRecord) =>
      `('${key.id}', '${key.secretHash}', '${key.role}', ${key.customerId === null ? 'NULL' : `'${key.customerId}'`}, ${key.createdAtMs})`;
    await executeRawSqlAt(
      where,
      `INSERT INTO api_keys (id, secret_hash, role, customer_id, created_at_ms)
         VALUES ${keyRow(OPERATOR_KEY)}, ${keyRow(CUSTOMER_KEY)};
       INSERT INTO custody_events (seq, kind, body, timestamp_ms) VALUES (1, 'k', '{}', 7);`,
    );
    // Version 4 refuses officer keys: the role list is what version 5 widens.
    await expect(
      executeRawSqlAt(
        where,
        `INSERT INTO api_keys (id, secret_hash, role, customer_id, created_at_ms)
           VALUES ('rf_of_0', '${'f'.repeat(64)}', 'officer', NULL, 1)`,
      ),
    ).rejects.toThrow(/CHECK|check constraint/);

    const store = await openTestStoreAt(where);
    try {
      expect(await store.findApiKeyBySecretHash(OPERATOR_KEY.secretHash)).toEqual(OPERATOR_KEY);
      expect(await store.findApiKeyBySecretHash(CUSTOMER_KEY.secretHash)).toEqual(CUSTOMER_KEY);
      expect(await store.readCustodyEvents()).toEqual([{ seq: 1, kind: 'k', body: '{}', timestampMs: 7 }]);
      expect(await store.readSegregationEvents()).toEqual([]);
      await store.appendSegregationEvents([{ seq: 1, kind: 's', body: '{}', timestampMs: 8 }]);
      expect(await store.readSegregationEvents()).toHaveLength(1);
      await expect(executeRawSql(store, 'DELETE FROM segregation_events')).rejects.toThrow(/append-only/);
      await expectOfficerKeyAndKeyRules(store, OPERATOR_KEY);
    } finally {
      await store.close();
    }
  });
});

describe('openStore', () => {
  it('opens SQLite for a path, creating its directory, and PostgreSQL for a URL', async () => {
    const path = join(
      inject('ringfenceTestDirectory'),
      `open-store-${process.pid}`,
      'nested',
      'ledger.sqlite',
    );
    const sqlite = await openStore(path);
    expect(sqlite.kind).toBe('sqlite');
    expect(await sqlite.readHeadSeq()).toBe(0);
    await sqlite.close();

    const { location } = await createTestLocation('postgres');
    const postgres = await openStore(location.replace(/^postgresql:/, 'postgres:'));
    expect(postgres.kind).toBe('postgres');
    expect(await postgres.readHeadSeq()).toBe(0);
    await postgres.close();
  });

  it('reports an unreachable PostgreSQL server as a StoreOpenError', async () => {
    const error = await openStore('postgresql://postgres@127.0.0.1:1/none').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).cause).toBeDefined();
  });
});
