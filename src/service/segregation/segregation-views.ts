// The segregation module's records as the API and the CLI show them: statements (summaries, and in full with
// the seal checked), targets, reconciliations (JSON and CSV), breaks with their age, top-up instructions,
// residual-interest withdrawals, regulator notices (JSON and a printable plain-text document) and alerts.
// Amounts leave as decimal strings at each asset's scale; instants as ISO-8601 with the milliseconds beside.

import { assert } from '../../core/assert.ts';
import { formatAmount } from '../../core/money/amount.ts';
import type { Break, TopUpInstruction } from '../../core/segregation/reconcile.ts';
import {
  type LineDifference,
  type SegregationRegime,
  verifySeal,
} from '../../core/segregation/sealed-statement.ts';
import {
  compareText,
  type SegmentLines,
  type SegmentStatus,
  segmentKey,
} from '../../core/segregation/statement.ts';
import {
  diffJson,
  encodeCsv,
  formatInstantIso,
  type LineDifferenceJson,
  type ScaleOf,
  type StatementJson,
  type StatementSegmentJson,
  segmentJson,
  statementJson,
} from '../../core/segregation/statement-report.ts';
import type { LedgerService } from '../ledger-service.ts';
import type { ReconciliationRecord, RegulatorNotice, WithdrawalAccounts } from './segregation-events.ts';
import type {
  AlertRecord,
  BreakRecord,
  SegregationState,
  StatementRecord,
  WithdrawalRecord,
  WithdrawalStatus,
} from './segregation-state.ts';

/** The scale of every registered asset, read once (assets are never removed and their scales never change). */
export async function readScales(ledger: LedgerService): Promise<ScaleOf> {
  const scales = await ledger.read(
    (engine) => new Map(engine.listAssets().map((asset) => [asset.code, asset.scale])),
  );
  return (asset) => {
    const scale = scales.get(asset);
    assert(scale !== undefined, `segregation records name registered assets: ${asset}`);
    return scale;
  };
}

// ---- statements ------------------------------------------------------------------------------------------

/** A statement's standing: a draft, the finalised statement, or a finalised one a correction replaced. */
export type StatementStatus = 'draft' | 'final' | 'superseded';

/** The standing of a statement record. */
export function statementStatusOf(record: StatementRecord): StatementStatus {
  if (record.sealed === null) return 'draft';
  return record.supersededBy === null ? 'final' : 'superseded';
}

/** One segment's outcome on a statement, for lists. */
export interface StatementSegmentSummaryView {
  readonly asset: string;
  readonly accountClass: string;
  readonly status: SegmentStatus;
  readonly requirement: string;
  readonly excess: string;
}

/** A statement in a list: who computed and sealed it, where it stands, and each segment's status. */
export interface StatementSummaryView {
  readonly id: string;
  readonly businessDate: string;
  readonly regime: SegregationRegime;
  readonly status: StatementStatus;
  readonly supersedes: string | null;
  readonly supersededBy: string | null;
  readonly hash: string | null;
  readonly cutoffSeq: number;
  readonly computedAtMs: number;
  readonly computedAt: string;
  readonly computedBy: string;
  readonly finalisedAtMs: number | null;
  readonly finalisedAt: string | null;
  readonly finalisedBy: string | null;
  readonly segments: readonly StatementSegmentSummaryView[];
}

/** Summarises a statement record. */
export function statementSummaryView(record: StatementRecord, scaleOf: ScaleOf): StatementSummaryView {
  const statement = record.sealed ?? record.draft;
  return {
    id: statement.id,
    businessDate: statement.businessDate,
    regime: statement.regime,
    status: statementStatusOf(record),
    supersedes: statement.supersedes?.id ?? null,
    supersededBy: record.supersededBy,
    hash: record.sealed?.hash ?? null,
    cutoffSeq: statement.cutoff.seq,
    computedAtMs: statement.computedAtMs,
    computedAt: formatInstantIso(statement.computedAtMs),
    computedBy: statement.computedBy,
    finalisedAtMs: record.sealed?.finalisedAtMs ?? null,
    finalisedAt: record.sealed === null ? null : formatInstantIso(record.sealed.finalisedAtMs),
    finalisedBy: record.sealed?.finalisedBy ?? null,
    segments: statement.segments.map((segment) => {
      const scale = scaleOf(segment.asset);
      return {
        asset: segment.asset,
        accountClass: segment.accountClass,
        status: segment.status,
        requirement: formatAmount(segment.requirementMinor, scale),
        excess: formatAmount(segment.excessMinor, scale),
      };
    }),
  };
}

