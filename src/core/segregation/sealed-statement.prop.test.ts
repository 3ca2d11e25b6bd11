// Properties of the statement seal and the statement diff over random single-field edits (a line of any
// segment, the cut-off, the business date, the statement it supersedes, who finalised it and when, a segment's
// status): every such edit breaks the seal, and diffStatements reports exactly the lines that changed, with
// from + change = to.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diffStatements,
  type SealedStatement,
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

type Mutation = (statement: SealedStatement) => SealedStatement;

function withLine(segmentIndex: number, line: keyof SegmentLines, deltaMinor: bigint): Mutation {
  return (statement) => ({
    ...statement,
    segments: statement.segments.map((s, i) =>
      i === segmentIndex ? { ...s, [line]: (s[line] as bigint) + deltaMinor } : s,
    ),
  });
}

/** Every kind of single-field change, each changing the field to a different value. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(
      fc.nat({ max: BODY.segments.length - 1 }),
      fc.constantFrom(...STATEMENT_LINES.map(([line]) => line)),
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).filter((d) => d !== 0n),
    )
    .map(([segment, line, delta]) => withLine(segment, line, delta)),
  fc
    .integer({ min: 0, max: 1_000_000 })
    .filter((seq) => seq !== BODY.cutoff.seq)
    .map(
      (seq): Mutation =>
        (s) => ({ ...s, cutoff: { ...s.cutoff, seq } }),
    ),
  fc
    .stringMatching(/^[0-9a-f]{64}$/)
    .filter((hash) => hash !== BODY.cutoff.headHash)
    .map(
      (headHash): Mutation =>
        (s) => ({ ...s, cutoff: { ...s.cutoff, headHash } }),
    ),
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
    .filter((date) => date !== BODY.businessDate)
    .map(
      (businessDate): Mutation =>
        (s) => ({ ...s, businessDate }),
    ),
  fc.record({ id: fc.string({ minLength: 1 }), hash: fc.stringMatching(/^[0-9a-f]{64}$/) }).map(
    (supersedes): Mutation =>
      (s) => ({ ...s, supersedes }),
  ),
  fc
    .string()
    .filter((who) => who !== SEALED.finalisedBy)
    .map(
      (finalisedBy): Mutation =>
        (s) => ({ ...s, finalisedBy }),
    ),
  fc
    .nat()
    .filter((ms) => ms !== SEALED.finalisedAtMs)
    .map(
      (finalisedAtMs): Mutation =>
        (s) => ({ ...s, finalisedAtMs }),
    ),
  fc.nat({ max: BODY.segments.length - 1 }).map((index): Mutation => withStatus(index)),
);

function withStatus(segmentIndex: number): Mutation {
  return (statement) => ({
    ...statement,
    segments: statement.segments.map((s, i) =>
      i === segmentIndex ? { ...s, status: s.status === 'deficient' ? 'compliant' : 'deficient' } : s,
    ),
  });
}

describe('sealStatement and verifySeal', () => {
  it('changing any single field breaks the seal', () => {
    fc.assert(
      fc.property(mutation, (mutate) => {
        const changed = mutate(SEALED);
        expect(changed).not.toEqual(SEALED);
        expect(changed.hash).toBe(SEALED.hash);
        expect(verifySeal(changed)).toBe(false);
      }),
    );
  });
});

describe('diffStatements', () => {
  it('from + change = to on every reported line, and unreported lines are equal (random edits)', () => {
    fc.assert(
      fc.property(mutation, (mutate) => {
        const changed = mutate(SEALED);
        const differences = diffStatements(SEALED, changed);
        for (const [index, before] of SEALED.segments.entries()) {
          const after = changed.segments[index]!;
          for (const [line] of STATEMENT_LINES) {
            const reported = differences.filter(
              (d) => d.asset === before.asset && d.accountClass === before.accountClass && d.line === line,
            );
            if (before[line] === after[line]) expect(reported).toEqual([]);
            else {
              expect(reported).toEqual([
                {
                  asset: before.asset,
                  accountClass: before.accountClass,
                  line,
                  fromMinor: before[line],
                  toMinor: after[line],
                  changeMinor: after[line] - before[line],
                },
              ]);
            }
          }
        }
      }),
    );
  });
});
