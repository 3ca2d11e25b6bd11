// The segregation service: computes and seals the daily statement, keeps the targeted residual interest,
// runs reconciliations against the chain and imported custodian statements, gates the house's withdrawals of
// residual interest, and raises alerts. Every action is an append-only segregation event.

import { createHash } from 'node:crypto';
import { type ChainAdapter, chainAssetsOf } from '../../chain/chain-adapter.ts';
import { assert } from '../../core/assert.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import { CUSTOMER_VAULT_KINDS, type Vault } from '../../core/custody/vault.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import { ACCOUNT_CLASS_PATTERN, ENTITY_ID_PATTERN } from '../../core/ledger/patterns.ts';
import type { Account, TransferCommand } from '../../core/ledger/types.ts';
import {
  type AlertDraft,
  lateFinalisationAlert,
  shortfallAlert,
  statementAlerts,
} from '../../core/segregation/alerts.ts';
import {
  closeOfBusinessMs,
  dateOfMs,
  finalisationDeadlineMs,
  isBusinessDateText,
  previousBusinessDay,
} from '../../core/segregation/business-day.ts';
import type { ClientMoneyApproach } from '../../core/segregation/client-money-lines.ts';
import { parseCustodianStatement } from '../../core/segregation/custodian-statement.ts';
import {
  reconcileExternal,
  reconcileInternal,
  type TopUpInstruction,
} from '../../core/segregation/reconcile.ts';
import {
  assessResidualInterestWithdrawal,
  checkResidualInterestWithdrawal,
  type GateAssessment,
  type GateInput,
} from '../../core/segregation/residual-interest-gate.ts';
import {
  diffStatements,
  type LineDifference,
  type SealedStatement,
  type SegregationRegime,
  type StatementBody,
  sealStatement,
} from '../../core/segregation/sealed-statement.ts';
import {
  collectSegments,
  compareText,
  computeSegment,
  type MarginSource,
  NO_MARGIN,
  type SegmentLines,
  segmentKey,
} from '../../core/segregation/statement.ts';
import type { LedgerStore } from '../../store/store.ts';
import type { LedgerService } from '../ledger-service.ts';
import { clientMoneyLinesOf } from './client-money-calculation.ts';
import {
  encodeSegregationEvents,
  type ReconciliationRecord,
  type RegulatorNotice,
  type ResidualInterestWithdrawalRequest,
  type SegregationEvent,
  type WithdrawalAccounts,
} from './segregation-events.ts';
import {
  type AlertRecord,
  applySegregationEvents,
  type BreakRecord,
  SegregationState,
  type StatementRecord,
  type WithdrawalRecord,
} from './segregation-state.ts';

/** The codes the segregation service returns besides the core gate's and the custodian-statement parser's. */
export type SegregationErrorCode =
  | 'segregation_asset_unknown'
  | 'segregation_account_class_unknown'
  | 'segregation_amount_invalid'
  | 'segregation_text_invalid'
  | 'statement_business_date_invalid'
  | 'statement_cutoff_invalid'
  | 'statement_unknown'
  | 'statement_already_finalised'
  | 'statement_not_finalised'
  | 'statement_correction_required'
  | 'statement_supersedes_invalid'
  | 'reconciliation_unknown'
  | 'break_unknown'
  | 'break_not_open'
  | 'ri_withdrawal_account_invalid'
  | 'ri_withdrawal_unknown'
  | 'ri_withdrawal_not_awaiting_approval'
  | 'ri_withdrawal_officer_already_approved'
  | 'ri_withdrawal_ledger_rejected';

export type SegregationResult<T> = { readonly ok: true; readonly value: T } | Rejected;

export interface SegregationServiceOptions {
  readonly clock?: () => number;
  /** The rule book the statement follows; `uk_cass` adds the client-money calculation. */
  readonly regime?: SegregationRegime;
  /** Under `uk_cass`: the approach the firm operates (CASS 7.13.6R normal, 7.13.54G alternative). */
  readonly clientMoneyApproach?: ClientMoneyApproach;
  /** The hour (UTC) of the next business day by which a statement must be finalised (CFTC 1.32: noon). */
  readonly finalisationDeadlineHourUtc?: number;
  /** Unrealised PnL and required margin per customer, once the margin engine exists. */
  readonly margin?: MarginSource;
}

/** Longest free-text field (reasons, resolutions, references). */
export const SEGREGATION_TEXT_LENGTH_MAX = 1000;

const OK = <T>(value: T): SegregationResult<T> => ({ ok: true, value });

