// The trustee's basis check, run before it co-signs a movement out of a customer vault: the ledger must
// show why the coins may move. A customer withdrawal needs a pending hold on that customer's claim; a
// release from segregation to the house needs booked entries (fees and residual interest) and must leave
// segregated custody at or above customer claims; a rebalance must stay inside segregation. Anything else
// out of a customer vault is a sweep and is refused.

import { type Rejected, rejected } from './rejection.ts';
import { CUSTOMER_VAULT_KINDS, type Vault } from './vault.ts';

/** The ledger hold backing a customer withdrawal, as the ledger reports it. */
export interface HoldView {
  readonly holdId: string;
  readonly customerId: string;
  readonly accountClass: string;
  readonly asset: string;
  /** What the hold still reserves. */
  readonly pendingMinor: bigint;
  readonly status: 'pending' | 'posted' | 'voided' | 'expired';
  readonly expiresAtMs: number;
}

/** One asset and account class of the customer pool, as the ledger (claims) and the chain (custody) report it. */
export interface SegregationPoolView {
  readonly asset: string;
  readonly accountClass: string;
  /** Coins actually held in the class's customer vaults (on-chain balances). */
  readonly segregatedCustodyMinor: bigint;
  /** The sum of positive customer claims of the class (deficits are not netted). */
  readonly customerClaimsMinor: bigint;
  /** House money inside segregation: residual interest, including fees booked into it. */
  readonly residualInterestMinor: bigint;
}

/** The fields every movement shares. */
interface MovementBase {
  readonly sourceVault: Vault;
  /** The destination's registered vault, or null for an address outside the registry. */
  readonly destinationVault: Vault | null;
  readonly asset: string;
  readonly amountMinor: bigint;
}

/** A customer's withdrawal, backed (or not) by a ledger hold. */
export interface CustomerWithdrawalMovement extends MovementBase {
  readonly purpose: 'customer_withdrawal';
  readonly customerId: string;
  readonly hold: HoldView | null;
}

/** A release of house money (booked fees, residual interest) from segregation to the house. */
export interface HouseReleaseMovement extends MovementBase {
  readonly purpose: 'house_release';
  /** The booked, not yet executed residual-interest withdrawal this release carries out; 0 when none. */
  readonly bookedReleaseMinor: bigint;
  readonly pool: SegregationPoolView;
}

/** A move between two customer vaults of the same account class (hot/cold rebalance). */
export interface CustodyRebalanceMovement extends MovementBase {
  readonly purpose: 'custody_rebalance';
}

/** A movement the trustee is asked to co-sign; `purpose: 'unstated'` covers anything without a basis. */
export type TrusteeMovement =
  | CustomerWithdrawalMovement
  | HouseReleaseMovement
  | CustodyRebalanceMovement
  | (MovementBase & { readonly purpose: 'unstated' });

/** The rejection codes of `checkTrusteeBasis`, in the order they are checked. */
export type TrusteeBasisErrorCode =
  | 'trustee_sweep_without_basis'
  | 'trustee_hold_missing'
  | 'trustee_hold_not_pending'
  | 'trustee_hold_mismatch'
  | 'trustee_hold_insufficient'
  | 'trustee_pool_mismatch'
  | 'trustee_booking_insufficient'
  | 'trustee_residual_interest_insufficient'
  | 'trustee_coverage_breached'
  | 'trustee_rebalance_outside_segregation';

export type TrusteeBasisResult =
  | {
      readonly ok: true;
      readonly basis: 'not_customer_assets' | 'customer_hold' | 'house_release' | 'custody_rebalance';
    }
  | Rejected<TrusteeBasisErrorCode>;

/**
 * Decides whether the trustee may co-sign. Coins leaving a house or insurance vault are not customer assets
 * and need no basis. Coins leaving a customer vault need the basis their purpose names, checked in the order
 * of `TrusteeBasisErrorCode`; a customer "withdrawal" into a house vault is a sweep whatever it claims.
 */
export function checkTrusteeBasis(movement: TrusteeMovement, nowMs: number): TrusteeBasisResult {
  const { sourceVault, destinationVault } = movement;
  if (!CUSTOMER_VAULT_KINDS.has(sourceVault.kind)) return { ok: true, basis: 'not_customer_assets' };
  const details = {
    purpose: movement.purpose,
    sourceVaultId: sourceVault.id,
    destinationVaultId: destinationVault?.id ?? null,
    asset: movement.asset,
    amountMinor: movement.amountMinor.toString(),
  };
  const toHouse = destinationVault !== null && !CUSTOMER_VAULT_KINDS.has(destinationVault.kind);
  const sweep = () =>
    rejected(
      'trustee_sweep_without_basis',
      `moving ${movement.amountMinor} ${movement.asset} out of customer vault ${sourceVault.id} has no booked basis in the ledger`,
      details,
    );
  switch (movement.purpose) {
    case 'customer_withdrawal':
      return toHouse ? sweep() : checkHold(movement, nowMs, details);
    case 'house_release':
      return toHouse ? checkRelease(movement, details) : sweep();
    case 'custody_rebalance':
      return checkRebalance(movement, details);
    default:
      return sweep();
  }
}

