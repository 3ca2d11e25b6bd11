// The insolvency resolution service (issue 6): an officer requests a freeze and a second, distinct officer
// approves it, which pins the books at the journal head and makes the ledger refuse every new command
// (`ledger_frozen`, through the ledger's admission check, re-installed on every open). At the pinned position
// it computes the claims register, each estate's pro-rata distribution and the unsecured claims, recomputed
// with each recovered debt; and it runs contagion simulations against the books as they stand.

import { randomUUID } from 'node:crypto';
import { assert } from '../../core/assert.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import type { Command, Rejection } from '../../core/ledger/types.ts';
import { parseAmount } from '../../core/money/amount.ts';
import {
  type ContagionReport,
  type ContagionScenario,
  type HouseCreditor,
  simulateContagion,
} from '../../core/resolution/contagion.ts';
import { resolutionInputFromSegments } from '../../core/resolution/from-segments.ts';
import { type DebtRecovery, type Resolution, resolveEstates } from '../../core/resolution/resolution.ts';
import { compareText, type MarginSource, NO_MARGIN } from '../../core/segregation/statement.ts';
import { applyCustodyEvents, CustodyState } from '../custody/custody-state.ts';
import type { LedgerAdmission, LedgerService } from '../ledger-service.ts';
import type { SegregationService } from '../segregation/segregation-service.ts';
import { readScales, reconciliationView, statementView } from '../segregation/segregation-views.ts';
import { builtInScenario } from './contagion-scenarios.ts';
import { customerStatementOf } from './customer-statements.ts';
import {
  type AssetScale,
  type JournalPosition,
  marginOfMarks,
  pinMarks,
  pinShortfalls,
  readContagionBook,
  readResolutionBooks,
  shortfallMap,
} from './resolution-books.ts';
import {
  encodeResolutionEvents,
  type FreezePin,
  type PinnedShortfall,
  type ResolutionEvent,
} from './resolution-events.ts';
import {
  assemblePack,
  type PackContext,
  type PackCustomer,
  packCustomer,
  type ResolutionPackDocument,
} from './resolution-pack.ts';
import {
  applyResolutionEvents,
  type FreezeRecord,
  type RecoveryRecord,
  ResolutionState,
  type ResolutionStatus,
} from './resolution-state.ts';

/** The rejection codes of the resolution service (docs/rejection-codes.md), besides the core's. */
export type ResolutionServiceErrorCode =
  | 'ledger_frozen'
  | 'resolution_text_invalid'
  | 'freeze_already_requested'
  | 'freeze_already_frozen'
  | 'freeze_not_requested'
  | 'freeze_approval_same_officer'
  | 'resolution_not_frozen'
  | 'resolution_customer_unknown'
  | 'resolution_asset_unknown';

/** A value, or the first broken rule: this service's codes, the core's resolution and contagion codes. */
export type ResolutionResult<T> = { readonly ok: true; readonly value: T } | Rejected;

/** Longest free-text field (a freeze reason, a recovery reference). */
export const RESOLUTION_TEXT_LENGTH_MAX = 1000;

/** A step of a long computation: `done` of `total` units of `phase` (the CLI draws a progress bar from it). */
export interface ResolutionProgress {
  readonly phase: 'books' | 'claims' | 'pack' | 'json' | 'csv' | 'html';
  readonly done: number;
  readonly total: number;
}

/** Called as a long computation advances. */
export type ProgressListener = (progress: ResolutionProgress) => void;

/** A resolution computed from the books at one journal position and the recoveries recorded so far. */
export interface ComputedResolution {
  /** True for a dry run at the journal head without a freeze: the books keep moving after it. */
  readonly simulated: boolean;
  readonly journal: JournalPosition;
  readonly computedAtMs: number;
  readonly assets: readonly AssetScale[];
  readonly resolution: Resolution;
  readonly recoveries: readonly RecoveryRecord[];
  /** Unresolved shortfalls deducted from the estates' property. */
  readonly shortfalls: readonly PinnedShortfall[];
  /** How many customer positions carried an unrealised PnL mark. */
  readonly marks: number;
}

/** A scenario's report, the scales of its assets and the journal position of the books it ran on. */
export interface SimulationResult {
  readonly report: ContagionReport;
  readonly scales: ReadonlyMap<string, number>;
  readonly journalSeq: number;
}