/** A statement in full (`statementJson`), with its standing, its replacement and whether its seal verifies. */
export type StatementView = Omit<StatementJson, 'status'> & {
  readonly status: StatementStatus;
  readonly supersededBy: string | null;
  /** The seal recomputed from the content matches its hash; null for a draft (no seal yet). */
  readonly sealVerified: boolean | null;
};

/** The full view of a statement record: the sealed statement once finalised, the draft before. */
export function statementView(record: StatementRecord, scaleOf: ScaleOf): StatementView {
  return {
    ...statementJson(record.sealed ?? record.draft, scaleOf),
    status: statementStatusOf(record),
    supersededBy: record.supersededBy,
    sealVerified: record.sealed === null ? null : verifySeal(record.sealed),
  };
}

/** The lines that changed from one statement to another. */
export interface StatementDiffView {
  readonly from: string;
  readonly to: string;
  readonly differences: readonly LineDifferenceJson[];
}

/** The diff of statement `from` to statement `to`. */
export function statementDiffView(
  from: string,
  to: string,
  differences: readonly LineDifference[],
  scaleOf: ScaleOf,
): StatementDiffView {
  return { from, to, differences: diffJson(differences, scaleOf) };
}

/** The statement lines at the journal head now: computed on request, never recorded. */
export interface ProFormaView {
  readonly computedAtMs: number;
  readonly computedAt: string;
  readonly segments: readonly StatementSegmentJson[];
}

/** The pro-forma view of segments computed at `nowMs`. */
export function proFormaView(
  segments: readonly SegmentLines[],
  nowMs: number,
  scaleOf: ScaleOf,
): ProFormaView {
  return {
    computedAtMs: nowMs,
    computedAt: formatInstantIso(nowMs),
    segments: segments.map((segment) => segmentJson(segment, scaleOf(segment.asset))),
  };
}

// ---- targets ---------------------------------------------------------------------------------------------

/** One version of a segment's targeted residual interest. */
export interface TargetView {
  readonly asset: string;
  readonly accountClass: string;
  readonly amount: string;
  readonly approvalReference: string;
  readonly setBy: string;
  readonly setAtMs: number;
  readonly setAt: string;
  /** The segregation event that recorded it. */
  readonly seq: number;
}

/** The targets in force (one per segment, by asset then account class) and every version ever set, oldest first. */
export interface TargetsView {
  readonly targets: readonly TargetView[];
  readonly history: readonly TargetView[];
}

/** The targets of the folded state. */
export function targetsView(state: SegregationState, scaleOf: ScaleOf): TargetsView {
  const history = state.targetHistory.map(
    (event): TargetView => ({
      asset: event.asset,
      accountClass: event.accountClass,
      amount: formatAmount(event.amountMinor, scaleOf(event.asset)),
      approvalReference: event.approvalReference,
      setBy: event.setBy,
      setAtMs: event.atMs,
      setAt: formatInstantIso(event.atMs),
      seq: event.seq,
    }),
  );
  // The newest version of each segment is the one in force (the history is in event order).
  const current = new Map<string, TargetView>();
  for (const target of history) current.set(segmentKey(target.asset, target.accountClass), target);
  const targets = [...current.values()].sort(
    (a, b) => compareText(a.asset, b.asset) || compareText(a.accountClass, b.accountClass),
  );
  return { targets, history };
}

// ---- reconciliations, breaks, top-ups --------------------------------------------------------------------

/** A break as one reconciliation run saw it. */
export interface RunBreakView {
  readonly id: string;
  readonly source: Break['source'];
  readonly vaultId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly direction: Break['direction'];
  readonly amount: string;
  readonly firstSeenAtMs: number;
  readonly firstSeenAt: string;
  readonly lastSeenAtMs: number;
  readonly lastSeenAt: string;
  readonly firstSeenRunId: string;
  readonly lastSeenRunId: string;
  /** How long it had been open when the run saw it. */
  readonly ageMs: number;
}

/** An instruction to the house to pay coins into a short segregated vault. */
export interface TopUpView {
  readonly id: string;
  readonly breakId: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly vaultId: string;
  readonly from: 'house';
  readonly amount: string;
  readonly dueAtMs: number;
  readonly dueAt: string;
}

/** What every view of a reconciliation run starts with. */
export interface ReconciliationHeaderView {
  readonly id: string;
  readonly atMs: number;
  readonly at: string;
  readonly by: string;
  /** The journal position the books were read at. */
  readonly ledgerSeq: number;
  readonly source: Break['source'];
  readonly sourceReference: string;
}

