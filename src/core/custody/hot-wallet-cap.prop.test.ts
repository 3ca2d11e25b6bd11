// Property: for random liabilities, balances and settings, a rebalance keeps coins conserved, never moves
// more than the source holds, leaves hot at most the cap, and moves nothing when hot is in [floor, cap].

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hotWalletCapMinor, planHotWalletRebalance } from './hot-wallet-cap.ts';

describe('hot-wallet rebalance properties', () => {
  it('conserves coins and lands hot within bounds', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 30n });
    fc.assert(
      fc.property(
        amount,
        amount,
        amount,
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (liabilities, hot, cold, capBps, floorShare) => {
          const floorBps = Math.floor(capBps * floorShare);
          const plan = planHotWalletRebalance(
            [{ asset: 'X', customerLiabilitiesMinor: liabilities, hotMinor: hot, coldMinor: cold }],
            { capBps, floorBps },
          );
          if (!plan.ok) throw new Error(plan.error.message);
          const cap = hotWalletCapMinor(liabilities, capBps);
          const floor = hotWalletCapMinor(liabilities, floorBps);
          const instruction = plan.instructions[0];
          if (instruction === undefined) {
            expect(hot <= cap && (hot >= floor || cold === 0n)).toBe(true);
            return;
          }
          expect(instruction.amountMinor > 0n).toBe(true);
          expect(instruction.hotAfterMinor <= cap).toBe(true);
          if (instruction.direction === 'hot_to_cold') {
            expect(hot - instruction.amountMinor).toBe(instruction.hotAfterMinor);
            expect(instruction.hotAfterMinor).toBe(cap);
          } else {
            expect(instruction.amountMinor <= cold).toBe(true);
            expect(hot + instruction.amountMinor).toBe(instruction.hotAfterMinor);
            expect(hot < floor).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
