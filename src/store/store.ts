// The one storage interface the single writer and the readers use; SQLite and PostgreSQL implement it.
// The journal is the source of truth; the accounts table is a materialised view updated in the same commit.

import type { Account, CommittedBatch, FailedId, StoredEntry } from '../core/ledger/types.ts';

/** A committed journal batch as read back from storage. */
export interface StoredBatch {
  readonly seq: number;
  readonly timestampMs: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly entries: readonly StoredEntry[];
}

/** Who a key speaks for; officers (CEO, CFO, designated principals) approve residual-interest withdrawals. */
export type ApiKeyRole = 'operator' | 'customer' | 'auditor' | 'officer';

export interface ApiKeyRecord {
  /** Public key id (the prefix shown in logs). */
  readonly id: string;
  /** SHA-256 hex of the full secret key; the secret itself is never stored. */
  readonly secretHash: string;
  readonly role: ApiKeyRole;
  /** Set for customer keys: the only customer whose accounts the key may see and instruct. */
  readonly customerId: string | null;
  readonly createdAtMs: number;
}

/**
 * One row of an append-only event table: `seq` is dense from 1, `body` is canonical JSON, and rows are never
 * changed, so the state they record is rebuilt by replaying them.
 */
export interface EventRecord {
  readonly seq: number;
  readonly kind: string;
  readonly body: string;
  readonly timestampMs: number;
}

/** One custody event (withdrawal service state transitions, policies, signers). */
export type CustodyEventRecord = EventRecord;

/** One segregation event (daily statements, residual-interest withdrawals and their officer approvals). */
export type SegregationEventRecord = EventRecord;

/** One reserves event (published proof-of-reserves audits). */
export type ReservesEventRecord = EventRecord;

/** One resolution event (insolvency freeze requests and approvals, recovered debts). */
export type ResolutionEventRecord = EventRecord;

export interface LedgerStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  /**
   * Makes one batch durable in a single transaction: journal batch + entries, account upserts and the
   * failed ids. Either argument may be empty. Resolves only after the commit is durable (fsync).
   */
  commit(batch: CommittedBatch | null, failed: readonly FailedId[]): Promise<void>;
  /** Journal batches with fromSeq <= seq <= toSeq, in order, at most `limit` of them. */
  readBatches(fromSeq: number, toSeq: number, limit: number): Promise<StoredBatch[]>;
  /** The highest committed seq, 0 when the journal is empty. */
  readHeadSeq(): Promise<number>;
  /** Every failed id ever recorded. */
  readFailedIds(): Promise<FailedId[]>;
  /** The materialised accounts as stored (used by verify to compare with a replay). */
  readAccounts(): Promise<Account[]>;
  /**
   * Appends custody events in one transaction; their seqs must continue the stored ones densely (a gap or a
   * second writer's stale seq is refused with StoreCommitError and nothing is written).
   */
  appendCustodyEvents(events: readonly CustodyEventRecord[]): Promise<void>;
  /** Every custody event, in seq order. */
  readCustodyEvents(): Promise<CustodyEventRecord[]>;
  /**
   * Appends segregation events in one transaction; their seqs must continue the stored ones densely (a gap or a
   * second writer's stale seq is refused with StoreCommitError and nothing is written).
   */
  appendSegregationEvents(events: readonly SegregationEventRecord[]): Promise<void>;
  /** Every segregation event, in seq order. */
  readSegregationEvents(): Promise<SegregationEventRecord[]>;
  /** Appends reserves events in one transaction, densely after the stored ones (as for custody events). */
  appendReservesEvents(events: readonly ReservesEventRecord[]): Promise<void>;
  /** Every reserves event, in seq order. */
  readReservesEvents(): Promise<ReservesEventRecord[]>;
  /** Appends resolution events in one transaction, densely after the stored ones (as for custody events). */
  appendResolutionEvents(events: readonly ResolutionEventRecord[]): Promise<void>;
  /** Every resolution event, in seq order. */
  readResolutionEvents(): Promise<ResolutionEventRecord[]>;
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  findApiKeyBySecretHash(secretHash: string): Promise<ApiKeyRecord | null>;
  close(): Promise<void>;
}