/** The freeze and the recoveries as the API shows them. */
export interface ResolutionStatusView {
  readonly status: ResolutionStatus;
  readonly freeze: FreezeRecord | null;
  readonly recoveries: readonly RecoveryRecord[];
}

export interface ResolutionServiceOptions {
  readonly clock?: () => number;
  /** Unresolved shortfalls (open unfavourable breaks) reduce an estate's property; none without it. */
  readonly segregation?: SegregationService | null;
  /** Unrealised PnL per customer, once the margin engine exists (pinned at the freeze). */
  readonly margin?: MarginSource;
}

const OK = <T>(value: T): ResolutionResult<T> => ({ ok: true, value });

/** The resolution module over one ledger; opening it installs the freeze check on that ledger. */
export class ResolutionService implements LedgerAdmission {
  readonly #state = new ResolutionState();
  readonly #clock: () => number;
  readonly #margin: MarginSource;
  /** Set from the approval until the freeze is recorded (or the approval fails): commands are refused. */
  #freezing = false;
  #cached: ComputedResolution | null = null;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly ledger: LedgerService,
    readonly options: ResolutionServiceOptions,
  ) {
    this.#clock = options.clock ?? Date.now;
    this.#margin = options.margin ?? NO_MARGIN;
  }

  /** Opens the service, replays its events and installs its admission check on the ledger. */
  static async open(
    ledger: LedgerService,
    options: ResolutionServiceOptions = {},
  ): Promise<ResolutionService> {
    const service = new ResolutionService(ledger, options);
    applyResolutionEvents(service.#state, await ledger.store.readResolutionEvents());
    ledger.setAdmission(service);
    return service;
  }

  /** The ledger the service resolves. */
  get ledgerService(): LedgerService {
    return this.ledger;
  }

  /** Open, freeze requested, or frozen; with the freeze record and the recoveries. */
  status(): ResolutionStatusView {
    return { status: this.#state.status, freeze: this.#state.freeze, recoveries: this.#state.recoveries };
  }

  // ---- the ledger's admission check ------------------------------------------------------------------

  /** While frozen (or being frozen) every command is refused with `ledger_frozen`. */
  refusalOf(command: Command): Rejection | null {
    if (!this.#freezing && this.#state.status !== 'frozen') return null;
    const pin = this.#state.pin;
    return {
      code: 'ledger_frozen',
      message: 'the books are frozen for an insolvency resolution; the ledger accepts no new commands',
      details: { commandType: command.type, frozenAtSeq: pin?.seq ?? null },
    };
  }

  /** Holds past their expiry stay pending while frozen: nothing moves the books. */
  acceptsHoldExpiry(): boolean {
    return !this.#freezing && this.#state.status !== 'frozen';
  }

  // ---- the freeze ------------------------------------------------------------------------------------

  /** Records an officer's request to freeze the books; a second, distinct officer must approve it. */
  requestFreeze(input: {
    readonly reason: string;
    readonly by: string;
  }): Promise<ResolutionResult<FreezeRecord>> {
    return this.#exclusive(async () => {
      const text = checkText('reason', input.reason);
      if (text !== null) return text;
      const state = this.#state;
      if (state.status === 'frozen') return alreadyFrozen(state.pin!);
      if (state.freeze !== null) {
        return rejected(
          'freeze_already_requested',
          `freeze request ${state.freeze.requestId} by ${state.freeze.requestedBy} awaits a second officer`,
          { requestId: state.freeze.requestId, requestedBy: state.freeze.requestedBy },
        );
      }
      await this.#append([
        { kind: 'freeze_requested', requestId: randomUUID(), reason: input.reason, requestedBy: input.by },
      ]);
      return OK(state.freeze!);
    });
  }

  /**
   * A second officer approves the pending request: commands are refused from this moment, the writer drains
   * what it had already accepted, and the journal head is pinned (seq, hash, the batch's time) together with
   * the unresolved shortfalls and the margin marks, so the resolution can always be recomputed exactly.
   */
  approveFreeze(input: { readonly by: string }): Promise<ResolutionResult<FreezeRecord>> {
    return this.#exclusive(async () => {
      const state = this.#state;
      if (state.status === 'frozen') return alreadyFrozen(state.pin!);
      const request = state.freeze;
      if (request === null)
        return rejected(
          'freeze_not_requested',
          'no freeze request awaits approval; an officer requests one first',
        );
      if (request.requestedBy === input.by) {
        return rejected(
          'freeze_approval_same_officer',
          'the officer who requested the freeze cannot approve it; a second, distinct officer must',
          { requestId: request.requestId, officer: input.by },
        );
      }
      this.#freezing = true;
      try {
        // Commands accepted before this point finish; nothing new is queued, so the head stops here.
        await this.ledger.idle();
        const shortfalls = pinShortfalls(this.options.segregation?.state.shortfalls() ?? new Map());
        const books = await this.ledger.read((engine) =>
          readResolutionBooks(engine, { shortfalls: new Map(), margin: this.#margin }),
        );
        const pin: FreezePin = {
          seq: books.journal.seq,
          headHash: books.journal.headHash,
          batchTimestampMs: books.journal.batchTimestampMs,
          frozenAtMs: this.#clock(),
          shortfalls,
          marks: pinMarks(books.segments),
        };
        await this.#append([
          { kind: 'freeze_approved', requestId: request.requestId, approvedBy: input.by, pin },
        ]);
      } finally {
        this.#freezing = false;
      }
      return OK(request);
    });
  }

  // ---- claims, distribution, recoveries --------------------------------------------------------------

  /** The resolution at the pinned position with every recorded recovery (cached until the next recovery). */
  resolution(onProgress?: ProgressListener): Promise<ResolutionResult<ComputedResolution>> {
    return this.#exclusive(async () => {
      const pin = this.#state.pin;
      if (pin === null) return notFrozen(this.#state.status);
      if (this.#cached !== null && this.#cached.recoveries.length === this.#state.recoveries.length)
        return OK(this.#cached);
      const computed = await this.#compute(pin, this.#state.recoveries, onProgress);
      assert(computed.ok, 'recorded recoveries were accepted against the same books');
      this.#cached = computed.value;
      return OK(computed.value);
    });
  }

  /**
   * A dry run: the resolution as if the books were frozen at the journal head now, with no recoveries and
   * nothing recorded or refused (the demo shows its pack this way without stopping its ledger).
   */
  simulatedResolution(onProgress?: ProgressListener): Promise<ComputedResolution> {
    return this.#exclusive(async () => {
      const shortfalls = pinShortfalls(this.options.segregation?.state.shortfalls() ?? new Map());
      onProgress?.({ phase: 'books', done: 0, total: 1 });
      const books = await this.ledger.read((engine) =>
        readResolutionBooks(engine, { shortfalls: shortfallMap(shortfalls), margin: this.#margin }),
      );
      onProgress?.({ phase: 'books', done: 1, total: 1 });
      const computed = computeResolution(
        books,
        shortfalls,
        [],
        this.#clock(),
        true,
        pinMarks(books.segments).length,
        onProgress,
      );
      assert(computed.ok, 'a resolution without recoveries has nothing to refuse');
      return computed.value;
    });
  }

  /**
   * Records a debt recovered from a deficit customer and recomputes the distribution with it. Refused unless
   * frozen, and with the core's codes when nothing is owed or the recoveries would exceed the debt.
   */
  recordRecovery(input: {
    readonly customerId: string;
    readonly asset: string;
    readonly accountClass: string;
    readonly amountMinor: bigint;
    readonly reference: string;
    readonly by: string;
  }): Promise<ResolutionResult<ComputedResolution>> {
    return this.#exclusive(async () => {
      const pin = this.#state.pin;
      if (pin === null) return notFrozen(this.#state.status);
      const text = checkText('reference', input.reference);
      if (text !== null) return text;
      const recovery: DebtRecovery = {
        customerId: input.customerId,
        asset: input.asset,
        accountClass: input.accountClass,
        amountMinor: input.amountMinor,
      };
      const record: RecoveryRecord = {
        recovery,
        reference: input.reference,
        recordedBy: input.by,
        recordedAtMs: this.#clock(),
      };
      const computed = await this.#compute(pin, [...this.#state.recoveries, record]);
      if (!computed.ok) return computed;
      await this.#append([
        { kind: 'recovery_recorded', recovery, reference: input.reference, recordedBy: input.by },
      ]);
      this.#cached = { ...computed.value, recoveries: [...this.#state.recoveries] };
      return OK(this.#cached);
    });
  }

  // ---- customer statements and the pack ---------------------------------------------------------------

  /** One customer's statement at the pinned position (refused before the freeze; unknown without a position). */
  async customerStatement(customerId: string): Promise<ResolutionResult<PackCustomer>> {
    const computed = await this.resolution();
    if (!computed.ok) return computed;
    const statement = customerStatementOf(computed.value.resolution, customerId);
    if (statement === null) {
      return rejected(
        'resolution_customer_unknown',
        `customer ${customerId} had no position in any estate at journal seq ${computed.value.journal.seq}`,
        { customerId, seq: computed.value.journal.seq },
      );
    }
    const scales = new Map(computed.value.assets.map((asset) => [asset.code, asset.scale]));
    return OK(packCustomer(statement, (asset) => scales.get(asset)!));
  }

  /**
   * The resolution pack of `computed`: the journal verified from scratch (unless `verify` is false), the vault
   * register, the latest finalised segregation statement and the latest reconciliation of each source, and
   * custody's signers and policies read from the custody events.
   */
  async pack(
    computed: ComputedResolution,
    options: { readonly firmName: string; readonly verify?: boolean },
  ): Promise<ResolutionPackDocument> {
    const verification = options.verify === false ? null : await this.ledger.verify();
    const vaults = await this.ledger.read((engine) => engine.listVaults());
    const segregation = this.options.segregation ?? null;
    let segregationRecords: PackContext['segregation'] = null;
    if (segregation !== null) {
      const scaleOf = await readScales(this.ledger);
      const latest = segregation.state.latestFinalised();
      const record = latest === null ? undefined : segregation.getStatement(latest.id);
      const runs = segregation.listReconciliations();
      const latestRuns = ['chain', 'custodian'].flatMap((source) => {
        const run = runs.find((candidate) => candidate.external.source === source);
        return run === undefined ? [] : [reconciliationView(run, scaleOf)];
      });
      segregationRecords = {
        latestStatement: record === undefined ? null : statementView(record, scaleOf),
        reconciliations: latestRuns,
      };
    }
    const custodyState = new CustodyState();
    applyCustodyEvents(custodyState, await this.ledger.store.readCustodyEvents());
    const registry = custodyState.registry;
    const custody =
      registry === null && custodyState.policies.size === 0
        ? null
        : {
            platformPartyId: registry?.platformPartyId ?? null,
            signers: registry === null ? [] : [...registry.signers.values()],
            policies: [...custodyState.policies.entries()]
              .sort(([a], [b]) => compareText(a, b))
              .map(([vaultId, policy]) => ({ vaultId, policy })),
          };
    return assemblePack({
      firmName: options.firmName,
      generatedAtMs: this.#clock(),
      computed,
      freeze: computed.simulated ? null : this.#state.freeze,
      verification,
      vaults,
      segregation: segregationRecords,
      custody,
    });
  }

  // ---- contagion -------------------------------------------------------------------------------------

  /**
   * Runs a scenario against the books as they stand (no freeze needed): a built-in one by name, or one given
   * in full with the house creditors it assumes.
   */
  simulate(
    input:
      | { readonly builtIn: string }
      | { readonly scenario: ContagionScenario; readonly houseCreditors: readonly HouseCreditor[] },
  ): Promise<ResolutionResult<SimulationResult>> {
    return this.#exclusive(async () => {
      const read = await this.ledger.read((engine) => ({
        scales: new Map(engine.listAssets().map((asset) => [asset.code, asset.scale])),
        vaults: engine.listVaults(),
        book: readContagionBook(engine, this.#margin, 'houseCreditors' in input ? input.houseCreditors : []),
        journalSeq: engine.headSeq,
      }));
      let scenario: ContagionScenario;
      if ('builtIn' in input) {
        const built = builtInScenario(input.builtIn, read.book, read.vaults);
        if (!built.ok) return built;
        scenario = built.scenario;
      } else {
        scenario = input.scenario;
      }
      const simulated = simulateContagion(read.book, scenario);
      if (!simulated.ok) return simulated;
      return OK({ report: simulated.report, scales: read.scales, journalSeq: read.journalSeq });
    });
  }

  // ---- internals -------------------------------------------------------------------------------------

  async #compute(
    pin: FreezePin,
    recoveries: readonly RecoveryRecord[],
    onProgress?: ProgressListener,
  ): Promise<ResolutionResult<ComputedResolution>> {
    onProgress?.({ phase: 'books', done: 0, total: 1 });
    const books = await this.ledger.readAsOf({ seq: pin.seq }, (engine) =>
      readResolutionBooks(engine, {
        shortfalls: shortfallMap(pin.shortfalls),
        margin: marginOfMarks(pin.marks),
      }),
    );
    assert(books.journal.headHash === pin.headHash, 'the journal at the pinned position has not changed');
    onProgress?.({ phase: 'books', done: 1, total: 1 });
    return computeResolution(
      books,
      pin.shortfalls,
      recoveries,
      this.#clock(),
      false,
      pin.marks.length,
      onProgress,
    );
  }

  async #append(events: readonly ResolutionEvent[]): Promise<void> {
    const records = encodeResolutionEvents(events, this.#state.headSeq, this.#clock());
    await this.ledger.store.appendResolutionEvents(records);
    applyResolutionEvents(this.#state, records);
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * The resolution of books read at one position: the statement's segments become net equity and property
 * (`resolutionInputFromSegments`), and the core resolves every estate with the recoveries.
 */
export function computeResolution(
  books: {
    readonly journal: JournalPosition;
    readonly assets: readonly AssetScale[];
    readonly segments: Parameters<typeof resolutionInputFromSegments>[0];
  },
  shortfalls: readonly PinnedShortfall[],
  recoveries: readonly RecoveryRecord[],
  computedAtMs: number,
  simulated: boolean,
  marks: number,
  onProgress?: ProgressListener,
): ResolutionResult<ComputedResolution> {
  onProgress?.({ phase: 'claims', done: 0, total: 1 });
  const resolved = resolveEstates(
    resolutionInputFromSegments(
      books.segments,
      recoveries.map((record) => record.recovery),
    ),
  );
  if (!resolved.ok) return resolved;
  onProgress?.({ phase: 'claims', done: 1, total: 1 });
  return OK({
    simulated,
    journal: books.journal,
    computedAtMs,
    assets: books.assets,
    resolution: resolved.resolution,
    recoveries,
    shortfalls,
    marks,
  });
}

/**
 * Parses a decimal amount at the scale of `asset`: `resolution_asset_unknown` for an asset the registry does
 * not know, then the amount codes (`amount_invalid`, `amount_too_many_decimals`, `amount_not_positive`,
 * `amount_overflow`) with `details.field`.
 */
export function parseResolutionAmount(
  scales: ReadonlyMap<string, number>,
  asset: string,
  text: string,
  field: string,
): ResolutionResult<bigint> {
  const scale = scales.get(asset);
  if (scale === undefined)
    return rejected('resolution_asset_unknown', `no asset ${asset} is registered`, { asset });
  const parsed = parseAmount(text, scale);
  if (!parsed.ok) return rejected(parsed.error.code, parsed.error.message, { field });
  return OK(parsed.value);
}

function alreadyFrozen(pin: FreezePin): Rejected<'freeze_already_frozen'> {
  return rejected('freeze_already_frozen', `the books are already frozen at journal seq ${pin.seq}`, {
    seq: pin.seq,
    headHash: pin.headHash,
  });
}

function notFrozen(status: ResolutionStatus): Rejected<'resolution_not_frozen'> {
  return rejected(
    'resolution_not_frozen',
    'claims, distributions and recoveries need the books frozen by two officers first',
    { status },
  );
}

function checkText(field: string, text: string): Rejected<'resolution_text_invalid'> | null {
  if (text.trim().length === 0 || text.length > RESOLUTION_TEXT_LENGTH_MAX) {
    return rejected(
      'resolution_text_invalid',
      `${field} is 1 to ${RESOLUTION_TEXT_LENGTH_MAX} characters and not blank`,
      { field },
    );
  }
  return null;
}