function reconciliationHeaderView(run: ReconciliationRecord): ReconciliationHeaderView {
  return {
    id: run.id,
    atMs: run.atMs,
    at: formatInstantIso(run.atMs),
    by: run.by,
    ledgerSeq: run.ledgerSeq,
    source: run.external.source,
    sourceReference: run.external.sourceReference,
  };
}

/** One reconciliation run in full. */
export interface ReconciliationView extends ReconciliationHeaderView {
  readonly custodianStatement: { readonly custodian: string; readonly statementDate: string } | null;
  /** Books against books per segment: segregated custody = customer claims + residual interest. */
  readonly internal: readonly {
    readonly asset: string;
    readonly accountClass: string;
    readonly segregatedCustody: string;
    readonly customerClaims: string;
    readonly residualInterest: string;
    readonly difference: string;
    readonly balanced: boolean;
  }[];
  /** Books against the source per vault and asset: difference = observed − ledger. */
  readonly external: readonly {
    readonly vaultId: string;
    readonly asset: string;
    readonly accountClass: string;
    readonly ledger: string;
    readonly observed: string;
    readonly difference: string;
  }[];
  /** Ledger rows the source did not cover: not breaks. */
  readonly notCovered: readonly {
    readonly vaultId: string;
    readonly asset: string;
    readonly accountClass: string;
    readonly ledger: string;
  }[];
  readonly breaks: readonly RunBreakView[];
  /** Breaks this run found closed (auto-cleared). */
  readonly cleared: readonly string[];
  /** Open breaks this run could not re-check. */
  readonly carriedOver: readonly string[];
  readonly shortfalls: readonly {
    readonly asset: string;
    readonly accountClass: string;
    readonly shortfall: string;
  }[];
  readonly topUps: readonly TopUpView[];
  readonly totals: readonly {
    readonly asset: string;
    readonly ledger: string;
    readonly observed: string;
    readonly difference: string;
  }[];
}

/** The full view of a reconciliation run. */
export function reconciliationView(run: ReconciliationRecord, scaleOf: ScaleOf): ReconciliationView {
  const amount = (asset: string, minor: bigint): string => formatAmount(minor, scaleOf(asset));
  const { external } = run;
  return {
    ...reconciliationHeaderView(run),
    custodianStatement: run.custodianStatement === null ? null : { ...run.custodianStatement },
    internal: run.internal.map((line) => ({
      asset: line.asset,
      accountClass: line.accountClass,
      segregatedCustody: amount(line.asset, line.segregatedCustodyMinor),
      customerClaims: amount(line.asset, line.customerClaimsMinor),
      residualInterest: amount(line.asset, line.residualInterestMinor),
      difference: amount(line.asset, line.differenceMinor),
      balanced: line.balanced,
    })),
    external: external.lines.map((line) => ({
      vaultId: line.vaultId,
      asset: line.asset,
      accountClass: line.accountClass,
      ledger: amount(line.asset, line.ledgerMinor),
      observed: amount(line.asset, line.observedMinor),
      difference: amount(line.asset, line.differenceMinor),
    })),
    notCovered: external.notCovered.map((row) => ({
      vaultId: row.vaultId,
      asset: row.asset,
      accountClass: row.accountClass,
      ledger: amount(row.asset, row.ledgerMinor),
    })),
    breaks: external.breaks.map((item) => runBreakView(item, scaleOf)),
    cleared: [...external.cleared],
    carriedOver: [...external.carriedOver],
    shortfalls: external.shortfalls.map((shortfall) => ({
      asset: shortfall.asset,
      accountClass: shortfall.accountClass,
      shortfall: amount(shortfall.asset, shortfall.shortfallMinor),
    })),
    topUps: external.topUps.map((topUp) => topUpView(topUp, scaleOf)),
    totals: external.totals.map((total) => ({
      asset: total.asset,
      ledger: amount(total.asset, total.ledgerMinor),
      observed: amount(total.asset, total.observedMinor),
      difference: amount(total.asset, total.observedMinor - total.ledgerMinor),
    })),
  };
}

/** A reconciliation run in a list. */
export interface ReconciliationSummaryView extends ReconciliationHeaderView {
  readonly lines: number;
  readonly breaks: number;
  readonly topUps: number;
  /** Every segment's internal identity holds. */
  readonly internalBalanced: boolean;
}

