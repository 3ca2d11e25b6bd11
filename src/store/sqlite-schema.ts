// The SQLite schema as numbered migrations, and the append-only triggers guarding the journal.
// Amounts are u128, wider than SQLite's 64-bit integers, so they are stored as decimal TEXT.

import type { EventTable } from './rows.ts';

/** One schema step; `version` numbers are dense from 1 and never reused. */
export interface SqliteMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Trigger names and bodies, kept apart so the test tamper helper can drop and recreate them. */
export const SQLITE_GUARD_TRIGGERS = {
  journal_batches_no_update: `CREATE TRIGGER journal_batches_no_update BEFORE UPDATE ON journal_batches
    BEGIN SELECT RAISE(ABORT, 'journal_batches is append-only: UPDATE refused'); END`,
  journal_batches_no_delete: `CREATE TRIGGER journal_batches_no_delete BEFORE DELETE ON journal_batches
    BEGIN SELECT RAISE(ABORT, 'journal_batches is append-only: DELETE refused'); END`,
  journal_entries_no_update: `CREATE TRIGGER journal_entries_no_update BEFORE UPDATE ON journal_entries
    BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only: UPDATE refused'); END`,
  journal_entries_no_delete: `CREATE TRIGGER journal_entries_no_delete BEFORE DELETE ON journal_entries
    BEGIN SELECT RAISE(ABORT, 'journal_entries is append-only: DELETE refused'); END`,
  failed_ids_no_update: `CREATE TRIGGER failed_ids_no_update BEFORE UPDATE ON failed_ids
    BEGIN SELECT RAISE(ABORT, 'failed_ids is append-only: UPDATE refused'); END`,
  failed_ids_no_delete: `CREATE TRIGGER failed_ids_no_delete BEFORE DELETE ON failed_ids
    BEGIN SELECT RAISE(ABORT, 'failed_ids is append-only: DELETE refused'); END`,
  custody_events_no_update: `CREATE TRIGGER custody_events_no_update BEFORE UPDATE ON custody_events
    BEGIN SELECT RAISE(ABORT, 'custody_events is append-only: UPDATE refused'); END`,
  custody_events_no_delete: `CREATE TRIGGER custody_events_no_delete BEFORE DELETE ON custody_events
    BEGIN SELECT RAISE(ABORT, 'custody_events is append-only: DELETE refused'); END`,
  segregation_events_no_update: `CREATE TRIGGER segregation_events_no_update BEFORE UPDATE ON segregation_events
    BEGIN SELECT RAISE(ABORT, 'segregation_events is append-only: UPDATE refused'); END`,
  segregation_events_no_delete: `CREATE TRIGGER segregation_events_no_delete BEFORE DELETE ON segregation_events
    BEGIN SELECT RAISE(ABORT, 'segregation_events is append-only: DELETE refused'); END`,
  reserves_events_no_update: `CREATE TRIGGER reserves_events_no_update BEFORE UPDATE ON reserves_events
    BEGIN SELECT RAISE(ABORT, 'reserves_events is append-only: UPDATE refused'); END`,
  reserves_events_no_delete: `CREATE TRIGGER reserves_events_no_delete BEFORE DELETE ON reserves_events
    BEGIN SELECT RAISE(ABORT, 'reserves_events is append-only: DELETE refused'); END`,
  resolution_events_no_update: `CREATE TRIGGER resolution_events_no_update BEFORE UPDATE ON resolution_events
    BEGIN SELECT RAISE(ABORT, 'resolution_events is append-only: UPDATE refused'); END`,
  resolution_events_no_delete: `CREATE TRIGGER resolution_events_no_delete BEFORE DELETE ON resolution_events
    BEGIN SELECT RAISE(ABORT, 'resolution_events is append-only: DELETE refused'); END`,
} as const;
export type SqliteGuardTrigger = keyof typeof SQLITE_GUARD_TRIGGERS;

/** The tables migration 2 guards; the event tables get their triggers in the migration that creates them. */
const JOURNAL_GUARD_TRIGGER_PATTERN = /^(journal_batches|journal_entries|failed_ids)_/;

/** An append-only event table: its guard triggers, and a trigger refusing any seq but the one after the head. */
function eventTableSql(table: EventTable): string {
  return `
      CREATE TABLE ${table} (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        timestamp_ms INTEGER NOT NULL
      );
      ${SQLITE_GUARD_TRIGGERS[`${table}_no_update`]};
      ${SQLITE_GUARD_TRIGGERS[`${table}_no_delete`]};
      -- Seqs are dense: an event must follow the stored head, so a lost event or a second writer is refused.
      CREATE TRIGGER ${table}_dense BEFORE INSERT ON ${table}
        WHEN NEW.seq <> COALESCE((SELECT max(seq) FROM ${table}), 0) + 1
        BEGIN SELECT RAISE(ABORT, '${table}: seq must follow the head'); END;
  `;
}