/** The segregation module over one ledger. */
export class SegregationService {
  readonly #state = new SegregationState();
  readonly #clock: () => number;
  readonly #listeners = new Set<(alert: AlertRecord) => void>();
  /** Serialises writers so every event sequence is computed from the state it extends. */
  #tail: Promise<unknown> = Promise.resolve();
  readonly regime: SegregationRegime;
  readonly clientMoneyApproach: ClientMoneyApproach;
  readonly finalisationDeadlineHourUtc: number;
  readonly #margin: MarginSource;

  private constructor(
    private readonly ledger: LedgerService,
    private readonly store: LedgerStore,
    options: SegregationServiceOptions,
  ) {
    this.#clock = options.clock ?? Date.now;
    this.regime = options.regime ?? 'cftc';
    this.clientMoneyApproach = options.clientMoneyApproach ?? 'normal';
    this.finalisationDeadlineHourUtc = options.finalisationDeadlineHourUtc ?? 12;
    this.#margin = options.margin ?? NO_MARGIN;
  }

  /** Opens the service over the ledger, replaying the stored segregation events. */
  static async open(
    ledger: LedgerService,
    options: SegregationServiceOptions = {},
  ): Promise<SegregationService> {
    const service = new SegregationService(ledger, ledger.store, options);
    applySegregationEvents(service.#state, await ledger.store.readSegregationEvents());
    return service;
  }

  /** The folded state (read only: callers must not mutate it). */
  get state(): SegregationState {
    return this.#state;
  }

  /** Calls `listener` with every alert raised from now on; returns the unsubscribe function. */
  subscribe(listener: (alert: AlertRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  // ---- targets -------------------------------------------------------------------------------------------

  /** Records a new version of the segment's targeted residual interest. */
  setTarget(input: {
    readonly asset: string;
    readonly accountClass: string;
    readonly amountMinor: bigint;
    readonly approvalReference: string;
    readonly by: string;
  }): Promise<SegregationResult<{ readonly asset: string; readonly accountClass: string }>> {
    return this.#exclusive(async () => {
      const known = await this.#checkSegment(input.asset, input.accountClass);
      if (known !== null) return known;
      if (input.amountMinor < 0n)
        return rejected('segregation_amount_invalid', 'a target is zero or more', {
          amount: input.amountMinor.toString(),
        });
      const text = checkText('approvalReference', input.approvalReference);
      if (text !== null) return text;
      await this.#append([
        {
          kind: 'target_set',
          asset: input.asset,
          accountClass: input.accountClass,
          amountMinor: input.amountMinor,
          approvalReference: input.approvalReference,
          setBy: input.by,
        },
      ]);
      return OK({ asset: input.asset, accountClass: input.accountClass });
    });
  }

  // ---- statements ----------------------------------------------------------------------------------------

  /**
   * Computes a draft statement for `businessDate` (default: today) as of its close of business, or as of the
   * journal position `cutoffSeq`. `supersedes` names the finalised statement this one corrects.
   */
  compute(input: {
    readonly businessDate?: string;
    readonly cutoffSeq?: number;
    readonly supersedes?: string;
    readonly by: string;
  }): Promise<SegregationResult<StatementBody>> {
    return this.#exclusive(async () => {
      const nowMs = this.#clock();
      const businessDate = input.businessDate ?? dateOfMs(nowMs);
      if (!isBusinessDateText(businessDate))
        return rejected('statement_business_date_invalid', 'a business date is YYYY-MM-DD', { businessDate });
      let supersedes: StatementBody['supersedes'] = null;
      if (input.supersedes !== undefined) {
        const old = this.#state.statements.get(input.supersedes);
        if (old?.sealed == null || old.supersededBy !== null || old.sealed.businessDate !== businessDate) {
          return rejected(
            'statement_supersedes_invalid',
            'a correction replaces the finalised statement in force for the same business date',
            { supersedes: input.supersedes, businessDate },
          );
        }
        supersedes = { id: old.sealed.id, hash: old.sealed.hash };
      }
      const headSeq = await this.ledger.read((engine) => engine.headSeq);
      if (
        input.cutoffSeq !== undefined &&
        (!Number.isSafeInteger(input.cutoffSeq) || input.cutoffSeq < 0 || input.cutoffSeq > headSeq)
      ) {
        return rejected(
          'statement_cutoff_invalid',
          `the cut-off is a journal position from 0 to ${headSeq}`,
          {
            cutoffSeq: input.cutoffSeq,
          },
        );
      }
      const limit =
        input.cutoffSeq !== undefined
          ? { seq: input.cutoffSeq }
          : { beforeMs: closeOfBusinessMs(businessDate) };
      const shortfalls = this.#state.shortfalls();
      const targets = this.#state.targetAmounts();
      const facts = await this.ledger.readAsOf(limit, (engine) => ({
        cutoff: { seq: engine.headSeq, headHash: engine.headHash, batchTimestampMs: engine.headTimestampMs },
        segments: this.#segmentsOf(engine, targets, shortfalls),
      }));
      const count = [...this.#state.statements.values()].filter(
        (s) => s.draft.businessDate === businessDate,
      ).length;
      const id = `seg-${businessDate}-${count + 1}`;
      const clientMoney =
        this.regime === 'uk_cass'
          ? await clientMoneyLinesOf({
              approach: this.clientMoneyApproach,
              segments: facts.segments,
              resourceNow: () => this.ledger.read((engine) => this.#segmentsOf(engine, targets, shortfalls)),
              dueAtMs: closeOfBusinessMs(dateOfMs(nowMs)),
            })
          : [];
      const statement: StatementBody = {
        version: 1,
        id,
        regime: this.regime,
        businessDate,
        cutoff: facts.cutoff,
        computedAtMs: nowMs,
        computedBy: input.by,
        supersedes,
        segments: facts.segments,
        clientMoney,
      };
      await this.#append([
        { kind: 'statement_computed', statement },
        ...this.#newAlerts(statementAlerts(statement)),
      ]);
      return OK(statement);
    });
  }

  /** Seals a draft; a second statement for a business date must be a correction of the one in force. */
  finalise(id: string, by: string): Promise<SegregationResult<SealedStatement>> {
    return this.#exclusive(async () => {
      const record = this.#state.statements.get(id);
      if (record === undefined) return rejected('statement_unknown', `no statement ${id}`, { id });
      if (record.sealed !== null)
        return rejected('statement_already_finalised', `statement ${id} is already finalised and sealed`, {
          id,
          hash: record.sealed.hash,
        });
      const draft = record.draft;
      const inForce = [...this.#state.statements.values()].find(
        (other) =>
          other.sealed !== null &&
          other.supersededBy === null &&
          other.sealed.businessDate === draft.businessDate,
      );
      if (inForce !== undefined && draft.supersedes?.id !== inForce.sealed!.id) {
        return rejected(
          'statement_correction_required',
          `statement ${inForce.sealed!.id} is already finalised for ${draft.businessDate}; compute a correction that supersedes it`,
          { inForce: inForce.sealed!.id },
        );
      }
      const sealed = sealStatement(draft, this.#clock(), by);
      await this.#append([{ kind: 'statement_finalised', statement: sealed }]);
      return OK(sealed);
    });
  }

  /** Every statement, newest business date first. */
  listStatements(): StatementRecord[] {
    return [...this.#state.statements.values()].sort(
      (a, b) =>
        compareText(b.draft.businessDate, a.draft.businessDate) ||
        b.draft.computedAtMs - a.draft.computedAtMs,
    );
  }

  getStatement(id: string): StatementRecord | undefined {
    return this.#state.statements.get(id);
  }

  /** The lines that differ from statement `fromId` to statement `toId`. */
  diff(fromId: string, toId: string): SegregationResult<LineDifference[]> {
    const from = this.#state.statements.get(fromId);
    const to = this.#state.statements.get(toId);
    if (from === undefined) return rejected('statement_unknown', `no statement ${fromId}`, { id: fromId });
    if (to === undefined) return rejected('statement_unknown', `no statement ${toId}`, { id: toId });
    return OK(diffStatements(from.sealed ?? from.draft, to.sealed ?? to.draft));
  }

  /** Raises the late-finalisation alert once the previous business day's statement misses its deadline. */
  checkDeadlines(): Promise<void> {
    return this.#exclusive(async () => {
      const nowMs = this.#clock();
      const due = previousBusinessDay(dateOfMs(nowMs));
      const deadline = finalisationDeadlineMs(due, this.finalisationDeadlineHourUtc);
      if (nowMs <= deadline) return;
      const finalised = this.#state.latestFinalised();
      if (finalised !== null && finalised.businessDate >= due) return;
      await this.#append(this.#newAlerts([lateFinalisationAlert(due, deadline)]));
    });
  }

  // ---- reconciliation ------------------------------------------------------------------------------------

  /** Reconciles the books with the chain: every customer vault on the adapter's chain, at one block. */
  reconcileChain(adapter: ChainAdapter, by: string): Promise<SegregationResult<ReconciliationRecord>> {
    return this.#exclusive(async () => {
      const books = await this.ledger.read((engine) => booksOf(engine));
      const vaults = books.vaults.filter((vault) => vault.chainId === adapter.chainId);
      const read = await adapter.readVaultBalances({
        vaults: vaults.map((v) => v.address),
        assets: chainAssetsOf(vaults),
      });
      const byAddress = new Map(vaults.map((vault) => [vault.address, vault]));
      const observed = read.balances.flatMap((balance) => {
        const vault = byAddress.get(balance.vault.toLowerCase() as Vault['address']);
        const holds = vault?.assets.some((held) => held.asset === balance.assetId) === true;
        return vault !== undefined && holds
          ? [{ vaultId: vault.id, asset: balance.assetId, observedMinor: balance.balanceMinor }]
          : [];
      });
      return OK(
        await this.#recordReconciliation({
          source: 'chain',
          sourceReference: `chain ${read.chainId} block ${read.blockNumber} ${read.blockHash}`,
          books,
          observed,
          by,
          custodianStatement: null,
        }),
      );
    });
  }

  /** Imports a custodian or bank statement (CSV v1, docs/reconciliation.md) and reconciles against it. */
  importCustodianStatement(csv: string, by: string): Promise<SegregationResult<ReconciliationRecord>> {
    return this.#exclusive(async () => {
      const books = await this.ledger.read((engine) => booksOf(engine));
      const parsed = parseCustodianStatement(csv, { assets: books.assets, vaults: books.vaults });
      if (!parsed.ok) return parsed;
      const { statement } = parsed;
      return OK(
        await this.#recordReconciliation({
          source: 'custodian',
          sourceReference: `${statement.custodian} ${statement.statementDate}`,
          books,
          observed: statement.balances,
          by,
          custodianStatement: { custodian: statement.custodian, statementDate: statement.statementDate },
        }),
      );
    });
  }

  /** Records an audited resolution of an open break: it stops counting as a shortfall. */
  resolveBreak(breakId: string, resolution: string, by: string): Promise<SegregationResult<BreakRecord>> {
    return this.#exclusive(async () => {
      const record = this.#state.breaks.get(breakId);
      if (record === undefined) return rejected('break_unknown', `no break ${breakId}`, { breakId });
      if (record.status !== 'open')
        return rejected('break_not_open', `break ${breakId} is ${record.status}`, {
          breakId,
          status: record.status,
        });
      const text = checkText('resolution', resolution);
      if (text !== null) return text;
      await this.#append([{ kind: 'break_resolved', breakId, resolution, resolvedBy: by }]);
      return OK(record);
    });
  }

  listReconciliations(): ReconciliationRecord[] {
    return [...this.#state.reconciliations.values()].sort(
      (a, b) => b.atMs - a.atMs || compareText(b.id, a.id),
    );
  }

  getReconciliation(id: string): ReconciliationRecord | undefined {
    return this.#state.reconciliations.get(id);
  }

  listBreaks(): BreakRecord[] {
    return [...this.#state.breaks.values()].sort((a, b) => compareText(a.current.id, b.current.id));
  }

  /** Top-up instructions for every open unfavourable break: house → the short vault, due the same day. */
  topUps(): TopUpInstruction[] {
    return this.listBreaks()
      .filter((record) => record.status === 'open' && record.current.direction === 'observed_below_ledger')
      .map((record) => ({
        id: `topup:${record.current.id}`,
        breakId: record.current.id,
        asset: record.current.asset,
        accountClass: record.current.accountClass,
        vaultId: record.current.vaultId,
        from: 'house' as const,
        amountMinor: record.current.amountMinor,
        dueAtMs: closeOfBusinessMs(dateOfMs(record.current.firstSeenAtMs)),
      }));
  }

  // ---- residual-interest withdrawals ---------------------------------------------------------------------

  /**
   * Asks to take residual interest out of segregation. The gate decides: refused (recorded), executed at once,
   * or awaiting two officer approvals (below target, or over 25% of the last statement's residual interest).
   */
  requestWithdrawal(
    input: WithdrawalAccounts & {
      readonly asset: string;
      readonly accountClass: string;
      readonly amountMinor: bigint;
      readonly reason: string;
      readonly recipient: string;
      readonly by: string;
    },
  ): Promise<SegregationResult<WithdrawalRecord>> {
    return this.#exclusive(async () => {
      const known = await this.#checkSegment(input.asset, input.accountClass);
      if (known !== null) return known;
      for (const field of ['reason', 'recipient'] as const) {
        const text = checkText(field, input[field]);
        if (text !== null) return text;
      }
      const accounts = await this.ledger.read((engine) => checkWithdrawalAccounts(engine, input));
      if (accounts !== null) return accounts;
      const nowMs = this.#clock();
      const id = `riw-${this.#state.withdrawals.size + 1}`;
      const request: ResidualInterestWithdrawalRequest = {
        id,
        asset: input.asset,
        accountClass: input.accountClass,
        amountMinor: input.amountMinor,
        reason: input.reason,
        recipient: input.recipient,
        requestedBy: input.by,
        requestedAtMs: nowMs,
        residualInterestAccountId: input.residualInterestAccountId,
        houseEquityAccountId: input.houseEquityAccountId,
        segregatedCustodyAccountId: input.segregatedCustodyAccountId,
        houseCustodyAccountId: input.houseCustodyAccountId,
        transferId: createHash('sha256')
          .update(`ringfence-ri-withdrawal\n${id}\n${nowMs}`)
          .digest('hex')
          .slice(0, 32),
      };
      const gate = await this.#gateInput(request, 0);
      const assessed = assessResidualInterestWithdrawal(gate);
      if (!assessed.ok) {
        if (assessed.error.code === 'residual_interest_amount_invalid') return assessed;
        await this.#append([
          { kind: 'ri_withdrawal_requested', request, assessment: emptyAssessment() },
          {
            kind: 'ri_withdrawal_refused',
            requestId: id,
            code: assessed.error.code,
            message: assessed.error.message,
          },
        ]);
        return assessed;
      }
      await this.#append([{ kind: 'ri_withdrawal_requested', request, assessment: assessed.assessment }]);
      if (assessed.assessment.approvalsRequired === 0) return this.#execute(request.id);
      return OK(this.#state.withdrawals.get(id)!);
    });
  }

  /** Records an officer's approval; with the second distinct officer the withdrawal is re-gated and executed. */
  approveWithdrawal(requestId: string, officerKeyId: string): Promise<SegregationResult<WithdrawalRecord>> {
    return this.#exclusive(async () => {
      const withdrawal = this.#state.withdrawals.get(requestId);
      if (withdrawal === undefined)
        return rejected('ri_withdrawal_unknown', `no residual-interest withdrawal ${requestId}`, {
          requestId,
        });
      if (withdrawal.status !== 'awaiting_approvals')
        return rejected(
          'ri_withdrawal_not_awaiting_approval',
          `withdrawal ${requestId} is ${withdrawal.status}`,
          {
            requestId,
            status: withdrawal.status,
          },
        );
      if (withdrawal.approvals.some((approval) => approval.officerKeyId === officerKeyId))
        return rejected(
          'ri_withdrawal_officer_already_approved',
          'each officer approves once; two distinct officers are needed',
          {
            requestId,
            officerKeyId,
          },
        );
      await this.#append([{ kind: 'ri_withdrawal_approved', requestId, officerKeyId }]);
      const assessed = assessResidualInterestWithdrawal(
        await this.#gateInput(withdrawal.request, withdrawal.approvals.length),
      );
      if (assessed.ok && withdrawal.approvals.length < assessed.assessment.approvalsRequired)
        return OK(withdrawal);
      return this.#execute(requestId);
    });
  }

  listWithdrawals(): WithdrawalRecord[] {
    return [...this.#state.withdrawals.values()].sort(
      (a, b) => b.request.requestedAtMs - a.request.requestedAtMs,
    );
  }

  getWithdrawal(id: string): WithdrawalRecord | undefined {
    return this.#state.withdrawals.get(id);
  }

  listNotices(): RegulatorNotice[] {
    return [...this.#state.notices.values()].sort((a, b) => b.issuedAtMs - a.issuedAtMs);
  }

  listAlerts(): AlertRecord[] {
    return [...this.#state.alerts].reverse();
  }

  /** The statement lines at the journal head right now (a pro-forma statement; nothing is recorded). */
  proForma(): Promise<SegmentLines[]> {
    const shortfalls = this.#state.shortfalls();
    const targets = this.#state.targetAmounts();
    return this.ledger.read((engine) => this.#segmentsOf(engine, targets, shortfalls));
  }

  // ---- internals -----------------------------------------------------------------------------------------

  #segmentsOf(
    engine: LedgerEngine,
    targets: Map<string, bigint>,
    shortfalls: Map<string, bigint>,
  ): SegmentLines[] {
    const vaults = new Map(engine.listVaults().map((vault) => [vault.id, vault]));
    return collectSegments(engine.iterateAccounts(), vaults, {
      targets,
      shortfalls,
      margin: this.#margin,
    }).map(computeSegment);
  }

  async #gateInput(request: ResidualInterestWithdrawalRequest, approvals: number): Promise<GateInput> {
    const key = segmentKey(request.asset, request.accountClass);
    const reference = this.#state.latestFinalised();
    const referenceSegment = reference?.segments.find((s) => segmentKey(s.asset, s.accountClass) === key);
    const now = (await this.proForma()).find((s) => segmentKey(s.asset, s.accountClass) === key);
    let withdrawnSince = 0n;
    for (const other of this.#state.withdrawals.values()) {
      if (
        other.execution !== null &&
        reference !== null &&
        other.execution.seq > reference.cutoff.seq &&
        segmentKey(other.request.asset, other.request.accountClass) === key
      )
        withdrawnSince += other.request.amountMinor;
    }
    return {
      amountMinor: request.amountMinor,
      requiredBusinessDate: previousBusinessDay(dateOfMs(this.#clock())),
      reference:
        reference === null
          ? null
          : {
              id: reference.id,
              businessDate: reference.businessDate,
              cutoffSeq: reference.cutoff.seq,
              excessMinor: referenceSegment?.excessMinor ?? 0n,
            },
      currentExcessMinor: now?.excessMinor ?? 0n,
      targetMinor: this.#state.targets.get(key)?.amountMinor ?? 0n,
      withdrawnSinceReferenceMinor: withdrawnSince,
      officerApprovals: approvals,
    };
  }

  // Re-gates with the approvals recorded, then books the transfer; a refusal at this point is recorded.
  async #execute(requestId: string): Promise<SegregationResult<WithdrawalRecord>> {
    const withdrawal = this.#state.withdrawals.get(requestId)!;
    const { request } = withdrawal;
    const gate = await this.#gateInput(request, withdrawal.approvals.length);
    const checked = checkResidualInterestWithdrawal(gate);
    if (!checked.ok) {
      await this.#append([
        {
          kind: 'ri_withdrawal_refused',
          requestId,
          code: checked.error.code,
          message: checked.error.message,
        },
      ]);
      return checked;
    }
    const transfer: TransferCommand = {
      type: 'transfer',
      id: request.transferId,
      kind: 'residual_interest_withdrawal',
      reference: `residual-interest-withdrawal ${request.id}`,
      instructedBy: null,
      legs: [
        {
          debit: request.houseCustodyAccountId,
          credit: request.segregatedCustodyAccountId,
          asset: request.asset,
          amountMinor: request.amountMinor,
        },
        {
          debit: request.residualInterestAccountId,
          credit: request.houseEquityAccountId,
          asset: request.asset,
          amountMinor: request.amountMinor,
        },
      ],
      holdExpiresAtMs: null,
    };
    const [result] = await this.ledger.submit([transfer]);
    assert(result !== undefined, 'one result per command');
    if (!result.ok) {
      await this.#append([
        {
          kind: 'ri_withdrawal_refused',
          requestId,
          code: 'ri_withdrawal_ledger_rejected',
          message: `${result.error.code}: ${result.error.message}`,
        },
      ]);
      return rejected(
        'ri_withdrawal_ledger_rejected',
        `the ledger refused the withdrawal: ${result.error.message}`,
        {
          ledgerCode: result.error.code,
        },
      );
    }
    const events: SegregationEvent[] = [
      {
        kind: 'ri_withdrawal_executed',
        requestId,
        transferId: request.transferId,
        seq: result.seq,
        assessment: checked.assessment,
      },
    ];
    if (checked.assessment.overQuarter) {
      events.push({
        kind: 'regulator_notice_issued',
        notice: this.#notice(withdrawal, gate, checked.assessment),
      });
    }
    await this.#append(events);
    return OK(withdrawal);
  }

  #notice(withdrawal: WithdrawalRecord, gate: GateInput, assessment: GateAssessment): RegulatorNotice {
    const { request } = withdrawal;
    assert(gate.reference !== null, 'an executed withdrawal has a reference statement');
    return {
      id: `notice-${request.id}`,
      requestId: request.id,
      issuedAtMs: this.#clock(),
      asset: request.asset,
      accountClass: request.accountClass,
      amountMinor: request.amountMinor,
      reason: request.reason,
      recipient: request.recipient,
      approvers: withdrawal.approvals.map((approval) => approval.officerKeyId),
      referenceStatementId: gate.reference.id,
      referenceResidualInterestMinor: gate.reference.excessMinor,
      cumulativeWithdrawnMinor: assessment.cumulativeMinor,
      remainingResidualInterestMinor: assessment.proFormaExcessMinor,
      certification:
        'The firm remains in compliance with its segregation obligations after this withdrawal (pro-forma excess ≥ 0), ' +
        'and the withdrawal was approved in writing by two officers before execution (CFTC 1.23(c), NFA Financial Requirements §16).',
    };
  }

  async #recordReconciliation(input: {
    readonly source: 'chain' | 'custodian';
    readonly sourceReference: string;
    readonly books: Books;
    readonly observed: readonly {
      readonly vaultId: string;
      readonly asset: string;
      readonly observedMinor: bigint;
    }[];
    readonly by: string;
    readonly custodianStatement: ReconciliationRecord['custodianStatement'];
  }): Promise<ReconciliationRecord> {
    const nowMs = this.#clock();
    const id = `rec-${this.#state.reconciliations.size + 1}`;
    const covered = new Set(input.observed.map((row) => row.vaultId));
    const ledgerRows = input.books.vaultRows.filter(
      (row) => input.source === 'chain' || covered.has(row.vaultId),
    );
    const ledgerKeys = new Set(ledgerRows.map((row) => `${row.vaultId}\u0000${row.asset}`));
    // A vault may hold an asset the books have no account for yet: the books say zero.
    for (const row of input.observed) {
      if (ledgerKeys.has(`${row.vaultId}\u0000${row.asset}`)) continue;
      const vault = input.books.vaults.find((v) => v.id === row.vaultId)!;
      ledgerRows.push({
        vaultId: row.vaultId,
        asset: row.asset,
        accountClass: vault.accountClass ?? '',
        ledgerMinor: 0n,
      });
    }
    const external = reconcileExternal({
      source: input.source,
      sourceReference: input.sourceReference,
      runId: id,
      nowMs,
      topUpDueAtMs: closeOfBusinessMs(dateOfMs(nowMs)),
      ledger: ledgerRows,
      observed: input.observed,
      openBreaks: this.#state
        .openBreaks(input.source)
        .filter((b) => input.source === 'chain' || covered.has(b.vaultId)),
    });
    const reconciliation: ReconciliationRecord = {
      id,
      atMs: nowMs,
      by: input.by,
      ledgerSeq: input.books.seq,
      internal: reconcileInternal(input.books.internal),
      external,
      custodianStatement: input.custodianStatement,
    };
    const alerts = external.breaks
      .filter((b) => b.direction === 'observed_below_ledger')
      .map((b) =>
        shortfallAlert({
          breakId: b.id,
          asset: b.asset,
          accountClass: b.accountClass,
          amountMinor: b.amountMinor,
        }),
      );
    await this.#append([{ kind: 'reconciliation_recorded', reconciliation }, ...this.#newAlerts(alerts)]);
    return reconciliation;
  }

  // Alerts not raised before (an alert's key names its condition).
  #newAlerts(drafts: readonly AlertDraft[]): SegregationEvent[] {
    return drafts
      .filter((alert) => !this.#state.alertKeys.has(alert.key))
      .map((alert) => ({ kind: 'alert_raised', alert }));
  }

  async #checkSegment(asset: string, accountClass: string): Promise<Rejected | null> {
    return this.ledger.read((engine) => {
      if (engine.getAsset(asset) === undefined)
        return rejected('segregation_asset_unknown', `no asset ${asset} is registered`, { asset });
      if (!ACCOUNT_CLASS_PATTERN.test(accountClass) || !engine.listAccountClasses().includes(accountClass))
        return rejected(
          'segregation_account_class_unknown',
          `no account class ${accountClass} is registered`,
          {
            accountClass,
          },
        );
      return null;
    });
  }

  async #append(events: readonly SegregationEvent[]): Promise<void> {
    if (events.length === 0) return;
    const records = encodeSegregationEvents(events, this.#state.headSeq, this.#clock());
    await this.store.appendSegregationEvents(records);
    const before = this.#state.alerts.length;
    applySegregationEvents(this.#state, records);
    for (const alert of this.#state.alerts.slice(before)) {
      for (const listener of this.#listeners) listener(alert);
    }
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(work, work);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/** What a reconciliation reads from the books, at one journal position. */
interface Books {
  readonly seq: number;
  readonly assets: Map<string, { readonly code: string; readonly scale: number }>;
  /** Customer vaults (the ones reconciled). */
  readonly vaults: Vault[];
  readonly vaultRows: { vaultId: string; asset: string; accountClass: string; ledgerMinor: bigint }[];
  readonly internal: {
    asset: string;
    accountClass: string;
    segregatedCustodyMinor: bigint;
    customerClaimsMinor: bigint;
    residualInterestMinor: bigint;
  }[];
}

function booksOf(engine: LedgerEngine): Books {
  const vaults = engine.listVaults().filter((vault) => CUSTOMER_VAULT_KINDS.has(vault.kind));
  const customerVaults = new Set(vaults.map((vault) => vault.id));
  const rows = new Map<string, Books['vaultRows'][number]>();
  const internal = new Map<string, Books['internal'][number]>();
  const segmentOf = (account: Account) => {
    const key = segmentKey(account.asset, account.accountClass!);
    let segment = internal.get(key);
    if (segment === undefined) {
      segment = {
        asset: account.asset,
        accountClass: account.accountClass!,
        segregatedCustodyMinor: 0n,
        customerClaimsMinor: 0n,
        residualInterestMinor: 0n,
      };
      internal.set(key, segment);
    }
    return segment;
  };
  for (const account of engine.iterateAccounts()) {
    if (account.accountClass === null) continue;
    const custody = account.debitsPostedMinor - account.creditsPostedMinor;
    const claim = -custody;
    switch (account.segregationClass) {
      case 'segregated_custody': {
        segmentOf(account).segregatedCustodyMinor += custody;
        if (account.vaultId === null || !customerVaults.has(account.vaultId)) break;
        const key = `${account.vaultId}\u0000${account.asset}`;
        const row = rows.get(key);
        if (row === undefined)
          rows.set(key, {
            vaultId: account.vaultId,
            asset: account.asset,
            accountClass: account.accountClass,
            ledgerMinor: custody,
          });
        else row.ledgerMinor += custody;
        break;
      }
      case 'customer_collateral':
        segmentOf(account).customerClaimsMinor += claim;
        break;
      case 'residual_interest':
        segmentOf(account).residualInterestMinor += claim;
        break;
      default:
        break;
    }
  }
  return {
    seq: engine.headSeq,
    assets: new Map(engine.listAssets().map((asset) => [asset.code, asset])),
    vaults,
    vaultRows: [...rows.values()],
    internal: [...internal.values()],
  };
}

// The accounts a withdrawal names must be the right classes, in the withdrawal's asset and segment.
function checkWithdrawalAccounts(
  engine: LedgerEngine,
  input: WithdrawalAccounts & { readonly asset: string; readonly accountClass: string },
): Rejected | null {
  const expected = [
    ['residualInterestAccountId', 'residual_interest', true],
    ['houseEquityAccountId', 'house_equity', false],
    ['segregatedCustodyAccountId', 'segregated_custody', true],
    ['houseCustodyAccountId', 'house_custody', false],
  ] as const;
  for (const [field, segregationClass, inSegment] of expected) {
    const id = input[field];
    const account = ENTITY_ID_PATTERN.test(id) ? engine.getAccount(id) : undefined;
    if (
      account === undefined ||
      account.segregationClass !== segregationClass ||
      account.asset !== input.asset ||
      (inSegment && account.accountClass !== input.accountClass)
    ) {
      return rejected(
        'ri_withdrawal_account_invalid',
        `${field} must name a ${segregationClass} account in ${input.asset}${inSegment ? ` / ${input.accountClass}` : ''}`,
        { field, accountId: id },
      );
    }
  }
  return null;
}

function checkText(field: string, text: string): Rejected | null {
  if (text.trim().length === 0 || text.length > SEGREGATION_TEXT_LENGTH_MAX) {
    return rejected(
      'segregation_text_invalid',
      `${field} is 1 to ${SEGREGATION_TEXT_LENGTH_MAX} characters and not blank`,
      {
        field,
      },
    );
  }
  return null;
}

function emptyAssessment(): GateAssessment {
  return {
    proFormaExcessMinor: 0n,
    belowTarget: false,
    cumulativeMinor: 0n,
    quarterOfReferenceMinor: 0n,
    overQuarter: false,
    approvalsRequired: 0,
  };
}