type BaseDetails = Readonly<Record<string, string | null>>;

function checkHold(
  movement: CustomerWithdrawalMovement,
  nowMs: number,
  details: BaseDetails,
): TrusteeBasisResult {
  const { hold, sourceVault } = movement;
  if (hold === null) {
    return rejected(
      'trustee_hold_missing',
      `customer ${movement.customerId}'s withdrawal has no ledger hold behind it`,
      details,
    );
  }
  const holdDetails = { ...details, holdId: hold.holdId, holdStatus: hold.status };
  if (hold.status !== 'pending' || hold.expiresAtMs <= nowMs) {
    return rejected(
      'trustee_hold_not_pending',
      `hold ${hold.holdId} is ${hold.status === 'pending' ? 'past its expiry' : hold.status}`,
      holdDetails,
    );
  }
  const vaultServesCustomer =
    sourceVault.kind === 'customer_omnibus' || sourceVault.customerId === hold.customerId;
  if (
    hold.customerId !== movement.customerId ||
    hold.asset !== movement.asset ||
    hold.accountClass !== sourceVault.accountClass ||
    !vaultServesCustomer
  ) {
    return rejected(
      'trustee_hold_mismatch',
      `hold ${hold.holdId} reserves ${hold.customerId}'s ${hold.asset} in class ${hold.accountClass}, not this withdrawal's`,
      {
        ...holdDetails,
        holdCustomerId: hold.customerId,
        holdAsset: hold.asset,
        holdAccountClass: hold.accountClass,
      },
    );
  }
  if (hold.pendingMinor < movement.amountMinor) {
    return rejected(
      'trustee_hold_insufficient',
      `hold ${hold.holdId} reserves ${hold.pendingMinor}, less than ${movement.amountMinor}`,
      {
        ...holdDetails,
        pendingMinor: hold.pendingMinor.toString(),
      },
    );
  }
  return { ok: true, basis: 'customer_hold' };
}

function checkRelease(movement: HouseReleaseMovement, details: BaseDetails): TrusteeBasisResult {
  const { pool, amountMinor } = movement;
  if (pool.asset !== movement.asset || pool.accountClass !== movement.sourceVault.accountClass) {
    return rejected(
      'trustee_pool_mismatch',
      "the pool view is not the source vault's asset and account class",
      {
        ...details,
        poolAsset: pool.asset,
        poolAccountClass: pool.accountClass,
      },
    );
  }
  if (movement.bookedReleaseMinor <= 0n) {
    return rejected(
      'trustee_sweep_without_basis',
      `no residual-interest withdrawal is booked in the ledger for this move of ${amountMinor} ${movement.asset} to the house`,
      details,
    );
  }
  if (movement.bookedReleaseMinor < amountMinor) {
    return rejected(
      'trustee_booking_insufficient',
      `only ${movement.bookedReleaseMinor} is booked for release, less than ${amountMinor}`,
      {
        ...details,
        bookedReleaseMinor: movement.bookedReleaseMinor.toString(),
      },
    );
  }
  if (pool.residualInterestMinor < amountMinor) {
    return rejected(
      'trustee_residual_interest_insufficient',
      `residual interest (booked fees included) is ${pool.residualInterestMinor}, less than ${amountMinor}`,
      { ...details, residualInterestMinor: pool.residualInterestMinor.toString() },
    );
  }
  // Pro forma: after the move, the coins still in segregation must cover every customer claim (CFTC 1.20).
  const custodyAfterMinor = pool.segregatedCustodyMinor - amountMinor;
  if (custodyAfterMinor < pool.customerClaimsMinor) {
    return rejected(
      'trustee_coverage_breached',
      `segregated custody would fall to ${custodyAfterMinor}, below customer claims of ${pool.customerClaimsMinor}`,
      {
        ...details,
        custodyAfterMinor: custodyAfterMinor.toString(),
        customerClaimsMinor: pool.customerClaimsMinor.toString(),
      },
    );
  }
  return { ok: true, basis: 'house_release' };
}

function checkRebalance(movement: CustodyRebalanceMovement, details: BaseDetails): TrusteeBasisResult {
  const { sourceVault, destinationVault } = movement;
  if (
    destinationVault === null ||
    !CUSTOMER_VAULT_KINDS.has(destinationVault.kind) ||
    destinationVault.acknowledgment === null ||
    destinationVault.accountClass !== sourceVault.accountClass ||
    // An individual vault holds one customer's coins: they may move only to another vault of that customer.
    (sourceVault.kind === 'customer_individual' &&
      (destinationVault.kind !== 'customer_individual' ||
        destinationVault.customerId !== sourceVault.customerId)) ||
    !destinationVault.assets.some((entry) => entry.asset === movement.asset)
  ) {
    return rejected(
      'trustee_rebalance_outside_segregation',
      'a rebalance goes only to an acknowledged customer vault of the same account class (and customer) holding the asset',
      details,
    );
  }
  return { ok: true, basis: 'custody_rebalance' };
}
