// The single writer: queues commands from every caller, applies them in batches (group commit) and
// acknowledges each only after its batch is durable. Readers see committed state only.

import { assert } from '../core/assert.ts';
import { type BatchOutcome, LedgerEngine, type ReplayResult } from '../core/ledger/engine.ts';
import { checkInvariants, type InvariantViolation } from '../core/ledger/invariants.ts';
import { BATCH_COMMANDS_MAX } from '../core/ledger/limits.ts';
import type { Account, Command, CommandResult } from '../core/ledger/types.ts';
import type { LedgerStore } from '../store/store.ts';
import { JournalCorruptError, WriterStoppedError } from './errors.ts';

const REPLAY_PAGE_BATCHES = 500;

export interface LedgerServiceOptions {
  /** Wall clock in ms; injectable so tests and simulations are deterministic. */
  readonly clock?: () => number;
  /** Most commands one durable commit may carry. */
  readonly batchCommandsMax?: number;
  /** Called after every durable commit (metrics, benchmarks). */
  readonly onCommit?: (info: { seq: number; commands: number; applyMs: number; commitMs: number }) => void;
}

interface QueuedRequest {
  readonly commands: readonly Command[];
  readonly resolve: (results: CommandResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/** What `verify` found: the first batch that does not match, stored balances that differ, broken invariants. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly batches: number;
  readonly entries: number;
  readonly headSeq: number;
  readonly headHash: string;
  readonly firstMismatch: Extract<ReplayResult, { ok: false }> | null;
  readonly accountMismatches: readonly { account: string; stored: string; replayed: string }[];
  readonly invariantViolations: readonly InvariantViolation[];
}

/** The application's handle on one ledger: writes through the single writer, reads from committed state. */
export class LedgerService {
  private readonly queue: QueuedRequest[] = [];
  private readonly waitingReaders: (() => void)[] = [];
  private writing = false;
  private committing = false;
  private stopped: WriterStoppedError | null = null;
  private lastTimestampMs = 0;
  private readonly clock: () => number;
  private readonly batchCommandsMax: number;

  private constructor(
    readonly store: LedgerStore,
    private readonly engine: LedgerEngine,
    private readonly options: LedgerServiceOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.batchCommandsMax = options.batchCommandsMax ?? BATCH_COMMANDS_MAX;
  }

  /** Opens the ledger: loads failed ids and replays the whole journal, refusing books that do not verify. */
  static async open(store: LedgerStore, options: LedgerServiceOptions = {}): Promise<LedgerService> {
    const engine = new LedgerEngine();
    engine.loadFailedIds(await store.readFailedIds());
    const head = await store.readHeadSeq();
    await replayInto(engine, store, head, (mismatch) => {
      throw new JournalCorruptError(`journal batch ${mismatch.seq} does not verify: ${mismatch.message}`, { ...mismatch });
    });
    const service = new LedgerService(store, engine, options);
    return service;
  }

  /** Submits commands; resolves with one result per command once the batch holding them is durable. */
  submit(commands: readonly Command[]): Promise<CommandResult[]> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    assert(commands.length <= this.batchCommandsMax, 'callers split requests to the batch limit');
    return new Promise((resolve, reject) => {
      this.queue.push({ commands, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // Let the callers of this tick enqueue too, so they share one durable commit.
        setImmediate(() => void this.writeLoop());
      }
    });
  }

  /** Runs `read` against committed state (never against a batch whose commit is still in flight). */
  async read<T>(read: (engine: LedgerEngine) => T): Promise<T> {
    if (this.stopped !== null) throw this.stopped;
    if (this.committing) await new Promise<void>((resolve) => this.waitingReaders.push(resolve));
    if (this.stopped !== null) throw this.stopped;
    return read(this.engine);
  }

  /** Balances of every account as of journal position `seq`, rebuilt by replaying the journal. */
  async accountsAsOf(seq: number): Promise<Account[]> {
    const engine = new LedgerEngine();
    await replayInto(engine, this.store, seq, (mismatch) => {
      throw new JournalCorruptError(`journal batch ${mismatch.seq} does not verify`, { ...mismatch });
    });
    return engine.listAccounts();
  }

  /** Recomputes the hash chain, replays every entry, compares balances with storage and checks invariants. */
  async verify(): Promise<VerifyReport> {
    const engine = new LedgerEngine();
    const head = await this.store.readHeadSeq();
    let firstMismatch: VerifyReport['firstMismatch'] = null;
    const counts = await replayInto(engine, this.store, head, (mismatch) => {
      firstMismatch = mismatch;
    });
    const replayed = new Map(engine.listAccounts().map((account) => [account.id, account]));
    const accountMismatches: { account: string; stored: string; replayed: string }[] = [];
    for (const stored of await this.store.readAccounts()) {
      const other = replayed.get(stored.id);
      const storedText = balanceText(stored);
      const replayedText = other === undefined ? 'missing' : balanceText(other);
      if (storedText !== replayedText) accountMismatches.push({ account: stored.id, stored: storedText, replayed: replayedText });
    }
    const invariantViolations = checkInvariants(engine.listAccounts());
    return {
      ok: firstMismatch === null && accountMismatches.length === 0 && invariantViolations.length === 0,
      batches: counts.batches,
      entries: counts.entries,
      headSeq: engine.headSeq,
      headHash: engine.headHash,
      firstMismatch,
      accountMismatches,
      invariantViolations,
    };
  }

  /** Waits for queued writes, then closes storage. */
  async close(): Promise<void> {
    while (this.writing) await new Promise((resolve) => setImmediate(resolve));
    await this.store.close();
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length > 0 && this.stopped === null) {
      const taken = this.takeBatch();
      const commands = taken.flatMap((request) => request.commands);
      const applyStartMs = performance.now();
      const outcome = this.engine.executeBatch(commands, this.nextTimestampMs());
      const commitStartMs = performance.now();
      try {
        await this.commit(outcome);
      } catch (cause) {
        this.stop(new WriterStoppedError({ cause }), taken);
        break;
      }
      this.options.onCommit?.({
        seq: this.engine.headSeq,
        commands: commands.length,
        applyMs: commitStartMs - applyStartMs,
        commitMs: performance.now() - commitStartMs,
      });
      let offset = 0;
      for (const request of taken) {
        request.resolve(outcome.results.slice(offset, offset + request.commands.length));
        offset += request.commands.length;
      }
    }
    this.writing = false;
  }

  private async commit(outcome: BatchOutcome): Promise<void> {
    if (outcome.batch === null && outcome.failed.length === 0) return;
    this.committing = true;
    try {
      await this.store.commit(outcome.batch, outcome.failed);
    } finally {
      this.committing = false;
      for (const wake of this.waitingReaders.splice(0)) wake();
    }
  }

  private takeBatch(): QueuedRequest[] {
    const taken: QueuedRequest[] = [];
    let count = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (taken.length > 0 && count + next.commands.length > this.batchCommandsMax) break;
      taken.push(this.queue.shift()!);
      count += next.commands.length;
    }
    return taken;
  }

