// Properties of external reconciliation over random ledgers, observations and a second run: the shortfall
// of each segment is Σ max(0, ledger − observed) over its covered vaults; every non-zero difference yields
// exactly one break; every open break of the first run is continued, cleared or carried over, exactly once;
// and break ids built from conforming parts that fit in 128 characters match ENTITY_ID_PATTERN.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import {
  breakIdFor,
  type LedgerVaultBalance,
  type ObservedVaultBalance,
  reconcileExternal,
} from './reconcile.ts';

const SEGMENTS = [
  ['USDC', 'spot'],
  ['USDC', 'derivatives'],
  ['BTC', 'spot'],
] as const;

/** A ledger of distinct (vault, asset) rows and an observation (or none) for each. */
const scenario = fc
  .array(
    fc.record({
      vault: fc.integer({ min: 0, max: 30 }),
      segment: fc.integer({ min: 0, max: SEGMENTS.length - 1 }),
      ledgerMinor: fc.bigInt({ min: 0n, max: 10n ** 20n }),
      firstObserved: fc.option(fc.bigInt({ min: -5n, max: 5n }), { nil: null }),
      secondObserved: fc.option(fc.bigInt({ min: -5n, max: 5n }), { nil: null }),
    }),
    { maxLength: 60 },
  )
  .map((rows) => {
    const seen = new Set<string>();
    return rows.filter((row) => {
      const key = `${row.vault}/${SEGMENTS[row.segment]![0]}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });

type Row = {
  vault: number;
  segment: number;
  ledgerMinor: bigint;
  firstObserved: bigint | null;
  secondObserved: bigint | null;
};

function ledgerOf(rows: readonly Row[]): LedgerVaultBalance[] {
  return rows.map((row) => ({
    vaultId: `v${row.vault}`,
    asset: SEGMENTS[row.segment]![0],
    accountClass: SEGMENTS[row.segment]![1],
    ledgerMinor: row.ledgerMinor,
  }));
}

function observedOf(rows: readonly Row[], pick: (row: Row) => bigint | null): ObservedVaultBalance[] {
  return rows.flatMap((row) => {
    const delta = pick(row);
    if (delta === null) return [];
    const observedMinor = row.ledgerMinor + delta;
    return observedMinor < 0n
      ? []
      : [{ vaultId: `v${row.vault}`, asset: SEGMENTS[row.segment]![0], observedMinor }];
  });
}

describe('external reconciliation properties', () => {
  it('sums shortfalls per segment, opens one break per difference, and accounts for every open break', () => {
    fc.assert(
      fc.property(scenario, (rows) => {
        const ledger = ledgerOf(rows);
        const firstObserved = observedOf(rows, (row) => row.firstObserved);
        const base = { source: 'chain' as const, sourceReference: 'block 1', topUpDueAtMs: 10, ledger };
        const first = reconcileExternal({
          ...base,
          runId: 'r1',
          nowMs: 1,
          observed: firstObserved,
          openBreaks: [],
        });

        const expected = new Map<string, bigint>();
        for (const line of first.lines) {
          if (line.differenceMinor < 0n) {
            const key = `${line.asset}/${line.accountClass}`;
            expected.set(key, (expected.get(key) ?? 0n) - line.differenceMinor);
          }
        }
        const actual = new Map(
          first.shortfalls.map((s) => [`${s.asset}/${s.accountClass}`, s.shortfallMinor]),
        );
        expect(actual).toEqual(expected);
        const toppedUp = first.topUps.reduce((sum, topUp) => sum + topUp.amountMinor, 0n);
        expect(toppedUp).toBe([...expected.values()].reduce((sum, value) => sum + value, 0n));

        const differing = first.lines.filter((line) => line.differenceMinor !== 0n);
        expect(first.breaks).toHaveLength(differing.length);
        for (const line of differing) {
          const matching = first.breaks.filter((b) => b.vaultId === line.vaultId && b.asset === line.asset);
          expect(matching).toHaveLength(1);
          const sign = line.differenceMinor < 0n ? -1n : 1n;
          expect(matching[0]!.amountMinor).toBe(line.differenceMinor * sign);
          expect(matching[0]!.direction).toBe(sign < 0n ? 'observed_below_ledger' : 'observed_above_ledger');
        }
        expect(first.lines.length + first.notCovered.length).toBe(ledger.length);

        const second = reconcileExternal({
          ...base,
          runId: 'r2',
          nowMs: 5,
          observed: observedOf(rows, (row) => row.secondObserved),
          openBreaks: first.breaks,
        });
        const continuing = new Set(second.breaks.map((b) => b.id));
        for (const open of first.breaks) {
          const fates = [
            continuing.has(open.id),
            second.cleared.includes(open.id),
            second.carriedOver.includes(open.id),
          ];
          expect(fates.filter(Boolean)).toHaveLength(1);
        }
        for (const b of second.breaks) {
          if (b.firstSeenRunId === 'r1') expect([b.firstSeenAtMs, b.ageMs]).toEqual([1, 4]);
          else expect([b.id.startsWith('r2:'), b.ageMs]).toEqual([true, 0]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('builds break ids that match ENTITY_ID_PATTERN from conforming parts that fit', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9:._-]{0,54}$/); // 55 + 1 + 55 + 1 + 16 = 128 characters at most.
    const asset = fc.stringMatching(/^[A-Z][A-Z0-9._-]{1,15}$/);
    fc.assert(
      fc.property(id, id, asset, (runId, vaultId, code) => {
        expect(ENTITY_ID_PATTERN.test(breakIdFor(runId, vaultId, code))).toBe(true);
      }),
    );
  });
});
