// The read views of accounts, holds and pools that the HTTP API serves and the CLI prints, with every
// amount a decimal string at its asset's scale.

import { assert } from '../core/assert.ts';
import { CLASS_RULES, type Pool, type SegregationClass, type Side } from '../core/ledger/classes.ts';
import type { HoldState, LedgerEngine } from '../core/ledger/engine.ts';
import { availableOf, poolKeyOf, postedOf } from '../core/ledger/state.ts';
import type { Account, Owner, TransferCommand } from '../core/ledger/types.ts';
import { formatAmount } from '../core/money/amount.ts';

/** An account with its four balance columns and its posted and available balances (the API's Account). */
export interface AccountView {
  readonly id: string;
  readonly owner: Owner;
  readonly asset: string;
  readonly segregationClass: SegregationClass;
  readonly accountClass: string | null;
  readonly vaultId: string | null;
  /** custody accounts are debit-normal, claim accounts credit-normal. */
  readonly side: Side;
  readonly balances: {
    readonly debitsPosted: string;
    readonly creditsPosted: string;
    readonly debitsPending: string;
    readonly creditsPending: string;
    /** Posted balance on the normal side of the class. */
    readonly balance: string;
    /** Posted balance less pending outflows. */
    readonly available: string;
  };
}

/** A hold (a pending transfer) with its one leg, its expiry and what became of it (the API's Hold). */
export interface HoldView {
  readonly id: string;
  readonly kind: TransferCommand['kind'];
  readonly debit: string;
  readonly credit: string;
  readonly asset: string;
  /** Reserved while pending; what was posted once posted. */
  readonly amount: string;
  readonly expiresAt: string;
  readonly status: HoldState['status'];
}

/** One pool's segregation position (the API's Pool); per pool, custody equals claims. */
export interface PoolView {
  readonly key: string;
  readonly pool: Pool;
  readonly asset: string;
  readonly accountClass: string | null;
  readonly custody: string;
  readonly custodyAvailable: string;
  readonly claims: string;
  /** Customer pools: the sum of positive customer claims (deficits are never netted, CFTC 1.32). */
  readonly customerClaimsPositive: string | null;
  /** Customer pools: the house money held inside segregation. */
  readonly residualInterest: string | null;
  /** Customer pools: available custody less positive customer claims; never negative in a sound ledger. */
  readonly excess: string | null;
}

/** Which accounts a listing shows: by owning customer, asset and segregation class (each optional). */
export interface AccountFilter {
  readonly customerId?: string | undefined;
  readonly asset?: string | undefined;
  readonly segregationClass?: string | undefined;
}

/** True when the account passes every filter that is set. */
export function matchesAccountFilter(account: Account, filter: AccountFilter): boolean {
  if (
    filter.customerId !== undefined &&
    (account.owner.type !== 'customer' || account.owner.customerId !== filter.customerId)
  ) {
    return false;
  }
  if (filter.asset !== undefined && account.asset !== filter.asset) return false;
  return filter.segregationClass === undefined || account.segregationClass === filter.segregationClass;
}

/** The scale of a registered asset; assets never change scale, so today's registry serves any journal seq. */
export function assetScaleOf(engine: LedgerEngine, code: string): number {
  const asset = engine.getAsset(code);
  assert(asset !== undefined, 'accounts, holds and pools name registered assets');
  return asset.scale;
}

/** Formats an account at its asset's scale. */
export function toAccountView(engine: LedgerEngine, account: Account): AccountView {
  const scale = assetScaleOf(engine, account.asset);
  const side = CLASS_RULES[account.segregationClass].side;
  const { debitsPostedMinor, creditsPostedMinor, debitsPendingMinor, creditsPendingMinor } = account;
  return {
    id: account.id,
    owner:
      account.owner.type === 'customer'
        ? { type: 'customer', customerId: account.owner.customerId }
        : { type: 'house' },
    asset: account.asset,
    segregationClass: account.segregationClass,
    accountClass: account.accountClass,
    vaultId: account.vaultId,
    side,
    balances: {
      debitsPosted: formatAmount(debitsPostedMinor, scale),
      creditsPosted: formatAmount(creditsPostedMinor, scale),
      debitsPending: formatAmount(debitsPendingMinor, scale),
      creditsPending: formatAmount(creditsPendingMinor, scale),
      balance: formatAmount(postedOf(side, debitsPostedMinor, creditsPostedMinor), scale),
      available: formatAmount(
        availableOf(side, debitsPostedMinor, creditsPostedMinor, debitsPendingMinor, creditsPendingMinor),
        scale,
      ),
    },
  };
}

/** Formats accounts, each at its asset's scale (also for accounts rebuilt as of a past journal seq). */
export function toAccountViews(engine: LedgerEngine, accounts: readonly Account[]): AccountView[] {
  return accounts.map((account) => toAccountView(engine, account));
}

/** Formats a hold at its asset's scale. */
export function toHoldView(engine: LedgerEngine, hold: Readonly<HoldState>): HoldView {
  return {
    id: hold.id,
    kind: hold.kind,
    debit: hold.leg.debit,
    credit: hold.leg.credit,
    asset: hold.leg.asset,
    amount: formatAmount(hold.amountMinor, assetScaleOf(engine, hold.leg.asset)),
    expiresAt: new Date(hold.expiresAtMs).toISOString(),
    status: hold.status,
  };
}

/** Formats every pool's running totals, with the residual interest summed from its accounts. */
export function toPoolViews(engine: LedgerEngine): PoolView[] {
  const residualByPool = new Map<string, bigint>();
  for (const account of engine.listAccounts()) {
    if (account.segregationClass !== 'residual_interest') continue;
    const key = poolKeyOf(account.segregationClass, account.asset, account.accountClass);
    const balance = postedOf('claim', account.debitsPostedMinor, account.creditsPostedMinor);
    residualByPool.set(key, (residualByPool.get(key) ?? 0n) + balance);
  }
  return engine.listPools().map((pool) => {
    const scale = assetScaleOf(engine, pool.asset);
    const format = (minor: bigint) => formatAmount(minor, scale);
    const isCustomer = pool.pool === 'customer';
    return {
      key: pool.key,
      pool: pool.pool,
      asset: pool.asset,
      accountClass: pool.accountClass,
      custody: format(pool.custodyPostedMinor),
      custodyAvailable: format(pool.custodyAvailableMinor),
      claims: format(pool.claimsPostedMinor),
      customerClaimsPositive: isCustomer ? format(pool.customerClaimsPositiveMinor) : null,
      residualInterest: isCustomer ? format(residualByPool.get(pool.key) ?? 0n) : null,
      excess: isCustomer ? format(pool.custodyAvailableMinor - pool.customerClaimsPositiveMinor) : null,
    };
  });
}
