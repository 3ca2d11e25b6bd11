// The segregation state folded from the events: targets with their history, statements (drafts and sealed),
// reconciliations and breaks, residual-interest withdrawals with their approvals, notices and alerts.

import type { AlertDraft } from '../../core/segregation/alerts.ts';
import type { Break } from '../../core/segregation/reconcile.ts';
import type { SealedStatement, StatementBody } from '../../core/segregation/sealed-statement.ts';
import { segmentKey } from '../../core/segregation/statement.ts';
import type { SegregationEventRecord } from '../../store/store.ts';
import {
  decodeSegregationEvent,
  type ReconciliationRecord,
  type RegulatorNotice,
  type ResidualInterestWithdrawalRequest,
  type TargetSetEvent,
} from './segregation-events.ts';

/** A statement as it stands: a draft, a sealed statement, or a sealed statement a correction replaced. */
export interface StatementRecord {
  readonly draft: StatementBody;
  sealed: SealedStatement | null;
  /** The id of the finalised correction that replaced this statement. */
  supersededBy: string | null;
}

/** One break as it stands, with its audited resolution or automatic clearing. */
export interface BreakRecord {
  current: Break;
  /** Open: counts as a shortfall when unfavourable. */
  status: 'open' | 'resolved' | 'cleared';
  resolution: {
    readonly resolution: string;
    readonly resolvedBy: string;
    readonly atMs: number;
    readonly seq: number;
  } | null;
  clearedByRunId: string | null;
}

export type WithdrawalStatus = 'awaiting_approvals' | 'executed' | 'refused';

export interface WithdrawalRecord {
  readonly request: ResidualInterestWithdrawalRequest;
  status: WithdrawalStatus;
  readonly approvals: { readonly officerKeyId: string; readonly atMs: number }[];
  execution: { readonly transferId: string; readonly seq: number; readonly atMs: number } | null;
  refusal: { readonly code: string; readonly message: string } | null;
  noticeId: string | null;
}

/** A raised alert with its place in the event log. */
export interface AlertRecord extends AlertDraft {
  readonly seq: number;
  readonly raisedAtMs: number;
}

/** The folded state; mutate it only through `applySegregationEvents`. */
export class SegregationState {
  /** Current target per segment key. */
  readonly targets = new Map<string, TargetSetEvent & { readonly atMs: number }>();
  readonly targetHistory: (TargetSetEvent & { readonly atMs: number; readonly seq: number })[] = [];
  readonly statements = new Map<string, StatementRecord>();
  readonly reconciliations = new Map<string, ReconciliationRecord>();
  readonly breaks = new Map<string, BreakRecord>();
  readonly withdrawals = new Map<string, WithdrawalRecord>();
  /** Withdrawals by the ledger transfer that carries them out. */
  readonly withdrawalsByTransfer = new Map<string, WithdrawalRecord>();
  readonly notices = new Map<string, RegulatorNotice>();
  readonly alerts: AlertRecord[] = [];
  readonly alertKeys = new Set<string>();
  headSeq = 0;

  /** The target amounts per segment key. */
  targetAmounts(): Map<string, bigint> {
    return new Map([...this.targets].map(([key, event]) => [key, event.amountMinor]));
  }

  /** Open unfavourable breaks per segment key: shortfalls until resolved. */
  shortfalls(): Map<string, bigint> {
    const totals = new Map<string, bigint>();
    for (const record of this.breaks.values()) {
      if (record.status !== 'open' || record.current.direction !== 'observed_below_ledger') continue;
      const key = segmentKey(record.current.asset, record.current.accountClass);
      totals.set(key, (totals.get(key) ?? 0n) + record.current.amountMinor);
    }
    return totals;
  }

  /** Open breaks of one source (the reconciler continues them). */
  openBreaks(source: Break['source']): Break[] {
    return [...this.breaks.values()]
      .filter((record) => record.status === 'open' && record.current.source === source)
      .map((record) => record.current);
  }

