// Proves the trustee's basis check: a hold-backed customer withdrawal, a booked and covered release to the
// house, and a rebalance inside segregation pass; a sweep and every other broken rule return their code.

import { describe, expect, it } from 'vitest';
import { houseVault, testVault } from '../../../test/support/custody-core.ts';
import {
  type CustomerWithdrawalMovement,
  checkTrusteeBasis,
  type HoldView,
  type HouseReleaseMovement,
  type TrusteeMovement,
} from './trustee-basis.ts';

const NOW_MS = 50_000;
const omnibus = testVault();
const hot = testVault({
  id: 'vault-omnibus-hot',
  temperature: 'hot',
  address: '0x00000000000000000000000000000000000000a1',
});
const house = houseVault();

const hold: HoldView = {
  holdId: 'hold-1',
  customerId: 'alice',
  accountClass: 'derivatives',
  asset: 'USDC',
  pendingMinor: 1_000n,
  status: 'pending',
  expiresAtMs: NOW_MS + 60_000,
};
const withdrawal = (overrides: Partial<CustomerWithdrawalMovement> = {}): TrusteeMovement => ({
  purpose: 'customer_withdrawal',
  sourceVault: omnibus,
  destinationVault: null,
  asset: 'USDC',
  amountMinor: 1_000n,
  customerId: 'alice',
  hold,
  ...overrides,
});
// Custody 10 000 = claims 9 000 + residual interest 1 000 (fees booked into it).
const release = (overrides: Partial<HouseReleaseMovement> = {}): TrusteeMovement => ({
  purpose: 'house_release',
  sourceVault: omnibus,
  destinationVault: house,
  asset: 'USDC',
  amountMinor: 400n,
  bookedReleaseMinor: 400n,
  pool: {
    asset: 'USDC',
    accountClass: 'derivatives',
    segregatedCustodyMinor: 10_000n,
    customerClaimsMinor: 9_000n,
    residualInterestMinor: 1_000n,
  },
  ...overrides,
});
const code = (movement: TrusteeMovement) => {
  const result = checkTrusteeBasis(movement, NOW_MS);
  return result.ok ? result.basis : result.error.code;
};

describe('checkTrusteeBasis: passes', () => {
  it('co-signs a customer withdrawal backed by a pending hold of at least the amount', () => {
    expect(code(withdrawal())).toBe('customer_hold');
    expect(code(withdrawal({ amountMinor: 999n }))).toBe('customer_hold');
  });
  it('co-signs a booked release to the house that leaves custody >= claims', () => {
    expect(code(release())).toBe('house_release');
    expect(code(release({ amountMinor: 1_000n, bookedReleaseMinor: 1_000n }))).toBe('house_release');
  });
  it('co-signs a rebalance between acknowledged vaults of the same class', () => {
    const movement: TrusteeMovement = {
      ...withdrawal(),
      purpose: 'custody_rebalance',
      destinationVault: hot,
    };
    expect(code(movement)).toBe('custody_rebalance');
  });
  it('needs no basis for coins leaving a house vault', () => {
    expect(code({ ...withdrawal(), purpose: 'unstated', sourceVault: house })).toBe('not_customer_assets');
  });
});

describe('checkTrusteeBasis: refusals', () => {
  it('refuses with trustee_sweep_without_basis a client -> house move with no stated basis', () => {
    expect(code({ ...withdrawal(), purpose: 'unstated', destinationVault: house })).toBe(
      'trustee_sweep_without_basis',
    );
  });
  it('refuses with trustee_sweep_without_basis a "customer withdrawal" into a house vault, hold or not', () => {
    expect(code(withdrawal({ destinationVault: house }))).toBe('trustee_sweep_without_basis');
  });
  it('refuses with trustee_sweep_without_basis a house release with nothing booked', () => {
    expect(code(release({ bookedReleaseMinor: 0n }))).toBe('trustee_sweep_without_basis');
  });
  it('refuses with trustee_hold_missing a withdrawal without a hold', () => {
    expect(code(withdrawal({ hold: null }))).toBe('trustee_hold_missing');
  });
  it('refuses with trustee_hold_not_pending a posted, voided or expired hold', () => {
    expect(code(withdrawal({ hold: { ...hold, status: 'voided' } }))).toBe('trustee_hold_not_pending');
    expect(code(withdrawal({ hold: { ...hold, expiresAtMs: NOW_MS } }))).toBe('trustee_hold_not_pending');
  });
  it("refuses with trustee_hold_mismatch another customer's, asset's or class's hold", () => {
    expect(code(withdrawal({ hold: { ...hold, customerId: 'bob' } }))).toBe('trustee_hold_mismatch');
    expect(code(withdrawal({ hold: { ...hold, asset: 'ETH' } }))).toBe('trustee_hold_mismatch');
    expect(code(withdrawal({ hold: { ...hold, accountClass: 'spot' } }))).toBe('trustee_hold_mismatch');
    const bobsVault = testVault({ kind: 'customer_individual', customerId: 'bob' });
    expect(code(withdrawal({ sourceVault: bobsVault }))).toBe('trustee_hold_mismatch');
  });
  it('refuses with trustee_hold_insufficient a hold smaller than the amount', () => {
    expect(code(withdrawal({ amountMinor: 1_001n }))).toBe('trustee_hold_insufficient');
  });
  it('refuses with trustee_pool_mismatch a pool view of another asset or class', () => {
    const pool = { ...(release() as HouseReleaseMovement).pool, accountClass: 'spot' };
    expect(code(release({ pool }))).toBe('trustee_pool_mismatch');
  });
  it('refuses with trustee_booking_insufficient a release above what is booked', () => {
    expect(code(release({ bookedReleaseMinor: 399n }))).toBe('trustee_booking_insufficient');
  });
  it('refuses with trustee_residual_interest_insufficient a release above residual interest', () => {
    expect(code(release({ amountMinor: 1_001n, bookedReleaseMinor: 2_000n }))).toBe(
      'trustee_residual_interest_insufficient',
    );
  });
  it('refuses with trustee_coverage_breached a release that would leave custody below claims', () => {
    // The ledger says residual interest is 1 000, but the vaults hold only 9 300: the release would cut into claims.
    const pool = { ...(release() as HouseReleaseMovement).pool, segregatedCustodyMinor: 9_300n };
    const result = checkTrusteeBasis(release({ pool }), NOW_MS);
    expect(result.ok ? null : [result.error.code, result.error.details.custodyAfterMinor]).toEqual([
      'trustee_coverage_breached',
      '8900',
    ]);
  });
  it('refuses with trustee_rebalance_outside_segregation a "rebalance" to the house or outside', () => {
    const rebalance = { ...withdrawal(), purpose: 'custody_rebalance' as const };
    expect(code({ ...rebalance, destinationVault: house })).toBe('trustee_rebalance_outside_segregation');
    expect(code({ ...rebalance, destinationVault: null })).toBe('trustee_rebalance_outside_segregation');
    const spot = testVault({ id: 'spot', accountClass: 'spot' });
    expect(code({ ...rebalance, destinationVault: spot })).toBe('trustee_rebalance_outside_segregation');
  });
});
