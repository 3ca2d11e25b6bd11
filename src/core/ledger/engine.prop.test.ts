// Property tests: for random command sequences (fast-check seeds driving the random book), every batch
// keeps debits = credits, claims >= 0, custody >= positive claims and custody = claims per pool; rejected
// commands change nothing; and replaying the journal rebuilds the same balances and hashes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyAll, bookSetupCommands, booksFingerprint } from '../../../test/support/book.ts';
import { RandomOps, seededRandom } from '../../../test/support/random-ops.ts';
import { type BatchOutcome, LedgerEngine } from './engine.ts';
import { checkInvariants } from './invariants.ts';

function run(
  seed: number,
  batches: number,
  batchSize: number,
): { engine: LedgerEngine; outcomes: BatchOutcome[] } {
  const engine = new LedgerEngine();
  applyAll(engine, bookSetupCommands(), 1);
  const ops = new RandomOps(seededRandom(seed));
  const outcomes: BatchOutcome[] = [];
  let nowMs = 10;
  for (let i = 0; i < batches; i += 1) {
    nowMs += 7;
    const outcome = engine.executeBatch(ops.next(batchSize, nowMs), nowMs);
    outcomes.push(outcome);
    expect(checkInvariants(engine.listAccounts())).toEqual([]);
  }
  return { engine, outcomes };
}

describe('ledger invariants under random operations', () => {
  it('hold after every batch, and the journal replays to the same books', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 40 }),
        (seed, batchSize) => {
          const { engine, outcomes } = run(seed, 15, batchSize);
          const replayed = new LedgerEngine();
          const setup = new LedgerEngine();
          const first = setup.executeBatch(bookSetupCommands(), 1).batch!;
          expect(replayed.replayBatch(first)).toEqual({ ok: true });
          for (const outcome of outcomes) {
            if (outcome.batch !== null) expect(replayed.replayBatch(outcome.batch)).toEqual({ ok: true });
          }
          expect(booksFingerprint(replayed)).toBe(booksFingerprint(engine));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a rejected command leaves the books exactly as an engine that never saw it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const engine = new LedgerEngine();
        const shadow = new LedgerEngine();
        applyAll(engine, bookSetupCommands(), 1);
        applyAll(shadow, bookSetupCommands(), 1);
        const ops = new RandomOps(seededRandom(seed));
        let nowMs = 10;
        for (let i = 0; i < 10; i += 1) {
          nowMs += 5;
          const commands = ops.next(20, nowMs);
          const outcome = engine.executeBatch(commands, nowMs);
          const accepted = commands.filter((_, index) => {
            const result = outcome.results[index]!;
            return result.ok && !result.duplicate;
          });
          shadow.executeBatch(accepted, nowMs);
          expect(booksFingerprint(shadow)).toBe(booksFingerprint(engine));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('never lets a house sweep through, whatever the kind', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { engine } = run(seed, 10, 30);
        for (const pool of engine.listPools()) {
          if (pool.pool === 'customer')
            expect(pool.custodyAvailableMinor >= pool.customerClaimsPositiveMinor).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
  });
});
