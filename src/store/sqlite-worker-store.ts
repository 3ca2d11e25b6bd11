// LedgerStore on SQLite with the connection in a worker thread: better-sqlite3 blocks its thread for the
// whole fsync'd commit, so running it beside the writer lets the engine apply batch k+1 while batch k is
// being made durable. Calls are answered strictly in the order they were posted.

import { Worker } from 'node:worker_threads';
import { AssertionError } from '../core/assert.ts';
import type { Account, AccountBalance, CommittedBatch, FailedId } from '../core/ledger/types.ts';
import {
  StoreCommitError,
  StoreError,
  StoreMigrationError,
  StoreOpenError,
  StoreReadError,
  StoreWriteError,
} from './errors.ts';
import { packBatch } from './sqlite-batch-packing.ts';
import type { WorkerRequest, WorkerResponse } from './sqlite-worker.ts';
import type {
  ApiKeyRecord,
  CustodyEventRecord,
  LedgerStore,
  ReservesEventRecord,
  ResolutionEventRecord,
  SegregationEventRecord,
  StoredBatch,
} from './store.ts';
import type { TamperForTest } from './tamper-for-test.ts';

const STORE_ERROR_CLASSES: Readonly<Record<string, typeof StoreError>> = {
  StoreError,
  StoreOpenError,
  StoreMigrationError,
  StoreCommitError,
  StoreReadError,
  StoreWriteError,
};

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** The SQLite store the service uses: same schema and guarantees as SqliteStore, off the writer thread. */
export class SqliteWorkerStore implements LedgerStore, TamperForTest {
  readonly kind = 'sqlite' as const;
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(path: string) {
    this.worker = new Worker(new URL('./sqlite-worker-entry.mjs', import.meta.url), { workerData: { path } });
    this.worker.on('message', (response: WorkerResponse) => this.settle(response));
    this.worker.on('error', (error) =>
      this.failAll(new StoreError('The SQLite worker failed.', { cause: error })),
    );
    this.worker.on('exit', (code) =>
      this.failAll(new StoreError(`The SQLite worker exited with code ${code}.`)),
    );
  }

  /** Starts the worker, which opens (and creates) the database file at `path`. */
  static open(path: string): SqliteWorkerStore {
    return new SqliteWorkerStore(path);
  }

  migrate(): Promise<void> {
    return this.call('migrate', []);
  }

  commit(batch: CommittedBatch | null, failed: readonly FailedId[]): Promise<void> {
    return this.call('commitPacked', [batch === null ? null : packBatch(batch), failed]);
  }

  readBatches(fromSeq: number, toSeq: number, limit: number): Promise<StoredBatch[]> {
    return this.call('readBatches', [fromSeq, toSeq, limit]);
  }

  readHeadSeq(): Promise<number> {
    return this.call('readHeadSeq', []);
  }

  readFailedIds(): Promise<FailedId[]> {
    return this.call('readFailedIds', []);
  }

  readAccounts(): Promise<Account[]> {
    return this.call('readAccounts', []);
  }

  appendCustodyEvents(events: readonly CustodyEventRecord[]): Promise<void> {
    return this.call('appendCustodyEvents', [events]);
  }

  readCustodyEvents(): Promise<CustodyEventRecord[]> {
    return this.call('readCustodyEvents', []);
  }

  appendSegregationEvents(events: readonly SegregationEventRecord[]): Promise<void> {
    return this.call('appendSegregationEvents', [events]);
  }

  readSegregationEvents(): Promise<SegregationEventRecord[]> {
    return this.call('readSegregationEvents', []);
  }

  appendReservesEvents(events: readonly ReservesEventRecord[]): Promise<void> {
    return this.call('appendReservesEvents', [events]);
  }

  readReservesEvents(): Promise<ReservesEventRecord[]> {
    return this.call('readReservesEvents', []);
  }

  appendResolutionEvents(events: readonly ResolutionEventRecord[]): Promise<void> {
    return this.call('appendResolutionEvents', [events]);
  }

  readResolutionEvents(): Promise<ResolutionEventRecord[]> {
    return this.call('readResolutionEvents', []);
  }

  insertApiKey(key: ApiKeyRecord): Promise<void> {
    return this.call('insertApiKey', [key]);
  }

  findApiKeyBySecretHash(secretHash: string): Promise<ApiKeyRecord | null> {
    return this.call('findApiKeyBySecretHash', [secretHash]);
  }

  async close(): Promise<void> {
    if (this.failure === null) await this.call('close', []);
    this.failure ??= new StoreError('The store is closed.');
    await this.worker.terminate();
  }

  dangerouslyTamperEntryForTest(seq: number, idx: number, body: string): Promise<void> {
    return this.call('dangerouslyTamperEntryForTest', [seq, idx, body]);
  }

  dangerouslyTamperBatchHashForTest(seq: number, hash: string): Promise<void> {
    return this.call('dangerouslyTamperBatchHashForTest', [seq, hash]);
  }

  dangerouslyTamperAccountForTest(balance: AccountBalance): Promise<void> {
    return this.call('dangerouslyTamperAccountForTest', [balance]);
  }

  private call<T>(method: string, args: readonly unknown[]): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const request: WorkerRequest = { id, method, args };
      this.worker.postMessage(request);
    });
  }

  private settle(response: WorkerResponse): void {
    const pending = this.pending.get(response.id);
    if (pending === undefined) return;
    this.pending.delete(response.id);
    if (response.ok) {
      pending.resolve(response.result);
      return;
    }
    // Rebuild the worker's error as the same class: callers tell failures apart with instanceof.
    if (response.name === 'AssertionError') {
      pending.reject(new AssertionError(`in the SQLite worker: ${response.message}`));
      return;
    }
    const ErrorClass = STORE_ERROR_CLASSES[response.name] ?? StoreError;
    pending.reject(
      new ErrorClass(response.message, response.details === null ? {} : { details: response.details }),
    );
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
