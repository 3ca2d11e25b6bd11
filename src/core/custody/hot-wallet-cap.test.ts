// Proves the hot-wallet cap formula and the rebalance plan on worked examples, and one test per code.

import { describe, expect, it } from 'vitest';
import { hotWalletCapMinor, planHotWalletRebalance } from './hot-wallet-cap.ts';

describe('hot-wallet cap', () => {
  it('is floor(liabilities * capBps / 10 000)', () => {
    expect(hotWalletCapMinor(1_000_000n, 200)).toBe(20_000n);
    // 2% of 149 is 2.98, rounded down to 2: rounding never raises the cap.
    expect(hotWalletCapMinor(149n, 200)).toBe(2n);
    expect(hotWalletCapMinor(0n, 200)).toBe(0n);
  });

  it('moves the excess hot -> cold, down to the cap', () => {
    const plan = planHotWalletRebalance([
      { asset: 'USDC', customerLiabilitiesMinor: 1_000_000n, hotMinor: 35_000n, coldMinor: 965_000n },
    ]);
    expect(plan).toEqual({
      ok: true,
      instructions: [
        {
          asset: 'USDC',
          direction: 'hot_to_cold',
          amountMinor: 15_000n,
          capMinor: 20_000n,
          floorMinor: 5_000n,
          hotAfterMinor: 20_000n,
        },
      ],
    });
  });

  it('tops hot up to the cap once it falls below the floor, limited by what cold holds', () => {
    const plan = planHotWalletRebalance([
      { asset: 'ETH', customerLiabilitiesMinor: 1_000_000n, hotMinor: 4_000n, coldMinor: 996_000n },
      { asset: 'BTC', customerLiabilitiesMinor: 1_000_000n, hotMinor: 1_000n, coldMinor: 3_000n },
    ]);
    expect(
      plan.ok && plan.instructions.map((i) => [i.asset, i.direction, i.amountMinor, i.hotAfterMinor]),
    ).toEqual([
      ['ETH', 'cold_to_hot', 16_000n, 20_000n],
      ['BTC', 'cold_to_hot', 3_000n, 4_000n],
    ]);
  });

  it('leaves hot alone between floor and cap, and when cold is empty', () => {
    const plan = planHotWalletRebalance([
      { asset: 'USDC', customerLiabilitiesMinor: 1_000_000n, hotMinor: 12_000n, coldMinor: 988_000n },
      { asset: 'ETH', customerLiabilitiesMinor: 1_000_000n, hotMinor: 0n, coldMinor: 0n },
    ]);
    expect(plan).toEqual({ ok: true, instructions: [] });
  });

  it('uses a configured cap and floor', () => {
    const plan = planHotWalletRebalance(
      [{ asset: 'USDC', customerLiabilitiesMinor: 1_000n, hotMinor: 60n, coldMinor: 940n }],
      { capBps: 500, floorBps: 500 },
    );
    expect(plan.ok && plan.instructions[0]?.amountMinor).toBe(10n);
  });

  it('refuses with hot_wallet_cap_bps_invalid', () => {
    const plan = planHotWalletRebalance([], { capBps: 10_001, floorBps: 0 });
    expect(plan.ok ? null : plan.error.code).toBe('hot_wallet_cap_bps_invalid');
  });

  it('refuses with hot_wallet_floor_bps_invalid', () => {
    const plan = planHotWalletRebalance([], { capBps: 200, floorBps: 201 });
    expect(plan.ok ? null : plan.error.code).toBe('hot_wallet_floor_bps_invalid');
  });
});
