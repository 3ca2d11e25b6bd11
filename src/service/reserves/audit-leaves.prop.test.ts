// Properties of what an audit commits to, over seeded random books: the tree's root sums equal the ledger's
// customer totals per asset (as the engine's pools keep them), a deficit is reported beside the tree and never
// nets against other balances, and the same secret always gives the same salts and positions.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyAll, bookSetupCommands } from '../../../test/support/book.ts';
import { RandomOps, seededRandom } from '../../../test/support/random-ops.ts';
import { LedgerEngine } from '../../core/ledger/engine.ts';
import type { Account } from '../../core/ledger/types.ts';
import { buildLiabilityTree } from '../../core/reserves/liability-tree.ts';
import { recordSums } from '../../core/reserves/tree-format.ts';
import { type AuditedLedger, auditLeaves, readAuditBooks } from './audit-leaves.ts';

function randomBook(seed: number, rounds: number): LedgerEngine {
  const engine = new LedgerEngine();
  applyAll(engine, bookSetupCommands(), 1);
  const ops = new RandomOps(seededRandom(seed));
  for (let round = 0; round < rounds; round += 1)
    engine.executeBatch(ops.next(40, 1_000 + round), 1_000 + round);
  return engine;
}

describe('audit books', () => {
  it("the root's sums equal the ledger's customer totals per asset", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 12 }), (seed, rounds) => {
        const engine = randomBook(seed, rounds);
        const books = readAuditBooks(engine);
        const built = buildLiabilityTree({
          auditId: new Uint8Array(16),
          assets: books.assets,
          leaves: auditLeaves(books, new Uint8Array(32).fill(seed % 256)),
        });
        expect(built.ok).toBe(true);
        if (!built.ok) return;
        // The engine keeps, per customer pool, the claims posted and the house's residual interest inside them.
        const totals = books.assets.map((asset) => {
          let total = 0n;
          for (const pool of engine.listPools()) {
            if (pool.pool === 'customer' && pool.asset === asset.code) total += pool.claimsPostedMinor;
          }
          for (const account of engine.iterateAccounts()) {
            if (account.segregationClass === 'residual_interest' && account.asset === asset.code) {
              total -= account.creditsPostedMinor - account.debitsPostedMinor;
            }
          }
          return total;
        });
        expect(recordSums(built.tree.root, books.assets.length)).toEqual(totals);
        expect(books.deficitsMinor.every((deficit) => deficit === 0n)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('derives the same leaves from the same secret, and different salts and positions from another', () => {
    const books = readAuditBooks(randomBook(7, 6));
    const a = auditLeaves(books, new Uint8Array(32).fill(1));
    const b = auditLeaves(books, new Uint8Array(32).fill(1));
    const c = auditLeaves(books, new Uint8Array(32).fill(2));
    expect(a.map((leaf) => leaf.customerId)).toEqual(b.map((leaf) => leaf.customerId));
    expect(a.map((leaf) => Buffer.from(leaf.salt).toString('hex'))).toEqual(
      b.map((leaf) => Buffer.from(leaf.salt).toString('hex')),
    );
    const saltsA = new Set(a.map((leaf) => Buffer.from(leaf.salt).toString('hex')));
    expect(c.some((leaf) => saltsA.has(Buffer.from(leaf.salt).toString('hex')))).toBe(false);
    expect(new Set(a.map((leaf) => leaf.customerId)).size).toBe(books.customers.length);
  });

  it('reports a deficit beside the tree: it never reduces the customer’s other class or anyone else', () => {
    const account = (customerId: string, accountClass: string, netMinor: bigint): Account => ({
      id: `${customerId}/${accountClass}`,
      owner: { type: 'customer', customerId },
      asset: 'USDC',
      segregationClass: 'customer_collateral',
      accountClass,
      vaultId: null,
      debitsPostedMinor: netMinor < 0n ? -netMinor : 0n,
      creditsPostedMinor: netMinor > 0n ? netMinor : 0n,
      debitsPendingMinor: 0n,
      creditsPendingMinor: 0n,
    });
    const ledger: AuditedLedger = {
      headSeq: 3,
      headHash: 'ab'.repeat(32),
      listAssets: () => [{ code: 'USDC', scale: 6 }],
      iterateAccounts: () =>
        [
          account('alice', 'derivatives', -40n),
          account('alice', 'spot', 100n),
          account('bob', 'derivatives', 25n),
          account('bob', 'derivatives', 5n),
        ].values(),
    };
    const books = readAuditBooks(ledger);
    expect(books.customers).toEqual([
      { customerId: 'alice', balancesMinor: [100n] },
      { customerId: 'bob', balancesMinor: [30n] },
    ]);
    expect(books.deficitsMinor).toEqual([40n]);
  });
});
