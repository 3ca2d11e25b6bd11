// Proves the statement seal and the statement diff on worked examples: a sealed statement verifies, a changed
// supersedes reference or hash breaks the seal, the seal is tied to the journal head hash, and diffStatements
// reports exactly the lines that changed, a one-sided segment counting as zeros. Properties over random
// single-field edits are in sealed-statement.prop.test.ts.

import { describe, expect, it } from 'vitest';
import {
  diffStatements,
  STATEMENT_LINES,
  type StatementBody,
  sealStatement,
  verifySeal,
} from './sealed-statement.ts';
import { computeSegment, type SegmentLines } from './statement.ts';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

const USDC_DERIVATIVES = computeSegment({
  asset: 'USDC',
  accountClass: 'derivatives',
  customers: [
    {
      customerId: 'A',
      ledgerBalanceMinor: 1_000_000000n,
      unrealisedPnlMinor: 50_000000n,
      requiredMarginMinor: 0n,
    },
    {
      customerId: 'B',
      ledgerBalanceMinor: 300_000000n,
      unrealisedPnlMinor: -500_000000n,
      requiredMarginMinor: 0n,
    },
  ],
  vaults: [{ vaultId: 'v-1', balanceMinor: 1_200_000000n, eligible: true, ineligibility: null }],
  residualInterestLedgerMinor: 150_000000n,
  unresolvedShortfallMinor: 0n,
  targetResidualInterestMinor: 100_000000n,
});

const BTC_SPOT = computeSegment({
  asset: 'BTC',
  accountClass: 'spot',
  customers: [
    { customerId: 'A', ledgerBalanceMinor: 2_00000000n, unrealisedPnlMinor: 0n, requiredMarginMinor: 0n },
  ],
  vaults: [{ vaultId: 'v-2', balanceMinor: 2_10000000n, eligible: true, ineligibility: null }],
  residualInterestLedgerMinor: 10000000n,
  unresolvedShortfallMinor: 0n,
  targetResidualInterestMinor: 0n,
});

const BODY: StatementBody = {
  version: 1,
  id: 'stmt-2026-01-02',
  regime: 'cftc',
  businessDate: '2026-01-02',
  cutoff: { seq: 42, headHash: 'ab'.repeat(32), batchTimestampMs: T0 + 86_400_000 },
  computedAtMs: T0 + 90_000_000,
  computedBy: 'system',
  supersedes: null,
  segments: [BTC_SPOT, USDC_DERIVATIVES],
  clientMoney: [],
};

const SEALED = sealStatement(BODY, T0 + 100_000_000, 'officer-1');

describe('sealStatement and verifySeal', () => {
  it('a sealed statement verifies, and carries its finalisation fields and a SHA-256 hex hash', () => {
    expect(verifySeal(SEALED)).toBe(true);
    expect(SEALED).toMatchObject({ ...BODY, finalisedAtMs: T0 + 100_000_000, finalisedBy: 'officer-1' });
    expect(SEALED.hash).toMatch(/^[0-9a-f]{64}$/);
    // Sealing is deterministic: the same statement gives the same hash.
    expect(sealStatement(BODY, T0 + 100_000_000, 'officer-1').hash).toBe(SEALED.hash);
  });

  it('a superseding reference changed after sealing breaks the seal', () => {
    const correction = sealStatement(
      { ...BODY, id: 'stmt-2026-01-02-r1', supersedes: { id: SEALED.id, hash: SEALED.hash } },
      T0 + 200_000_000,
      'officer-2',
    );
    expect(verifySeal(correction)).toBe(true);
    expect(verifySeal({ ...correction, supersedes: { id: SEALED.id, hash: 'cd'.repeat(32) } })).toBe(false);
    expect(verifySeal({ ...correction, supersedes: null })).toBe(false);
  });

  it('a changed hash does not verify', () => {
    expect(verifySeal({ ...SEALED, hash: 'cd'.repeat(32) })).toBe(false);
  });

  it('is tied to the journal: statements differing only in the head hash have different seals', () => {
    const other = sealStatement(
      { ...BODY, cutoff: { ...BODY.cutoff, headHash: 'cd'.repeat(32) } },
      SEALED.finalisedAtMs,
      SEALED.finalisedBy,
    );
    expect(other.hash).not.toBe(SEALED.hash);
    expect(verifySeal(other)).toBe(true);
    // Moving one statement's seal onto the other does not verify.
    expect(verifySeal({ ...other, hash: SEALED.hash })).toBe(false);
  });
});

