// The PostgreSQL schema as numbered migrations, and the append-only triggers guarding the journal.
// Amounts are NUMERIC(39,0), wide enough for u128 and read back as exact decimal strings; ids compare
// bytewise (COLLATE "C") so ORDER BY gives the same order as SQLite whatever the database locale.

import type { EventTable } from './rows.ts';

/** One schema step; `version` numbers are dense from 1 and never reused. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The row-level guard trigger of each append-only table, by table; the test tamper helper disables them. */
export const POSTGRES_GUARD_TRIGGERS = {
  journal_batches: 'journal_batches_append_only',
  journal_entries: 'journal_entries_append_only',
  failed_ids: 'failed_ids_append_only',
  custody_events: 'custody_events_append_only',
  segregation_events: 'segregation_events_append_only',
  reserves_events: 'reserves_events_append_only',
  resolution_events: 'resolution_events_append_only',
} as const;
export type PostgresGuardedTable = keyof typeof POSTGRES_GUARD_TRIGGERS;

function guardSql(table: PostgresGuardedTable): string {
  return `
    CREATE TRIGGER ${POSTGRES_GUARD_TRIGGERS[table]} BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION ringfence_refuse_change();
    CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ringfence_refuse_change();`;
}

/** An append-only event table: its guard triggers, and a trigger refusing any seq but the one after the head. */
function eventTableSql(table: EventTable): string {
  return `
      CREATE TABLE ${table} (
        seq BIGINT PRIMARY KEY CHECK (seq >= 1),
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        timestamp_ms BIGINT NOT NULL
      );
      ${guardSql(table)}
      -- Seqs are dense: an event must follow the stored head, so a lost event or a second writer is refused.
      CREATE FUNCTION ringfence_${table}_dense() RETURNS trigger LANGUAGE plpgsql
      SET search_path FROM CURRENT AS $$
      BEGIN
        IF NEW.seq <> COALESCE((SELECT max(seq) FROM ${table}), 0) + 1 THEN
          RAISE EXCEPTION '${table}: seq % must follow the head', NEW.seq
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER ${table}_dense BEFORE INSERT ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ringfence_${table}_dense();
  `;
}

/** Every migration, in order; `migrate()` applies those above the stored version. */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'journal, accounts, failed ids, api keys',
    sql: `
      CREATE TABLE journal_batches (
        seq BIGINT PRIMARY KEY CHECK (seq >= 1),
        timestamp_ms BIGINT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        entry_count INTEGER NOT NULL CHECK (entry_count >= 0)
      );
      CREATE TABLE journal_entries (
        seq BIGINT NOT NULL,
        idx INTEGER NOT NULL CHECK (idx >= 0),
        id TEXT COLLATE "C" NULL,
        type TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (seq, idx)
      );
      -- No index on journal_entries.id: ids are random 128-bit values, so every insert would land on a random
      -- index page (measured ~25% fewer transfers/s). Nothing looks entries up by id: the engine rebuilds its
      -- id map by replaying the journal.
      CREATE TABLE accounts (
        id TEXT COLLATE "C" PRIMARY KEY,
        asset TEXT NOT NULL,
        segregation_class TEXT NOT NULL,
        owner_type TEXT NOT NULL CHECK (owner_type IN ('customer', 'house')),
        customer_id TEXT NULL,
        account_class TEXT NULL,
        debits_posted NUMERIC(39, 0) NOT NULL CHECK (debits_posted >= 0),
        credits_posted NUMERIC(39, 0) NOT NULL CHECK (credits_posted >= 0),
        debits_pending NUMERIC(39, 0) NOT NULL CHECK (debits_pending >= 0),
        credits_pending NUMERIC(39, 0) NOT NULL CHECK (credits_pending >= 0),
        updated_seq BIGINT NOT NULL,
        CHECK ((owner_type = 'customer') = (customer_id IS NOT NULL))
      );
      CREATE TABLE failed_ids (
        id TEXT COLLATE "C" PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        code TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        secret_hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('operator', 'customer', 'auditor')),
        customer_id TEXT NULL,
        created_at_ms BIGINT NOT NULL,
        CHECK ((role = 'customer') = (customer_id IS NOT NULL))
      );
    `,
  },
  {
    version: 2,
    name: 'append-only journal and failed ids; batches must extend the hash chain',
    sql: `
      CREATE FUNCTION ringfence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
      END $$;
      ${guardSql('journal_batches')}
      ${guardSql('journal_entries')}
      ${guardSql('failed_ids')}
      -- A batch must follow the head: seq 1 starts the chain, any other seq needs its predecessor, and
      -- prev_hash must equal that predecessor's hash. A lost or reordered batch is refused, not stored.
      CREATE FUNCTION ringfence_extend_chain() RETURNS trigger LANGUAGE plpgsql
      SET search_path FROM CURRENT AS $$
      BEGIN
        IF NEW.seq <> 1 AND NOT EXISTS (
          SELECT 1 FROM journal_batches WHERE seq = NEW.seq - 1 AND hash = NEW.prev_hash
        ) THEN
          RAISE EXCEPTION 'journal_batches: seq % must follow the head and prev_hash must equal its hash', NEW.seq
            USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER journal_batches_extend_chain BEFORE INSERT ON journal_batches
        FOR EACH ROW EXECUTE FUNCTION ringfence_extend_chain();
    `,
  },
  {
    version: 3,
    name: 'custody accounts record their vault',
    sql: `
      -- Every custody account records one registered vault (issue 3); claims record none.
      ALTER TABLE accounts ADD COLUMN vault_id text NULL;
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
      -- Officers approve residual-interest withdrawals (issue 4). Version 1 declared the role list as a column
      -- CHECK, which PostgreSQL named api_keys_role_check; it is replaced under the same name.
      ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
      ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
        CHECK (role IN ('operator', 'customer', 'auditor', 'officer'));
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