  private nextTimestampMs(): number {
    this.lastTimestampMs = Math.max(this.lastTimestampMs, this.engine.headTimestampMs, Math.floor(this.clock()));
    return this.lastTimestampMs;
  }

  private stop(error: WriterStoppedError, taken: readonly QueuedRequest[]): void {
    this.stopped = error;
    for (const request of [...taken, ...this.queue.splice(0)]) request.reject(error);
  }
}

async function replayInto(
  engine: LedgerEngine,
  store: LedgerStore,
  toSeq: number,
  onMismatch: (mismatch: Extract<ReplayResult, { ok: false }>) => void,
): Promise<{ batches: number; entries: number }> {
  let batches = 0;
  let entries = 0;
  let from = 1;
  while (from <= toSeq) {
    const page = await store.readBatches(from, toSeq, REPLAY_PAGE_BATCHES);
    if (page.length === 0) {
      onMismatch({ ok: false, seq: from, reason: 'seq_gap', entryIndex: null, message: `batch ${from} is missing` });
      break;
    }
    for (const batch of page) {
      const result = engine.replayBatch(batch);
      if (!result.ok) {
        onMismatch(result);
        return { batches, entries };
      }
      batches += 1;
      entries += batch.entries.length;
    }
    from = page[page.length - 1]!.seq + 1;
  }
  return { batches, entries };
}

function balanceText(account: Account): string {
  return `${account.debitsPostedMinor}/${account.creditsPostedMinor}/${account.debitsPendingMinor}/${account.creditsPendingMinor}`;
}