/** Summarises a reconciliation run. */
export function reconciliationSummaryView(run: ReconciliationRecord): ReconciliationSummaryView {
  return {
    ...reconciliationHeaderView(run),
    lines: run.external.lines.length,
    breaks: run.external.breaks.length,
    topUps: run.external.topUps.length,
    internalBalanced: run.internal.every((line) => line.balanced),
  };
}

const RECONCILIATION_CSV_HEADER = [
  'reconciliation_id',
  'source',
  'source_reference',
  'vault_id',
  'asset',
  'account_class',
  'ledger',
  'observed',
  'difference',
  'break_id',
  'direction',
] as const;

const RECONCILIATION_INTERNAL_CSV_HEADER = [
  'reconciliation_id',
  'asset',
  'account_class',
  'segregated_custody',
  'customer_claims',
  'residual_interest',
  'difference',
  'balanced',
] as const;

/**
 * The external lines of a run as CSV (RFC 4180 quoting, LF line endings, header row): one row per vault and
 * asset the source covered, with the break open on it after the run (empty when none).
 */
export function reconciliationCsv(run: ReconciliationRecord, scaleOf: ScaleOf): string {
  const { external } = run;
  const breaks = new Map(external.breaks.map((item) => [`${item.vaultId}\u0000${item.asset}`, item]));
  const rows: string[][] = [[...RECONCILIATION_CSV_HEADER]];
  for (const line of external.lines) {
    const scale = scaleOf(line.asset);
    const open = breaks.get(`${line.vaultId}\u0000${line.asset}`);
    rows.push([
      run.id,
      external.source,
      external.sourceReference,
      line.vaultId,
      line.asset,
      line.accountClass,
      formatAmount(line.ledgerMinor, scale),
      formatAmount(line.observedMinor, scale),
      formatAmount(line.differenceMinor, scale),
      open?.id ?? '',
      open?.direction ?? '',
    ]);
  }
  return encodeCsv(rows);
}

/** The internal lines of a run as CSV: one row per segment, `balanced` is `true` or `false`. */
export function reconciliationInternalCsv(run: ReconciliationRecord, scaleOf: ScaleOf): string {
  const rows: string[][] = [[...RECONCILIATION_INTERNAL_CSV_HEADER]];
  for (const line of run.internal) {
    const scale = scaleOf(line.asset);
    rows.push([
      run.id,
      line.asset,
      line.accountClass,
      formatAmount(line.segregatedCustodyMinor, scale),
      formatAmount(line.customerClaimsMinor, scale),
      formatAmount(line.residualInterestMinor, scale),
      formatAmount(line.differenceMinor, scale),
      String(line.balanced),
    ]);
  }
  return encodeCsv(rows);
}

function runBreakView(item: Break, scaleOf: ScaleOf): RunBreakView {
  return {
    id: item.id,
    source: item.source,
    vaultId: item.vaultId,
    asset: item.asset,
    accountClass: item.accountClass,
    direction: item.direction,
    amount: formatAmount(item.amountMinor, scaleOf(item.asset)),
    firstSeenAtMs: item.firstSeenAtMs,
    firstSeenAt: formatInstantIso(item.firstSeenAtMs),
    lastSeenAtMs: item.lastSeenAtMs,
    lastSeenAt: formatInstantIso(item.lastSeenAtMs),
    firstSeenRunId: item.firstSeenRunId,
    lastSeenRunId: item.lastSeenRunId,
    ageMs: item.ageMs,
  };
}

/** A break as it stands now: open (a shortfall when unfavourable), resolved (audited) or cleared. */
export type BreakView = Omit<RunBreakView, 'ageMs'> & {
  readonly status: BreakRecord['status'];
  /** Open: now − first seen; resolved: resolution − first seen; cleared: the clearing run − first seen. */
  readonly ageMs: number;
  readonly resolution: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAtMs: number | null;
  readonly resolvedAt: string | null;
  readonly clearedByRunId: string | null;
};

/** The view of a break record; `nowMs` ages open breaks, `state` finds when a clearing run ran. */
export function breakView(
  record: BreakRecord,
  scaleOf: ScaleOf,
  nowMs: number,
  state: SegregationState,
): BreakView {
  const item = record.current;
  let endMs: number;
  switch (record.status) {
    case 'open':
      endMs = nowMs;
      break;
    case 'resolved':
      assert(record.resolution !== null, 'a resolved break carries its resolution');
      endMs = record.resolution.atMs;
      break;
    case 'cleared':
      endMs = state.reconciliations.get(record.clearedByRunId ?? '')?.atMs ?? item.lastSeenAtMs;
      break;
  }
  const resolution = record.resolution;
  return {
    ...runBreakView(item, scaleOf),
    status: record.status,
    ageMs: Math.max(0, endMs - item.firstSeenAtMs),
    resolution: resolution?.resolution ?? null,
    resolvedBy: resolution?.resolvedBy ?? null,
    resolvedAtMs: resolution?.atMs ?? null,
    resolvedAt: resolution === null ? null : formatInstantIso(resolution.atMs),
    clearedByRunId: record.clearedByRunId,
  };
}