/** Every migration, in order; `migrate()` applies those above the stored version. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'journal, accounts, failed ids, api keys',
    sql: `
      CREATE TABLE journal_batches (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        timestamp_ms INTEGER NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        entry_count INTEGER NOT NULL CHECK (entry_count >= 0)
      );
      CREATE TABLE journal_entries (
        seq INTEGER NOT NULL,
        idx INTEGER NOT NULL CHECK (idx >= 0),
        id TEXT NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (seq, idx)
      ) WITHOUT ROWID;
      -- No index on journal_entries.id: ids are random 128-bit values, so each batch would dirty hundreds of
      -- index pages (measured 2.4x fewer transfers/s). Nothing looks entries up by id: the engine rebuilds its
      -- id map by replaying the journal.
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        asset TEXT NOT NULL,
        segregation_class TEXT NOT NULL,
        owner_type TEXT NOT NULL CHECK (owner_type IN ('customer', 'house')),
        customer_id TEXT NULL,
        account_class TEXT NULL,
        debits_posted TEXT NOT NULL,
        credits_posted TEXT NOT NULL,
        debits_pending TEXT NOT NULL,
        credits_pending TEXT NOT NULL,
        updated_seq INTEGER NOT NULL,
        CHECK ((owner_type = 'customer') = (customer_id IS NOT NULL))
      ) WITHOUT ROWID;
      CREATE TABLE failed_ids (
        id TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('operator', 'customer', 'auditor')),
        customer_id TEXT NULL,
        created_at_ms INTEGER NOT NULL,
        CHECK ((role = 'customer') = (customer_id IS NOT NULL))
      );
    `,
  },
  {
    version: 2,
    name: 'append-only journal and failed ids; batches must extend the hash chain',
    sql: `
      ${Object.entries(SQLITE_GUARD_TRIGGERS)
        .filter(([name]) => JOURNAL_GUARD_TRIGGER_PATTERN.test(name))
        .map(([, sql]) => sql)
        .join(';\n')};
      -- A batch must follow the head: seq 1 starts the chain, any other seq needs its predecessor, and
      -- prev_hash must equal that predecessor's hash. A lost or reordered batch is refused, not stored.
      CREATE TRIGGER journal_batches_extend_chain BEFORE INSERT ON journal_batches
        WHEN NEW.seq <> 1 AND NOT EXISTS (
          SELECT 1 FROM journal_batches WHERE seq = NEW.seq - 1 AND hash = NEW.prev_hash
        )
        BEGIN SELECT RAISE(ABORT, 'journal_batches: seq must follow the head and prev_hash must equal its hash'); END;
    `,
  },
  {
    version: 3,
    name: 'custody accounts record their vault',
    sql: `
      -- Every custody account records one registered vault (issue 3); claims record none.
      ALTER TABLE accounts ADD COLUMN vault_id TEXT NULL;
    `,
  },
  {
    version: 4,
    name: 'append-only custody events',
    sql: `
      -- The withdrawal service's state is event-sourced (issue 3): every transition is one row, never changed.
      ${eventTableSql('custody_events')}
    `,
  },
  {
    version: 5,
    name: 'append-only segregation events; officer api keys',
    sql: `
      -- Daily statements and residual-interest withdrawals are event-sourced (issue 4), like custody.
      ${eventTableSql('segregation_events')}
      -- Officers approve residual-interest withdrawals (issue 4). SQLite cannot alter a CHECK constraint, so
      -- api_keys is rebuilt with the wider role list, keeping every key, the unique secret hash and the rule
      -- that only customer keys name a customer.
      CREATE TABLE api_keys_v5 (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('operator', 'customer', 'auditor', 'officer')),
        customer_id TEXT NULL,
        created_at_ms INTEGER NOT NULL,
        CHECK ((role = 'customer') = (customer_id IS NOT NULL))
      );
      INSERT INTO api_keys_v5 (id, secret_hash, role, customer_id, created_at_ms)
        SELECT id, secret_hash, role, customer_id, created_at_ms FROM api_keys;
      DROP TABLE api_keys;
      ALTER TABLE api_keys_v5 RENAME TO api_keys;
    `,
  },
  {
    version: 6,
    name: 'append-only reserves events',
    sql: `
      -- Proof-of-reserves audits (issue 5): each published attestation and the secret its salts derive from.
      ${eventTableSql('reserves_events')}
    `,
  },
  {
    version: 7,
    name: 'append-only resolution events',
    sql: `
      -- Insolvency resolution (issue 6): freeze requests and approvals, the pinned journal position, recoveries.
      ${eventTableSql('resolution_events')}
    `,
  },
];
