// The segregation module's state is event-sourced like custody's: every computation, seal, target,
// reconciliation, break resolution, withdrawal decision and alert is one append-only event, so the history an
// auditor or regulator asks for is the record itself, and the state is rebuilt by folding the events.

import { assert } from '../../core/assert.ts';
import { decodeCanonicalJson, encodeCanonicalJson } from '../../core/canonical-json.ts';
import type { AlertDraft } from '../../core/segregation/alerts.ts';
import type { ExternalReconciliation, InternalReconciliationLine } from '../../core/segregation/reconcile.ts';
import type { GateAssessment } from '../../core/segregation/residual-interest-gate.ts';
import type { SealedStatement, StatementBody } from '../../core/segregation/sealed-statement.ts';
import type { SegregationEventRecord } from '../../store/store.ts';

/** A targeted residual interest, approved by the board (CFTC 1.11, NFA §16): one version of it. */
export interface TargetSetEvent {
  readonly kind: 'target_set';
  readonly asset: string;
  readonly accountClass: string;
  readonly amountMinor: bigint;
  /** Where the approval is recorded (board minute, resolution id). */
  readonly approvalReference: string;
  readonly setBy: string;
}

export interface StatementComputedEvent {
  readonly kind: 'statement_computed';
  readonly statement: StatementBody;
}

export interface StatementFinalisedEvent {
  readonly kind: 'statement_finalised';
  readonly statement: SealedStatement;
}

/** One reconciliation run: internal (books against books) and external against one source. */
export interface ReconciliationRecordedEvent {
  readonly kind: 'reconciliation_recorded';
  readonly reconciliation: ReconciliationRecord;
}

/** An audited decision that a break is explained or corrected; it then no longer counts as a shortfall. */
export interface BreakResolvedEvent {
  readonly kind: 'break_resolved';
  readonly breakId: string;
  readonly resolution: string;
  readonly resolvedBy: string;
}

/** A house request to take residual interest out of segregation, with what the gate found. */
export interface WithdrawalRequestedEvent {
  readonly kind: 'ri_withdrawal_requested';
  readonly request: ResidualInterestWithdrawalRequest;
  readonly assessment: GateAssessment;
}

export interface WithdrawalApprovedEvent {
  readonly kind: 'ri_withdrawal_approved';
  readonly requestId: string;
  readonly officerKeyId: string;
}

export interface WithdrawalExecutedEvent {
  readonly kind: 'ri_withdrawal_executed';
  readonly requestId: string;
  readonly transferId: string;
  /** The journal batch that booked it. */
  readonly seq: number;
  readonly assessment: GateAssessment;
}

export interface WithdrawalRefusedEvent {
  readonly kind: 'ri_withdrawal_refused';
  readonly requestId: string;
  readonly code: string;
  readonly message: string;
}

/** The notice a withdrawal over 25% of residual interest sends the regulator (CFTC 1.23(c), NFA §16). */
export interface NoticeIssuedEvent {
  readonly kind: 'regulator_notice_issued';
  readonly notice: RegulatorNotice;
}

export interface AlertRaisedEvent {
  readonly kind: 'alert_raised';
  readonly alert: AlertDraft;
}

export type SegregationEvent =
  | TargetSetEvent
  | StatementComputedEvent
  | StatementFinalisedEvent
  | ReconciliationRecordedEvent
  | BreakResolvedEvent
  | WithdrawalRequestedEvent
  | WithdrawalApprovedEvent
  | WithdrawalExecutedEvent
  | WithdrawalRefusedEvent
  | NoticeIssuedEvent
  | AlertRaisedEvent;

/** One reconciliation run as recorded. */
export interface ReconciliationRecord {
  readonly id: string;
  readonly atMs: number;
  readonly by: string;
  /** The journal position the books were read at. */
  readonly ledgerSeq: number;
  readonly internal: readonly InternalReconciliationLine[];
  readonly external: ExternalReconciliation;
  /** For an imported custodian statement: who issued it and for which day. */
  readonly custodianStatement: { readonly custodian: string; readonly statementDate: string } | null;
}

/** The ledger accounts a residual-interest withdrawal moves between. */
export interface WithdrawalAccounts {
  /** The house's residual-interest claim inside segregation (debited). */
  readonly residualInterestAccountId: string;
  /** The house's equity (credited). */
  readonly houseEquityAccountId: string;
  /** The customer vault's custody account the coins leave (credited). */
  readonly segregatedCustodyAccountId: string;
  /** The house vault's custody account the coins reach (debited). */
  readonly houseCustodyAccountId: string;
}

/** A request to withdraw residual interest from segregation. */
export interface ResidualInterestWithdrawalRequest extends WithdrawalAccounts {
  readonly id: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly amountMinor: bigint;
  /** Why the house takes the money (goes on the regulator notice). */
  readonly reason: string;
  /** Who receives it (goes on the regulator notice). */
  readonly recipient: string;
  readonly requestedBy: string;
  readonly requestedAtMs: number;
  /** The ledger transfer that carries it out once the gate allows. */
  readonly transferId: string;
}

/** A notice to the regulator of a withdrawal above 25% of residual interest. */
export interface RegulatorNotice {
  readonly id: string;
  readonly requestId: string;
  readonly issuedAtMs: number;
  readonly asset: string;
  readonly accountClass: string;
  readonly amountMinor: bigint;
  readonly reason: string;
  readonly recipient: string;
  readonly approvers: readonly string[];
  readonly referenceStatementId: string;
  readonly referenceResidualInterestMinor: bigint;
  readonly cumulativeWithdrawnMinor: bigint;
  /** The excess left after the withdrawal (the current estimate of residual interest). */
  readonly remainingResidualInterestMinor: bigint;
  readonly certification: string;
}

/** Turns events into records with the next seqs, canonical bodies and one timestamp. */
export function encodeSegregationEvents(
  events: readonly SegregationEvent[],
  afterSeq: number,
  timestampMs: number,
): SegregationEventRecord[] {
  return events.map((event, index) => ({
    seq: afterSeq + index + 1,
    kind: event.kind,
    body: encodeCanonicalJson(event),
    timestampMs,
  }));
}

/** Decodes a stored record back into its event. */
export function decodeSegregationEvent(record: SegregationEventRecord): SegregationEvent {
  const event = decodeCanonicalJson<SegregationEvent>(record.body);
  assert(
    event.kind === record.kind,
    `segregation event ${record.seq} has kind ${record.kind} in its row only`,
  );
  return event;
}
