// The single writer: queues commands from every caller, applies them in batches (group commit) and
// acknowledges each only after its batch is durable. Readers see committed state only.

import { assert } from '../core/assert.ts';
import { type BatchOutcome, LedgerEngine, type ReplayResult } from '../core/ledger/engine.ts';
import { checkInvariants, type InvariantViolation } from '../core/ledger/invariants.ts';
import { BATCH_COMMANDS_MAX } from '../core/ledger/limits.ts';
import type { Account, Command, CommandResult, Rejection } from '../core/ledger/types.ts';
import type { LedgerStore } from '../store/store.ts';
import { JournalCorruptError, WriterStoppedError } from './errors.ts';

const REPLAY_PAGE_BATCHES = 500;

export interface LedgerServiceOptions {
  /** Wall clock in ms; injectable so tests and simulations are deterministic. */
  readonly clock?: () => number;
  /** Most commands one durable commit may carry. */
  readonly batchCommandsMax?: number;
  /** How often to look for holds past their expiry and expire them (0 = only when commands arrive). */
  readonly holdSweepIntervalMs?: number;
  /** Called after every durable commit (metrics, benchmarks). */
  readonly onCommit?: (info: { seq: number; commands: number; applyMs: number; commitMs: number }) => void;
}

interface QueuedRequest {
  readonly commands: readonly Command[];
  readonly resolve: (results: CommandResult[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Consulted by `submit` before commands reach the writer: while it refuses them (an insolvency freeze, issue 6),
 * nothing new is applied. A refusal is the command's result, so callers see it like any rule's rejection.
 */
export interface LedgerAdmission {
  /** The refusal of `command`, or null to let it through to the writer. */
  refusalOf(command: Command): Rejection | null;
  /** False while nothing may move the books, not even the expiry of holds past their expiry. */
  acceptsHoldExpiry(): boolean;
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
  /** Batches applied in memory whose durable commit has not completed. */
  private inFlightCount = 0;
  private stopped: WriterStoppedError | null = null;
  private lastTimestampMs = 0;
  private sweepTimer: NodeJS.Timeout | null = null;
  private admission: LedgerAdmission | null = null;
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
      throw new JournalCorruptError(`journal batch ${mismatch.seq} does not verify: ${mismatch.message}`, {
        ...mismatch,
      });
    });
    const service = new LedgerService(store, engine, options);
    const sweepMs = options.holdSweepIntervalMs ?? 0;
    if (sweepMs > 0) {
      service.sweepTimer = setInterval(() => void service.expireDueHolds().catch(() => undefined), sweepMs);
      service.sweepTimer.unref();
    }
    return service;
  }

  /**
   * Installs the check `submit` consults before commands reach the writer (null removes it). The resolution
   * service installs its freeze here when it opens; there is one admission per ledger.
   */
  setAdmission(admission: LedgerAdmission | null): void {
    this.admission = admission;
  }

  /** What the installed admission says of `command` right now: its refusal, or null when it would pass. */
  refusalOf(command: Command): Rejection | null {
    return this.admission?.refusalOf(command) ?? null;
  }

  /**
   * Submits commands; resolves with one result per command once the batch holding them is durable. Commands
   * the admission refuses never reach the writer: their result is the refusal, and the others go on alone.
   */
  submit(commands: readonly Command[]): Promise<CommandResult[]> {
    if (this.stopped !== null) return Promise.reject(this.stopped);
    assert(commands.length <= this.batchCommandsMax, 'callers split requests to the batch limit');
    // An empty request only expires due holds: a write too, which the admission may hold back.
    if (this.admission !== null && commands.length === 0 && !this.admission.acceptsHoldExpiry())
      return Promise.resolve([]);
    if (this.admission !== null && commands.length > 0) {
      const refusals = commands.map((command) => this.admission!.refusalOf(command));
      if (refusals.some((refusal) => refusal !== null)) return this.submitAdmitted(commands, refusals);
    }
    return this.enqueue(commands);
  }