  /** The finalised statement in force for the latest business day: the newest seal not replaced since. */
  latestFinalised(): SealedStatement | null {
    let latest: SealedStatement | null = null;
    for (const record of this.statements.values()) {
      const sealed = record.sealed;
      if (sealed === null || record.supersededBy !== null) continue;
      if (
        latest === null ||
        sealed.businessDate > latest.businessDate ||
        (sealed.businessDate === latest.businessDate && sealed.finalisedAtMs > latest.finalisedAtMs)
      )
        latest = sealed;
    }
    return latest;
  }
}

/** Applies stored events in seq order (each exactly once). */
export function applySegregationEvents(
  state: SegregationState,
  records: readonly SegregationEventRecord[],
): void {
  for (const record of records) {
    if (record.seq <= state.headSeq) continue;
    applyOne(state, record);
    state.headSeq = record.seq;
  }
}

function applyOne(state: SegregationState, record: SegregationEventRecord): void {
  const event = decodeSegregationEvent(record);
  const atMs = record.timestampMs;
  switch (event.kind) {
    case 'target_set': {
      state.targets.set(segmentKey(event.asset, event.accountClass), { ...event, atMs });
      state.targetHistory.push({ ...event, atMs, seq: record.seq });
      return;
    }
    case 'statement_computed':
      state.statements.set(event.statement.id, { draft: event.statement, sealed: null, supersededBy: null });
      return;
    case 'statement_finalised': {
      const statement = state.statements.get(event.statement.id);
      if (statement !== undefined) statement.sealed = event.statement;
      const replaced = event.statement.supersedes;
      if (replaced !== null) {
        const old = state.statements.get(replaced.id);
        if (old !== undefined) old.supersededBy = event.statement.id;
      }
      return;
    }
    case 'reconciliation_recorded': {
      const run = event.reconciliation;
      state.reconciliations.set(run.id, run);
      for (const current of run.external.breaks) {
        const existing = state.breaks.get(current.id);
        if (existing === undefined)
          state.breaks.set(current.id, { current, status: 'open', resolution: null, clearedByRunId: null });
        else existing.current = current;
      }
      for (const id of run.external.cleared) {
        const existing = state.breaks.get(id);
        if (existing !== undefined && existing.status === 'open') {
          existing.status = 'cleared';
          existing.clearedByRunId = run.id;
        }
      }
      return;
    }
    case 'break_resolved': {
      const existing = state.breaks.get(event.breakId);
      if (existing === undefined) return;
      existing.status = 'resolved';
      existing.resolution = {
        resolution: event.resolution,
        resolvedBy: event.resolvedBy,
        atMs,
        seq: record.seq,
      };
      return;
    }
    case 'ri_withdrawal_requested': {
      const withdrawal: WithdrawalRecord = {
        request: event.request,
        status: 'awaiting_approvals',
        approvals: [],
        execution: null,
        refusal: null,
        noticeId: null,
      };
      state.withdrawals.set(event.request.id, withdrawal);
      state.withdrawalsByTransfer.set(event.request.transferId, withdrawal);
      return;
    }
    case 'ri_withdrawal_approved':
      state.withdrawals.get(event.requestId)?.approvals.push({ officerKeyId: event.officerKeyId, atMs });
      return;
    case 'ri_withdrawal_executed': {
      const withdrawal = state.withdrawals.get(event.requestId);
      if (withdrawal === undefined) return;
      withdrawal.status = 'executed';
      withdrawal.execution = { transferId: event.transferId, seq: event.seq, atMs };
      return;
    }
    case 'ri_withdrawal_refused': {
      const withdrawal = state.withdrawals.get(event.requestId);
      if (withdrawal === undefined) return;
      withdrawal.status = 'refused';
      withdrawal.refusal = { code: event.code, message: event.message };
      return;
    }
    case 'regulator_notice_issued': {
      state.notices.set(event.notice.id, event.notice);
      const withdrawal = state.withdrawals.get(event.notice.requestId);
      if (withdrawal !== undefined) withdrawal.noticeId = event.notice.id;
      return;
    }
    case 'alert_raised':
      state.alerts.push({ ...event.alert, seq: record.seq, raisedAtMs: atMs });
      state.alertKeys.add(event.alert.key);
      return;
  }
}
