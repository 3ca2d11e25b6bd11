// The residual-interest withdrawal gate: the house may take its own money out of segregation only when
//   (a) the prior business day's statement is finalised (JAC Regulatory Alert 18-04),
//   (b) the pro-forma excess after the withdrawal stays ≥ 0 (no override exists), and ≥ the targeted residual
//       interest unless two officers approve an override (CFTC 1.11, NFA Financial Requirements §16),
//   (c) withdrawals since the last finalised statement, this one included, above 25% of that statement's
//       residual interest carry two officer approvals recorded before execution, and a notice to the
//       regulator (CFTC 1.23(c), NFA §16).

import { type Rejected, rejected } from '../custody/rejection.ts';

/** The finalised statement a withdrawal is measured against, for the withdrawal's segment. */
export interface GateReferenceStatement {
  readonly id: string;
  readonly businessDate: string;
  /** The last journal batch the statement included. */
  readonly cutoffSeq: number;
  /** The segment's excess (residual interest) on that statement. */
  readonly excessMinor: bigint;
}

export interface GateInput {
  readonly amountMinor: bigint;
  /** The business day whose statement must be finalised: the one before the withdrawal's day. */
  readonly requiredBusinessDate: string;
  /** The latest finalised statement for the segment; null when there is none. */
  readonly reference: GateReferenceStatement | null;
  /** The segment's excess now, before the withdrawal (a pro-forma statement at the journal head). */
  readonly currentExcessMinor: bigint;
  readonly targetMinor: bigint;
  /** Gated withdrawals already booked after the reference statement's cut-off. */
  readonly withdrawnSinceReferenceMinor: bigint;
  /** Distinct officers whose approval is recorded for this withdrawal. */
  readonly officerApprovals: number;
}

/** How many distinct officers must approve an override or a withdrawal over the 25% threshold. */
export const OFFICER_APPROVALS_REQUIRED = 2;

/** What the gate found, whether or not the withdrawal may go ahead yet. */
export interface GateAssessment {
  readonly proFormaExcessMinor: bigint;
  /** The pro-forma excess is below the target: an override needs two officers. */
  readonly belowTarget: boolean;
  /** Cumulative withdrawals since the reference statement, this one included. */
  readonly cumulativeMinor: bigint;
  /** 25% of the reference statement's residual interest, rounded down (the threshold is exceeded above it). */
  readonly quarterOfReferenceMinor: bigint;
  /** Cumulative withdrawals exceed 25% of the reference residual interest: officers approve, regulator is told. */
  readonly overQuarter: boolean;
  readonly approvalsRequired: number;
}

export type GateErrorCode =
  | 'residual_interest_amount_invalid'
  | 'residual_interest_statement_not_finalised'
  | 'residual_interest_withdrawal_creates_deficiency'
  | 'residual_interest_below_target_override_required'
  | 'residual_interest_over_25_percent_approval_required';

/** The withdrawal may be executed now; `assessment.overQuarter` means a regulator notice must go out. */
export type GateResult = { readonly ok: true; readonly assessment: GateAssessment } | Rejected<GateErrorCode>;

/** Assesses a withdrawal without checking approvals: what it would need. Hard failures are rejections. */
export function assessResidualInterestWithdrawal(
  input: GateInput,
): { readonly ok: true; readonly assessment: GateAssessment } | Rejected<GateErrorCode> {
  if (input.amountMinor <= 0n) {
    return rejected(
      'residual_interest_amount_invalid',
      'a residual-interest withdrawal moves a positive amount',
      {
        amount: input.amountMinor.toString(),
      },
    );
  }
  const reference = input.reference;
  if (reference === null || reference.businessDate < input.requiredBusinessDate) {
    return rejected(
      'residual_interest_statement_not_finalised',
      `residual interest may leave segregation only once the statement for ${input.requiredBusinessDate} is finalised`,
      { requiredBusinessDate: input.requiredBusinessDate, latestFinalised: reference?.businessDate ?? null },
    );
  }
  const proForma = input.currentExcessMinor - input.amountMinor;
  if (proForma < 0n) {
    return rejected(
      'residual_interest_withdrawal_creates_deficiency',
      'the withdrawal would leave customer funds under-segregated; no approval can override this',
      {
        currentExcess: input.currentExcessMinor.toString(),
        amount: input.amountMinor.toString(),
        proFormaExcess: proForma.toString(),
      },
    );
  }
  const cumulative = input.withdrawnSinceReferenceMinor + input.amountMinor;
  const referenceExcess = reference.excessMinor > 0n ? reference.excessMinor : 0n;
  // cumulative > 25% × RI  ⇔  4 × cumulative > RI: compared exactly, no division.
  const overQuarter = 4n * cumulative > referenceExcess;
  const belowTarget = proForma < input.targetMinor;
  return {
    ok: true,
    assessment: {
      proFormaExcessMinor: proForma,
      belowTarget,
      cumulativeMinor: cumulative,
      quarterOfReferenceMinor: referenceExcess / 4n, // floor: informational, the test above is exact
      overQuarter,
      approvalsRequired: belowTarget || overQuarter ? OFFICER_APPROVALS_REQUIRED : 0,
    },
  };
}

/** The gate: may the withdrawal be executed now, with the approvals recorded so far? */
export function checkResidualInterestWithdrawal(input: GateInput): GateResult {
  const assessed = assessResidualInterestWithdrawal(input);
  if (!assessed.ok) return assessed;
  const { assessment } = assessed;
  if (input.officerApprovals >= assessment.approvalsRequired) return assessed;
  const details = {
    approvalsRequired: assessment.approvalsRequired,
    approvalsRecorded: input.officerApprovals,
    proFormaExcess: assessment.proFormaExcessMinor.toString(),
    target: input.targetMinor.toString(),
    cumulative: assessment.cumulativeMinor.toString(),
    referenceExcess: (input.reference?.excessMinor ?? 0n).toString(),
  };
  if (assessment.belowTarget) {
    return rejected(
      'residual_interest_below_target_override_required',
      'the withdrawal would leave the excess below the targeted residual interest: two officers must approve an override',
      details,
    );
  }
  return rejected(
    'residual_interest_over_25_percent_approval_required',
    'withdrawals since the last finalised statement would exceed 25% of its residual interest: two officers must approve first',
    details,
  );
}
