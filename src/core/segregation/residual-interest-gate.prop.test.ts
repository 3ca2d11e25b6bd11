// Properties of the residual-interest withdrawal gate over random inputs: two officer approvals override
// everything but an invalid amount, a missing finalised statement and a deficiency; without approvals an allowed
// withdrawal keeps the target and stays within 25% of the reference; and the check agrees with the assessment.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessResidualInterestWithdrawal,
  checkResidualInterestWithdrawal,
  type GateInput,
  OFFICER_APPROVALS_REQUIRED,
} from './residual-interest-gate.ts';

const money = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
const gateInput: fc.Arbitrary<GateInput> = fc.record({
  amountMinor: money,
  requiredBusinessDate: fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-03'),
  reference: fc.option(
    fc.record({
      id: fc.constant('stmt'),
      businessDate: fc.constantFrom('2026-03-01', '2026-03-02', '2026-03-03'),
      cutoffSeq: fc.nat(),
      excessMinor: money,
    }),
    { nil: null },
  ),
  currentExcessMinor: money,
  targetMinor: fc.bigInt({ min: 0n, max: 10n ** 15n }),
  withdrawnSinceReferenceMinor: fc.bigInt({ min: 0n, max: 10n ** 15n }),
  officerApprovals: fc.nat({ max: 4 }),
});

describe('checkResidualInterestWithdrawal: properties', () => {
  it('with two or more approvals, only the rules no approval overrides can refuse', () => {
    fc.assert(
      fc.property(gateInput, fc.integer({ min: 2, max: 10 }), (input, officerApprovals) => {
        const result = checkResidualInterestWithdrawal({ ...input, officerApprovals });
        if (!result.ok) {
          expect([
            'residual_interest_amount_invalid',
            'residual_interest_statement_not_finalised',
            'residual_interest_withdrawal_creates_deficiency',
          ]).toContain(result.error.code);
        }
      }),
    );
  });

  it('with no approvals, an allowed withdrawal leaves the target and stays within 25% of the reference', () => {
    fc.assert(
      fc.property(gateInput, (input) => {
        const result = checkResidualInterestWithdrawal({ ...input, officerApprovals: 0 });
        if (result.ok) {
          const cumulative = input.withdrawnSinceReferenceMinor + input.amountMinor;
          expect(result.assessment.proFormaExcessMinor).toBe(input.currentExcessMinor - input.amountMinor);
          expect(result.assessment.proFormaExcessMinor >= input.targetMinor).toBe(true);
          expect(result.assessment.proFormaExcessMinor >= 0n).toBe(true);
          expect(4n * cumulative <= input.reference!.excessMinor).toBe(true);
          expect(result.assessment.approvalsRequired).toBe(0);
        }
      }),
    );
  });

  it('the check agrees with the assessment: allowed exactly when approvals recorded ≥ approvals required', () => {
    fc.assert(
      fc.property(gateInput, (input) => {
        const assessed = assessResidualInterestWithdrawal(input);
        const checked = checkResidualInterestWithdrawal(input);
        if (!assessed.ok) {
          expect(checked).toEqual(assessed);
          return;
        }
        const { assessment } = assessed;
        expect(assessment.approvalsRequired).toBe(
          assessment.belowTarget || assessment.overQuarter ? OFFICER_APPROVALS_REQUIRED : 0,
        );
        expect(checked.ok).toBe(input.officerApprovals >= assessment.approvalsRequired);
        if (!checked.ok) {
          expect(checked.error.code).toBe(
            assessment.belowTarget
              ? 'residual_interest_below_target_override_required'
              : 'residual_interest_over_25_percent_approval_required',
          );
        }
      }),
    );
  });
});
