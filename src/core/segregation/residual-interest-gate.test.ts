// Proves the residual-interest withdrawal gate on worked examples (reference statement excess 1,000.00 USDC,
// target 600.00): the prior-day statement must be finalised, a deficiency can never be overridden, a pro forma
// below target needs two officers, cumulative withdrawals above 25% of the reference residual interest need two
// officers (exactly 25% does not), and non-positive amounts are refused. Properties over random inputs are in
// residual-interest-gate.prop.test.ts.

import { describe, expect, it } from 'vitest';
import {
  assessResidualInterestWithdrawal,
  checkResidualInterestWithdrawal,
  type GateErrorCode,
  type GateInput,
  OFFICER_APPROVALS_REQUIRED,
} from './residual-interest-gate.ts';

// USDC has scale 6: amounts are written `whole_decimals`, so 1_000_000000n is 1,000.000000 USDC.
const CENT = 10_000n;

const REFERENCE = {
  id: 'stmt-2026-03-02',
  businessDate: '2026-03-02',
  cutoffSeq: 1_200,
  excessMinor: 1_000_000000n,
};

function gate(overrides: Partial<GateInput>): GateInput {
  return {
    amountMinor: 200_000000n,
    requiredBusinessDate: '2026-03-02',
    reference: REFERENCE,
    currentExcessMinor: 1_000_000000n,
    targetMinor: 600_000000n,
    withdrawnSinceReferenceMinor: 0n,
    officerApprovals: 0,
    ...overrides,
  };
}

function codeOf(input: GateInput): GateErrorCode | 'ok' {
  const result = checkResidualInterestWithdrawal(Object.freeze(input));
  return result.ok ? 'ok' : result.error.code;
}

describe('checkResidualInterestWithdrawal: the prior-day statement must be finalised', () => {
  it('refuses when no statement has been finalised', () => {
    const result = checkResidualInterestWithdrawal(gate({ reference: null, officerApprovals: 2 }));
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'residual_interest_statement_not_finalised',
        details: { requiredBusinessDate: '2026-03-02', latestFinalised: null },
      },
    });
  });

  it('refuses when the latest finalised statement is older than the required business day', () => {
    const result = checkResidualInterestWithdrawal(
      gate({ reference: { ...REFERENCE, businessDate: '2026-02-27' }, officerApprovals: 2 }),
    );
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'residual_interest_statement_not_finalised',
        details: { latestFinalised: '2026-02-27' },
      },
    });
  });

  it('accepts the required day or a newer one', () => {
    expect(codeOf(gate({}))).toBe('ok');
    expect(codeOf(gate({ reference: { ...REFERENCE, businessDate: '2026-03-03' } }))).toBe('ok');
  });
});

describe('checkResidualInterestWithdrawal: worked examples', () => {
  it('200.00 out of 1,000.00: pro forma 800.00, cumulative 200.00 ≤ 250.00, no approvals needed', () => {
    const result = checkResidualInterestWithdrawal(gate({ amountMinor: 200_000000n }));
    expect(result).toEqual({
      ok: true,
      assessment: {
        proFormaExcessMinor: 800_000000n,
        belowTarget: false,
        cumulativeMinor: 200_000000n,
        quarterOfReferenceMinor: 250_000000n,
        overQuarter: false,
        approvalsRequired: 0,
      },
    });
  });

  it('1,000.01 out of 1,000.00 creates a deficiency: refused even with two officer approvals', () => {
    for (const officerApprovals of [0, 1, 2, 5]) {
      const result = checkResidualInterestWithdrawal(gate({ amountMinor: 1_000_010000n, officerApprovals }));
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'residual_interest_withdrawal_creates_deficiency',
          details: { proFormaExcess: '-10000', currentExcess: '1000000000', amount: '1000010000' },
        },
      });
    }
    // Exactly the whole excess leaves 0.00: not a deficiency (but far below target and over 25%).
    expect(codeOf(gate({ amountMinor: 1_000_000000n, officerApprovals: 2 }))).toBe('ok');
  });

  it('450.00 leaves 550.00 < 600.00 target: an override needs two officers', () => {
    for (const officerApprovals of [0, 1]) {
      const result = checkResidualInterestWithdrawal(gate({ amountMinor: 450_000000n, officerApprovals }));
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'residual_interest_below_target_override_required',
          details: {
            approvalsRequired: 2,
            approvalsRecorded: officerApprovals,
            proFormaExcess: '550000000',
            target: '600000000',
          },
        },
      });
    }
    const allowed = checkResidualInterestWithdrawal(gate({ amountMinor: 450_000000n, officerApprovals: 2 }));
    expect(allowed).toMatchObject({
      ok: true,
      // 450.00 is also over 25% of 1,000.00: the regulator notice is due as well.
      assessment: {
        proFormaExcessMinor: 550_000000n,
        belowTarget: true,
        overQuarter: true,
        approvalsRequired: 2,
      },
    });
  });

  it('leaving exactly the target needs no override', () => {
    const result = assessResidualInterestWithdrawal(
      gate({ amountMinor: 100_000000n, currentExcessMinor: 700_000000n }),
    );
    expect(result).toMatchObject({
      ok: true,
      assessment: { proFormaExcessMinor: 600_000000n, belowTarget: false },
    });
  });
});

