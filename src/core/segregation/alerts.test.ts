// Proves which alerts segregation figures raise: a statement with one deficient, one below-target and one
// compliant segment raises exactly one critical deficiency alert (amount = the deficiency) and one warning
// (amount = the shortfall to target); and the late-finalisation and reconciliation-shortfall alerts carry the
// right code, severity and de-duplication key.

import { describe, expect, it } from 'vitest';
import { lateFinalisationAlert, shortfallAlert, statementAlerts } from './alerts.ts';
import { type StatementBody, sealStatement } from './sealed-statement.ts';
import { computeSegment, type SegmentInput } from './statement.ts';

function segment(asset: string, accountClass: string, fundsHeldMinor: bigint, targetMinor: bigint) {
  const input: SegmentInput = {
    asset,
    accountClass,
    customers: [
      { customerId: 'A', ledgerBalanceMinor: 1_000n, unrealisedPnlMinor: 0n, requiredMarginMinor: 0n },
    ],
    vaults: [{ vaultId: 'v', balanceMinor: fundsHeldMinor, eligible: true, ineligibility: null }],
    residualInterestLedgerMinor: 0n,
    unresolvedShortfallMinor: 0n,
    targetResidualInterestMinor: targetMinor,
  };
  return computeSegment(input);
}

const DEFICIENT = segment('BTC', 'spot', 970n, 10n); // excess −30
const BELOW_TARGET = segment('USDC', 'derivatives', 1_040n, 100n); // excess 40, 60 short of target
const COMPLIANT = segment('USDC', 'spot', 1_100n, 100n); // excess 100 = target

const BODY: StatementBody = {
  version: 1,
  id: 'stmt-1',
  regime: 'cftc',
  businessDate: '2026-03-02',
  cutoff: { seq: 7, headHash: 'ab'.repeat(32), batchTimestampMs: 1 },
  computedAtMs: 2,
  computedBy: 'system',
  supersedes: null,
  segments: [DEFICIENT, BELOW_TARGET, COMPLIANT],
  clientMoney: [],
};

describe('statementAlerts', () => {
  it('raises one critical alert per deficient segment and one warning per segment below target', () => {
    expect([DEFICIENT.status, BELOW_TARGET.status, COMPLIANT.status]).toEqual([
      'deficient',
      'below_target',
      'compliant',
    ]);
    expect(statementAlerts(BODY)).toEqual([
      {
        key: 'segregation_deficiency:stmt-1:BTC/spot',
        code: 'segregation_deficiency',
        severity: 'critical',
        message: expect.any(String),
        asset: 'BTC',
        accountClass: 'spot',
        businessDate: '2026-03-02',
        statementId: 'stmt-1',
        amountMinor: 30n,
      },
      {
        key: 'residual_interest_below_target:stmt-1:USDC/derivatives',
        code: 'residual_interest_below_target',
        severity: 'warning',
        message: expect.any(String),
        asset: 'USDC',
        accountClass: 'derivatives',
        businessDate: '2026-03-02',
        statementId: 'stmt-1',
        amountMinor: 60n,
      },
    ]);
  });

  it('a deficient segment raises the deficiency only, not also the below-target warning', () => {
    expect(DEFICIENT.excessOverTargetMinor).toBe(-40n);
    const alerts = statementAlerts({ ...BODY, segments: [DEFICIENT] });
    expect(alerts.map((a) => [a.code, a.amountMinor])).toEqual([['segregation_deficiency', 30n]]);
  });

  it('compliant segments raise nothing, sealed or not', () => {
    expect(statementAlerts({ ...BODY, segments: [COMPLIANT] })).toEqual([]);
    expect(statementAlerts({ ...BODY, segments: [] })).toEqual([]);
    const sealed = sealStatement(BODY, 3, 'officer-1');
    expect(statementAlerts(sealed)).toEqual(statementAlerts(BODY));
  });
});

describe('lateFinalisationAlert', () => {
  it('is a warning keyed by the business day alone', () => {
    expect(lateFinalisationAlert('2026-03-02', 1_772_467_200_000)).toEqual({
      key: 'statement_finalisation_late:2026-03-02',
      code: 'statement_finalisation_late',
      severity: 'warning',
      message: expect.stringContaining('2026-03-02'),
      asset: null,
      accountClass: null,
      businessDate: '2026-03-02',
      statementId: null,
      amountMinor: null,
    });
    // The same day late again is the same condition: the key does not depend on the deadline.
    expect(lateFinalisationAlert('2026-03-02', 0).key).toBe(lateFinalisationAlert('2026-03-02', 1).key);
  });
});

describe('shortfallAlert', () => {
  it('is critical, keyed by the break id, with the shortfall amount', () => {
    expect(
      shortfallAlert({
        breakId: 'brk-1',
        asset: 'USDC',
        accountClass: 'derivatives',
        amountMinor: 25_000000n,
      }),
    ).toEqual({
      key: 'reconciliation_shortfall:brk-1',
      code: 'reconciliation_shortfall',
      severity: 'critical',
      message: expect.stringContaining('brk-1'),
      asset: 'USDC',
      accountClass: 'derivatives',
      businessDate: null,
      statementId: null,
      amountMinor: 25_000000n,
    });
  });
});
