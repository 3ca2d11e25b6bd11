// The hot-wallet cap: per asset, customer assets in hot vaults stay at or below capBps of customer
// liabilities. Rebalancing moves the excess hot -> cold, and tops hot back up to the cap from cold once it
// falls below floorBps; every amount is an integer in minor units, rounded down.

import { assert } from '../assert.ts';
import { divFloor } from '../money/amount.ts';
import { type Rejected, rejected } from './rejection.ts';

/** Basis points in one whole. */
export const BPS_DENOMINATOR = 10_000n;

/** Default hot cap: 2% of customer liabilities. */
export const HOT_WALLET_CAP_BPS_DEFAULT = 200;

/** Default top-up floor: hot is refilled (to the cap) once it falls below 0.5% of liabilities. */
export const HOT_WALLET_FLOOR_BPS_DEFAULT = 50;

/** The cap and floor, in basis points of customer liabilities (0 <= floorBps <= capBps <= 10 000). */
export interface HotWalletSettings {
  readonly capBps: number;
  readonly floorBps: number;
}

/** The defaults: cap 2%, floor 0.5%. */
export const HOT_WALLET_SETTINGS_DEFAULT: HotWalletSettings = {
  capBps: HOT_WALLET_CAP_BPS_DEFAULT,
  floorBps: HOT_WALLET_FLOOR_BPS_DEFAULT,
};

/** One asset's customer position: liabilities from the ledger, hot and cold balances of customer vaults. */
export interface HotWalletPosition {
  readonly asset: string;
  readonly customerLiabilitiesMinor: bigint;
  readonly hotMinor: bigint;
  readonly coldMinor: bigint;
}

/** One move between the hot and cold customer vaults of one asset. */
export interface RebalanceInstruction {
  readonly asset: string;
  readonly direction: 'hot_to_cold' | 'cold_to_hot';
  readonly amountMinor: bigint;
  readonly capMinor: bigint;
  readonly floorMinor: bigint;
  /** The hot balance once the move is done. */
  readonly hotAfterMinor: bigint;
}

/** The rejection codes of the settings check, in the order they are checked. */
export type HotWalletErrorCode = 'hot_wallet_cap_bps_invalid' | 'hot_wallet_floor_bps_invalid';

export type PlanRebalanceResult =
  | { readonly ok: true; readonly instructions: readonly RebalanceInstruction[] }
  | Rejected<HotWalletErrorCode>;

/** The hot cap of one asset: floor(liabilities * capBps / 10 000), so rounding never raises the cap. */
export function hotWalletCapMinor(customerLiabilitiesMinor: bigint, capBps: number): bigint {
  assert(customerLiabilitiesMinor >= 0n, 'customer liabilities are never negative');
  return divFloor(customerLiabilitiesMinor * BigInt(capBps), BPS_DENOMINATOR);
}

/** Checks cap and floor: integers with 0 <= floorBps <= capBps <= 10 000. */
export function validateHotWalletSettings(
  settings: HotWalletSettings,
): { ok: true } | Rejected<HotWalletErrorCode> {
  const { capBps, floorBps } = settings;
  if (!Number.isInteger(capBps) || capBps < 0 || capBps > 10_000) {
    return rejected('hot_wallet_cap_bps_invalid', 'the hot cap is an integer from 0 to 10000 basis points', {
      capBps,
    });
  }
  if (!Number.isInteger(floorBps) || floorBps < 0 || floorBps > capBps) {
    return rejected(
      'hot_wallet_floor_bps_invalid',
      'the top-up floor is an integer from 0 to the cap in basis points',
      {
        capBps,
        floorBps,
      },
    );
  }
  return { ok: true };
}

/**
 * Plans the moves that bring each asset's hot balance within [floor, cap], one instruction per asset that
 * needs one, in input order. Over the cap: move hot - cap to cold. Below the floor: move min(cap - hot, cold)
 * to hot. Between floor and cap: nothing, so small swings do not cause churn.
 */
export function planHotWalletRebalance(
  positions: readonly HotWalletPosition[],
  settings: HotWalletSettings = HOT_WALLET_SETTINGS_DEFAULT,
): PlanRebalanceResult {
  const valid = validateHotWalletSettings(settings);
  if (!valid.ok) return valid;
  const instructions: RebalanceInstruction[] = [];
  for (const position of positions) {
    assert(position.hotMinor >= 0n && position.coldMinor >= 0n, 'vault balances are never negative');
    const capMinor = hotWalletCapMinor(position.customerLiabilitiesMinor, settings.capBps);
    const floorMinor = hotWalletCapMinor(position.customerLiabilitiesMinor, settings.floorBps);
    const base = { asset: position.asset, capMinor, floorMinor };
    if (position.hotMinor > capMinor) {
      const amountMinor = position.hotMinor - capMinor;
      instructions.push({ ...base, direction: 'hot_to_cold', amountMinor, hotAfterMinor: capMinor });
    } else if (position.hotMinor < floorMinor) {
      const wanted = capMinor - position.hotMinor;
      // Math.min does not take bigints; cold may hold less than the top-up wants.
      let amountMinor = wanted;
      if (position.coldMinor < amountMinor) amountMinor = position.coldMinor;
      if (amountMinor > 0n) {
        const hotAfterMinor = position.hotMinor + amountMinor;
        instructions.push({ ...base, direction: 'cold_to_hot', amountMinor, hotAfterMinor });
      }
    }
  }
  return { ok: true, instructions };
}