describe('diffStatements', () => {
  it('identical statements differ in nothing', () => {
    expect(diffStatements(BODY, BODY)).toEqual([]);
    expect(diffStatements(BODY, SEALED)).toEqual([]);
  });

  it('reports exactly the changed lines, in statement order, with from, to and change', () => {
    // A deposit of 20.00 into A's account and the vault: ledger, equity, requirement and funds held move; the
    // excess does not. Status and vault list are not statement lines and are not compared.
    const after: SegmentLines = {
      ...USDC_DERIVATIVES,
      netLedgerBalanceMinor: USDC_DERIVATIVES.netLedgerBalanceMinor + 20_000000n,
      netEquityMinor: USDC_DERIVATIVES.netEquityMinor + 20_000000n,
      requirementMinor: USDC_DERIVATIVES.requirementMinor + 20_000000n,
      fundsHeldMinor: USDC_DERIVATIVES.fundsHeldMinor + 20_000000n,
      fundsHeldNetMinor: USDC_DERIVATIVES.fundsHeldNetMinor + 20_000000n,
      status: 'deficient',
      vaults: [],
    };
    const line = (name: string, fromMinor: bigint) => ({
      asset: 'USDC',
      accountClass: 'derivatives',
      line: name,
      fromMinor,
      toMinor: fromMinor + 20_000000n,
      changeMinor: 20_000000n,
    });
    expect(diffStatements(BODY, { segments: [BTC_SPOT, after] })).toEqual([
      line('netLedgerBalanceMinor', 1_300_000000n),
      line('netEquityMinor', 850_000000n),
      line('requirementMinor', 1_050_000000n),
      line('fundsHeldMinor', 1_200_000000n),
      line('fundsHeldNetMinor', 1_200_000000n),
    ]);
  });

  it('reports a negative change and each segment, sorted by asset then class', () => {
    const lower = { ...USDC_DERIVATIVES, targetResidualInterestMinor: 40_000000n };
    const btc = { ...BTC_SPOT, unresolvedShortfallMinor: 1n };
    expect(diffStatements({ segments: [USDC_DERIVATIVES, BTC_SPOT] }, { segments: [lower, btc] })).toEqual([
      {
        asset: 'BTC',
        accountClass: 'spot',
        line: 'unresolvedShortfallMinor',
        fromMinor: 0n,
        toMinor: 1n,
        changeMinor: 1n,
      },
      {
        asset: 'USDC',
        accountClass: 'derivatives',
        line: 'targetResidualInterestMinor',
        fromMinor: 100_000000n,
        toMinor: 40_000000n,
        changeMinor: -60_000000n,
      },
    ]);
  });

  it('counts a segment on one side only as zeros on the other, listing its non-zero lines', () => {
    const nonZero = STATEMENT_LINES.map(([line]) => line).filter((line) => BTC_SPOT[line] !== 0n);
    const added = diffStatements({ segments: [USDC_DERIVATIVES] }, BODY);
    expect(added.map((d) => d.line)).toEqual(nonZero);
    for (const difference of added) {
      expect(difference).toMatchObject({ asset: 'BTC', accountClass: 'spot', fromMinor: 0n });
      expect(difference.toMinor).toBe(BTC_SPOT[difference.line]);
      expect(difference.changeMinor).toBe(difference.toMinor);
    }
    const removed = diffStatements(BODY, { segments: [USDC_DERIVATIVES] });
    expect(removed.map((d) => d.line)).toEqual(nonZero);
    for (const difference of removed) {
      expect(difference).toMatchObject({ asset: 'BTC', accountClass: 'spot', toMinor: 0n });
      expect(difference.changeMinor).toBe(-difference.fromMinor);
    }
    expect(diffStatements({ segments: [] }, { segments: [] })).toEqual([]);
  });
});