/** The view of a top-up instruction. */
export function topUpView(topUp: TopUpInstruction, scaleOf: ScaleOf): TopUpView {
  return {
    id: topUp.id,
    breakId: topUp.breakId,
    asset: topUp.asset,
    accountClass: topUp.accountClass,
    vaultId: topUp.vaultId,
    from: topUp.from,
    amount: formatAmount(topUp.amountMinor, scaleOf(topUp.asset)),
    dueAtMs: topUp.dueAtMs,
    dueAt: formatInstantIso(topUp.dueAtMs),
  };
}

// ---- residual-interest withdrawals, notices --------------------------------------------------------------

/** A house request to take residual interest out of segregation, and what became of it. */
export interface ResidualInterestWithdrawalView {
  readonly id: string;
  readonly status: WithdrawalStatus;
  readonly asset: string;
  readonly accountClass: string;
  readonly amount: string;
  readonly reason: string;
  readonly recipient: string;
  readonly requestedBy: string;
  readonly requestedAtMs: number;
  readonly requestedAt: string;
  readonly accounts: WithdrawalAccounts;
  /** The ledger transfer that carries it out once the gate allows. */
  readonly transferId: string;
  /** Officers' API key ids, in the order they approved. */
  readonly approvals: readonly {
    readonly officerKeyId: string;
    readonly atMs: number;
    readonly at: string;
  }[];
  readonly execution: {
    readonly transferId: string;
    readonly seq: number;
    readonly atMs: number;
    readonly at: string;
  } | null;
  /** The gate's (or the ledger's) refusal, recorded. */
  readonly refusal: { readonly code: string; readonly message: string } | null;
  /** The regulator notice the withdrawal required (over 25% of residual interest). */
  readonly noticeId: string | null;
}

/** The view of a residual-interest withdrawal record. */
export function residualInterestWithdrawalView(
  record: WithdrawalRecord,
  scaleOf: ScaleOf,
): ResidualInterestWithdrawalView {
  const { request, execution } = record;
  return {
    id: request.id,
    status: record.status,
    asset: request.asset,
    accountClass: request.accountClass,
    amount: formatAmount(request.amountMinor, scaleOf(request.asset)),
    reason: request.reason,
    recipient: request.recipient,
    requestedBy: request.requestedBy,
    requestedAtMs: request.requestedAtMs,
    requestedAt: formatInstantIso(request.requestedAtMs),
    accounts: {
      residualInterestAccountId: request.residualInterestAccountId,
      houseEquityAccountId: request.houseEquityAccountId,
      segregatedCustodyAccountId: request.segregatedCustodyAccountId,
      houseCustodyAccountId: request.houseCustodyAccountId,
    },
    transferId: request.transferId,
    approvals: record.approvals.map((approval) => ({
      officerKeyId: approval.officerKeyId,
      atMs: approval.atMs,
      at: formatInstantIso(approval.atMs),
    })),
    execution:
      execution === null
        ? null
        : {
            transferId: execution.transferId,
            seq: execution.seq,
            atMs: execution.atMs,
            at: formatInstantIso(execution.atMs),
          },
    refusal: record.refusal === null ? null : { ...record.refusal },
    noticeId: record.noticeId,
  };
}

/** A notice to the regulator of a withdrawal above 25% of residual interest. */
export interface NoticeView {
  readonly id: string;
  readonly requestId: string;
  readonly issuedAtMs: number;
  readonly issuedAt: string;
  readonly asset: string;
  readonly accountClass: string;
  readonly amount: string;
  readonly reason: string;
  readonly recipient: string;
  readonly approvers: readonly string[];
  readonly referenceStatementId: string;
  readonly referenceResidualInterest: string;
  readonly cumulativeWithdrawn: string;
  readonly remainingResidualInterest: string;
  readonly certification: string;
}