describe('checkResidualInterestWithdrawal: 25% of the reference residual interest', () => {
  // 200.00 already withdrawn since the 1,000.00 statement, so the current excess is 800.00.
  const since = { withdrawnSinceReferenceMinor: 200_000000n, currentExcessMinor: 800_000000n };

  it('200.00 + 50.00 = 250.00 is exactly 25%: no approvals needed', () => {
    const result = checkResidualInterestWithdrawal(gate({ ...since, amountMinor: 50_000000n }));
    expect(result).toMatchObject({
      ok: true,
      assessment: {
        proFormaExcessMinor: 750_000000n,
        cumulativeMinor: 250_000000n,
        quarterOfReferenceMinor: 250_000000n,
        overQuarter: false,
        approvalsRequired: 0,
      },
    });
  });

  it('200.00 + 50.01 is over 25%: two officers first, and the approved withdrawal flags a regulator notice', () => {
    for (const officerApprovals of [0, 1]) {
      const result = checkResidualInterestWithdrawal(
        gate({ ...since, amountMinor: 50_000000n + CENT, officerApprovals }),
      );
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'residual_interest_over_25_percent_approval_required',
          details: {
            approvalsRequired: OFFICER_APPROVALS_REQUIRED,
            approvalsRecorded: officerApprovals,
            cumulative: '250010000',
            referenceExcess: '1000000000',
          },
        },
      });
    }
    const approved = checkResidualInterestWithdrawal(
      gate({ ...since, amountMinor: 50_000000n + CENT, officerApprovals: 2 }),
    );
    expect(approved).toMatchObject({
      ok: true,
      assessment: {
        proFormaExcessMinor: 749_990000n,
        belowTarget: false,
        cumulativeMinor: 250_010000n,
        overQuarter: true,
        approvalsRequired: 2,
      },
    });
  });

  it('counts earlier withdrawals: 0.01 alone is fine, 0.01 after 250.00 is over 25%', () => {
    expect(codeOf(gate({ amountMinor: CENT }))).toBe('ok');
    expect(
      codeOf(
        gate({
          amountMinor: CENT,
          withdrawnSinceReferenceMinor: 250_000000n,
          currentExcessMinor: 750_000000n,
        }),
      ),
    ).toBe('residual_interest_over_25_percent_approval_required');
  });

  it('measures against the reference statement, not the current excess', () => {
    // The current excess has grown to 5,000.00, but 25% is still of the finalised 1,000.00.
    expect(codeOf(gate({ amountMinor: 250_000000n + 1n, currentExcessMinor: 5_000_000000n }))).toBe(
      'residual_interest_over_25_percent_approval_required',
    );
  });

  it('a reference statement with a deficiency has no residual interest: any withdrawal needs approvals', () => {
    const deficient = { ...REFERENCE, excessMinor: -5_000000n };
    const result = assessResidualInterestWithdrawal(gate({ reference: deficient, amountMinor: 1n }));
    expect(result).toMatchObject({
      ok: true,
      assessment: { quarterOfReferenceMinor: 0n, overQuarter: true, approvalsRequired: 2 },
    });
  });
});

describe('checkResidualInterestWithdrawal: amount', () => {
  it('refuses zero or a negative amount, before any other check', () => {
    for (const amountMinor of [0n, -1n, -200_000000n]) {
      const result = checkResidualInterestWithdrawal(
        gate({ amountMinor, reference: null, officerApprovals: 2 }),
      );
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'residual_interest_amount_invalid', details: { amount: amountMinor.toString() } },
      });
    }
  });
});
