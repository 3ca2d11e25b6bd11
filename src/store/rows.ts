// The row shapes both stores read back, and their conversion into domain values.
// Amount columns arrive as decimal strings (SQLite TEXT, PostgreSQL NUMERIC) and become exact bigints here.

import { assert } from '../core/assert.ts';
import type { SegregationClass } from '../core/ledger/classes.ts';
import type { Account, StoredEntry } from '../core/ledger/types.ts';
import type { ApiKeyRecord, ApiKeyRole, EventRecord, StoredBatch } from './store.ts';

/** A journal_batches row. */
export interface BatchRow {
  readonly seq: number;
  readonly timestamp_ms: number;
  readonly prev_hash: string;
  readonly hash: string;
  readonly entry_count: number;
}

/** A journal_entries row without its idx (rows arrive ordered by seq, idx). */
export interface EntryRow {
  readonly seq: number;
  readonly id: string | null;
  readonly type: StoredEntry['type'];
  readonly body: string;
}

/** An accounts row; the four amounts are decimal strings. */
export interface AccountRow {
  readonly id: string;
  readonly asset: string;
  readonly segregation_class: SegregationClass;
  readonly owner_type: 'customer' | 'house';
  readonly customer_id: string | null;
  readonly account_class: string | null;
  readonly vault_id: string | null;
  readonly debits_posted: string;
  readonly credits_posted: string;
  readonly debits_pending: string;
  readonly credits_pending: string;
}

/** An api_keys row. */
export interface ApiKeyRow {
  readonly id: string;
  readonly secret_hash: string;
  readonly role: ApiKeyRole;
  readonly customer_id: string | null;
  readonly created_at_ms: number;
}

/** The append-only event tables; both stores read and append them through one helper taking the table. */
export type EventTable = 'custody_events' | 'segregation_events' | 'reserves_events' | 'resolution_events';

/** A row of an event table. */
export interface EventRow {
  readonly seq: number;
  readonly kind: string;
  readonly body: string;
  readonly timestamp_ms: number;
}

/** Groups entry rows (ordered by seq, idx) under their batch headers; asserts each entry count matches. */
export function assembleBatches(headers: readonly BatchRow[], rows: readonly EntryRow[]): StoredBatch[] {
  const batches: StoredBatch[] = [];
  let next = 0;
  for (const header of headers) {
    const entries: StoredEntry[] = [];
    while (next < rows.length && rows[next]!.seq < header.seq) next++;
    while (next < rows.length && rows[next]!.seq === header.seq) {
      const row = rows[next++]!;
      entries.push({ id: row.id, type: row.type, body: row.body });
    }
    assert(entries.length === header.entry_count, `batch ${header.seq} has a missing or extra journal entry`);
    batches.push({
      seq: header.seq,
      timestampMs: header.timestamp_ms,
      prevHash: header.prev_hash,
      hash: header.hash,
      entries,
    });
  }
  return batches;
}

/** The domain account of a row. */
export function accountFromRow(row: AccountRow): Account {
  return {
    id: row.id,
    owner:
      row.owner_type === 'customer' ? { type: 'customer', customerId: row.customer_id! } : { type: 'house' },
    asset: row.asset,
    segregationClass: row.segregation_class,
    accountClass: row.account_class,
    vaultId: row.vault_id,
    debitsPostedMinor: BigInt(row.debits_posted),
    creditsPostedMinor: BigInt(row.credits_posted),
    debitsPendingMinor: BigInt(row.debits_pending),
    creditsPendingMinor: BigInt(row.credits_pending),
  };
}

/** The API key record of a row. */
export function apiKeyFromRow(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    secretHash: row.secret_hash,
    role: row.role,
    customerId: row.customer_id,
    createdAtMs: row.created_at_ms,
  };
}

/** The event record of a row. */
export function eventFromRow(row: EventRow): EventRecord {
  return { seq: row.seq, kind: row.kind, body: row.body, timestampMs: row.timestamp_ms };
}