/** The view of a regulator notice. */
export function noticeView(notice: RegulatorNotice, scaleOf: ScaleOf): NoticeView {
  const amount = (minor: bigint): string => formatAmount(minor, scaleOf(notice.asset));
  return {
    id: notice.id,
    requestId: notice.requestId,
    issuedAtMs: notice.issuedAtMs,
    issuedAt: formatInstantIso(notice.issuedAtMs),
    asset: notice.asset,
    accountClass: notice.accountClass,
    amount: amount(notice.amountMinor),
    reason: notice.reason,
    recipient: notice.recipient,
    approvers: [...notice.approvers],
    referenceStatementId: notice.referenceStatementId,
    referenceResidualInterest: amount(notice.referenceResidualInterestMinor),
    cumulativeWithdrawn: amount(notice.cumulativeWithdrawnMinor),
    remainingResidualInterest: amount(notice.remainingResidualInterestMinor),
    certification: notice.certification,
  };
}

/** Width of the printed notice's text. */
const NOTICE_WIDTH = 78;

/**
 * The notice as a printable plain-text document for the regulator (no markup): the firm, the withdrawal, its
 * measure against the reference statement's residual interest, the approving officers, the certification
 * and a signature block.
 */
export function noticeText(notice: RegulatorNotice, scaleOf: ScaleOf, firmName: string): string {
  const view = noticeView(notice, scaleOf);
  const money = (amount: string): string => `${amount} ${view.asset}`;
  const title = 'NOTICE OF WITHDRAWAL OF RESIDUAL INTEREST FROM SEGREGATION';
  const fields: [string, string][] = [
    ['Firm', firmName],
    ['Notice', view.id],
    ['Issued', printedInstant(view.issuedAtMs)],
    ['Withdrawal request', view.requestId],
    ['Asset', view.asset],
    ['Customer account class', view.accountClass],
    ['Amount withdrawn', money(view.amount)],
    ['Purpose', view.reason],
    ['Recipient', view.recipient],
    ['Reference statement', view.referenceStatementId],
    ['Residual interest on it', money(view.referenceResidualInterest)],
    ['Withdrawn since, cumulative', money(view.cumulativeWithdrawn)],
    ['Residual interest remaining', `${money(view.remainingResidualInterest)} (pro forma)`],
    ['Approved by (officers)', view.approvers.join(', ')],
  ];
  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  const lines = [
    title,
    '='.repeat(title.length),
    '',
    ...fields.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`),
    '',
    'The cumulative withdrawals of residual interest since the reference statement exceed 25% of the',
    'residual interest it reports (CFTC 1.23(c), NFA Financial Requirements Section 16).',
    '',
    'Certification',
    '-------------',
    ...wrapText(view.certification, NOTICE_WIDTH),
    '',
    'Signed (Chief Executive Officer or Chief Financial Officer):',
    '',
    'Name:      ______________________________',
    'Title:     ______________________________',
    'Signature: ______________________________',
    'Date:      ______________________________',
  ];
  return `${lines.join('\n')}\n`;
}

// ---- alerts ----------------------------------------------------------------------------------------------

/** An alert as raised: a deficiency is critical, below target and a late finalisation are warnings. */
export interface AlertView {
  /** The segregation event that raised it (also the server-sent event id). */
  readonly seq: number;
  readonly key: string;
  readonly code: AlertRecord['code'];
  readonly severity: AlertRecord['severity'];
  readonly message: string;
  readonly asset: string | null;
  readonly accountClass: string | null;
  readonly businessDate: string | null;
  readonly statementId: string | null;
  readonly amount: string | null;
  readonly raisedAtMs: number;
  readonly raisedAt: string;
}

/** The view of an alert. */
export function alertView(alert: AlertRecord, scaleOf: ScaleOf): AlertView {
  return {
    seq: alert.seq,
    key: alert.key,
    code: alert.code,
    severity: alert.severity,
    message: alert.message,
    asset: alert.asset,
    accountClass: alert.accountClass,
    businessDate: alert.businessDate,
    statementId: alert.statementId,
    amount:
      alert.amountMinor === null || alert.asset === null
        ? null
        : formatAmount(alert.amountMinor, scaleOf(alert.asset)),
    raisedAtMs: alert.raisedAtMs,
    raisedAt: formatInstantIso(alert.raisedAtMs),
  };
}

// ---- helpers ---------------------------------------------------------------------------------------------

/** `2030-01-02 10:00:00 UTC`. */
function printedInstant(ms: number): string {
  const iso = formatInstantIso(ms);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Breaks text into lines of at most `width` characters at spaces (a longer word stands alone). */
function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}