  private async submitAdmitted(
    commands: readonly Command[],
    refusals: readonly (Rejection | null)[],
  ): Promise<CommandResult[]> {
    const admitted = commands.filter((_, index) => refusals[index] === null);
    const results = admitted.length === 0 ? [] : await this.enqueue(admitted);
    let next = 0;
    return refusals.map((refusal) => (refusal === null ? results[next++]! : { ok: false, error: refusal }));
  }

  private enqueue(commands: readonly Command[]): Promise<CommandResult[]> {
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
    // Between batches the engine holds exactly the committed state; while a batch is in flight it is ahead.
    if (this.inFlightCount > 0) await new Promise<void>((resolve) => this.waitingReaders.push(resolve));
    if (this.stopped !== null) throw this.stopped;
    return read(this.engine);
  }

  /**
   * Runs `read` at once, even while a batch is in flight, for facts that never change once written: asset
   * scales, account owners, a hold's leg. Safe because a command built on such a fact is applied after
   * the batch that wrote it, and if that batch's commit fails the writer stops. Writes use it to validate
   * requests without pausing the commit pipeline.
   */
  async readImmutable<T>(read: (engine: LedgerEngine) => T): Promise<T> {
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

  /**
   * Runs `read` against the books as of a journal position: right after batch `limit.seq`, or after the last
   * batch stamped before `limit.beforeMs` (whichever is earlier). The head is read live; an earlier position
   * is rebuilt by replaying the journal into a fresh engine.
   */
  async readAsOf<T>(
    limit: { readonly seq?: number; readonly beforeMs?: number },
    read: (engine: LedgerEngine) => T,
  ): Promise<T> {
    const live = await this.read((engine) => {
      const seq = limit.seq ?? engine.headSeq;
      const atHead =
        seq >= engine.headSeq && (limit.beforeMs === undefined || engine.headTimestampMs < limit.beforeMs);
      return atHead ? { value: read(engine) } : null;
    });
    if (live !== null) return live.value;
    const engine = new LedgerEngine();
    const headSeq = await this.store.readHeadSeq();
    await replayInto(
      engine,
      this.store,
      Math.min(limit.seq ?? headSeq, headSeq),
      (mismatch) => {
        throw new JournalCorruptError(`journal batch ${mismatch.seq} does not verify`, { ...mismatch });
      },
      limit.beforeMs,
    );
    return read(engine);
  }

  /** Recomputes the hash chain, replays every entry, compares balances with storage and checks invariants. */
  verify(): Promise<VerifyReport> {
    return verifyJournal(this.store);
  }

  /** Writes the expiry of every hold past its expiry time (an empty batch expires due holds first). */
  async expireDueHolds(): Promise<void> {
    if (this.stopped !== null || this.engine.nextHoldExpiryMs > this.clock()) return;
    if (this.admission !== null && !this.admission.acceptsHoldExpiry()) return;
    await this.submit([]);
  }

  /** Resolves once the writer has nothing queued and nothing in flight (every submitted batch is durable). */
  async idle(): Promise<void> {
    while (this.writing) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Waits for queued writes, then closes storage. */
  async close(): Promise<void> {
    if (this.sweepTimer !== null) clearInterval(this.sweepTimer);
    await this.idle();
    await this.store.close();
  }

  // Two-stage pipeline: while batch k is being made durable, batch k+1 is applied in memory. Commits run
  // strictly in order and every request is acknowledged only after its own batch is durable. Readers
  // waiting for committed state pause the pipeline until nothing is in flight.
  private async writeLoop(): Promise<void> {
    let inFlight: Promise<void> | null = null;
    while (this.stopped === null && (this.queue.length > 0 || inFlight !== null)) {
      if (this.queue.length === 0 || this.waitingReaders.length > 0) {
        await inFlight;
        inFlight = null;
        this.wakeReaders();
        // Let the woken readers run before the next batch moves the state on.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      const taken = this.takeBatch();
      const commands = taken.flatMap((request) => request.commands);
      const applyStartMs = performance.now();
      const outcome = this.engine.executeBatch(commands, this.nextTimestampMs());
      const applyMs = performance.now() - applyStartMs;
      const previous: Promise<void> | null = inFlight;
      this.inFlightCount += 1;
      inFlight = this.commitAfter(previous, outcome, taken, applyMs);
      // At most one batch applied ahead of the durable one.
      if (previous !== null) await previous;
    }
    if (inFlight !== null) await inFlight;
    this.wakeReaders();
    this.writing = false;
  }

  private async commitAfter(
    previous: Promise<void> | null,
    outcome: BatchOutcome,
    taken: readonly QueuedRequest[],
    applyMs: number,
  ): Promise<void> {
    await previous;
    if (this.stopped !== null) {
      for (const request of taken) request.reject(this.stopped);
      this.inFlightCount -= 1;
      return;
    }
    const commitStartMs = performance.now();
    try {
      if (outcome.batch !== null || outcome.failed.length > 0)
        await this.store.commit(outcome.batch, outcome.failed);
    } catch (cause) {
      this.inFlightCount -= 1;
      this.stop(new WriterStoppedError({ cause }), taken);
      return;
    }
    this.inFlightCount -= 1;
    this.options.onCommit?.({
      seq: outcome.batch?.seq ?? this.engine.headSeq,
      commands: outcome.results.length,
      applyMs,
      commitMs: performance.now() - commitStartMs,
    });
    let offset = 0;
    for (const request of taken) {
      request.resolve(outcome.results.slice(offset, offset + request.commands.length));
      offset += request.commands.length;
    }
  }

  private wakeReaders(): void {
    if (this.inFlightCount > 0) return;
    for (const wake of this.waitingReaders.splice(0)) wake();
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
    this.lastTimestampMs = Math.max(
      this.lastTimestampMs,
      this.engine.headTimestampMs,
      Math.floor(this.clock()),
    );
    return this.lastTimestampMs;
  }

  private stop(error: WriterStoppedError, taken: readonly QueuedRequest[]): void {
    this.stopped = error;
    for (const request of [...taken, ...this.queue.splice(0)]) request.reject(error);
    for (const wake of this.waitingReaders.splice(0)) wake();
  }
}

async function replayInto(
  engine: LedgerEngine,
  store: LedgerStore,
  toSeq: number,
  onMismatch: (mismatch: Extract<ReplayResult, { ok: false }>) => void,
  /** Stop before the first batch stamped at or after this time. */
  beforeMs: number = Number.POSITIVE_INFINITY,
): Promise<{ batches: number; entries: number }> {
  let batches = 0;
  let entries = 0;
  let from = 1;
  while (from <= toSeq) {
    const page = await store.readBatches(from, toSeq, REPLAY_PAGE_BATCHES);
    if (page.length === 0) {
      onMismatch({
        ok: false,
        seq: from,
        reason: 'seq_gap',
        entryIndex: null,
        message: `batch ${from} is missing`,
      });
      break;
    }
    for (const batch of page) {
      if (batch.timestampMs >= beforeMs) return { batches, entries };
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

/**
 * Verifies the journal in `store` without opening a service (so it also reports on books that would not
 * open): recomputes every batch hash and chain link, replays every entry on a fresh engine, compares the
 * replayed balances with the stored accounts and checks the invariants from scratch.
 */
export async function verifyJournal(store: LedgerStore): Promise<VerifyReport> {
  const engine = new LedgerEngine();
  const head = await store.readHeadSeq();
  let firstMismatch: VerifyReport['firstMismatch'] = null;
  const counts = await replayInto(engine, store, head, (mismatch) => {
    firstMismatch = mismatch;
  });
  const accountMismatches: { account: string; stored: string; replayed: string }[] = [];
  // Stored balances are compared only when the whole journal replayed: otherwise the replay stopped early.
  if (firstMismatch === null) {
    const replayed = new Map(engine.listAccounts().map((account) => [account.id, account]));
    for (const stored of await store.readAccounts()) {
      const other = replayed.get(stored.id);
      const storedText = balanceText(stored);
      const replayedText = other === undefined ? 'missing' : balanceText(other);
      if (storedText !== replayedText)
        accountMismatches.push({ account: stored.id, stored: storedText, replayed: replayedText });
    }
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
