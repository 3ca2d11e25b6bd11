// What the read commands print, built from the ledger when they read a database directly (--db). The
// shapes equal the HTTP API's, so `--json` output is the same whether a command asks a server or the file.

import { assert } from '../core/assert.ts';
import { CLASS_RULES } from '../core/ledger/classes.ts';
import type { HoldState, LedgerEngine } from '../core/ledger/engine.ts';
import { availableOf, poolKeyOf, postedOf } from '../core/ledger/state.ts';
import type { Account, Owner } from '../core/ledger/types.ts';
import { formatAmount } from '../core/money/amount.ts';

/** An account with its balances as decimal strings (the API's Account). */
export interface AccountView {
  readonly id: string;
  readonly owner: Owner;
  readonly asset: string;
  readonly segregationClass: string;
  readonly accountClass: string | null;
  readonly side: 'custody' | 'claim';
  readonly balances: {
    readonly debitsPosted: string;
    readonly creditsPosted: string;
    readonly debitsPending: string;
    readonly creditsPending: string;
    readonly balance: string;
    readonly available: string;
  };
}

/** One pool's segregation position (the API's Pool); per pool, custody equals claims. */
export interface PoolView {
  readonly key: string;
  readonly pool: 'customer' | 'house' | 'insurance';
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

/** A hold (the API's Hold). */
export interface HoldView {
  readonly id: string;
  readonly kind: string;
  readonly debit: string;
  readonly credit: string;
  readonly asset: string;
  readonly amount: string;
  readonly expiresAt: string;
  readonly status: HoldState['status'];
}

/** Which accounts a balance listing shows. */
export interface AccountFilter {
  readonly customerId?: string | undefined;
  readonly asset?: string | undefined;
}

/** True when the account passes every filter that is set. */
export function matchesFilter(account: Account, filter: AccountFilter): boolean {
  if (
    filter.customerId !== undefined &&
    (account.owner.type !== 'customer' || account.owner.customerId !== filter.customerId)
  ) {
    return false;
  }
  return filter.asset === undefined || account.asset === filter.asset;
}

/** Formats an account at its asset's scale. */
export function toAccountView(engine: LedgerEngine, account: Account): AccountView {
  const scale = scaleOf(engine, account.asset);
  const side = CLASS_RULES[account.segregationClass].side;
  const { debitsPostedMinor, creditsPostedMinor, debitsPendingMinor, creditsPendingMinor } = account;
  return {
    id: account.id,
    owner: account.owner,
    asset: account.asset,
    segregationClass: account.segregationClass,
    accountClass: account.accountClass,
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

/** Formats every pool's running totals, with the residual interest summed from its accounts. */
export function toPoolViews(engine: LedgerEngine): PoolView[] {
  const residualByPool = new Map<string, bigint>();
  for (const account of engine.listAccounts()) {
    if (account.segregationClass !== 'residual_interest') continue;
    const key = poolKeyOf(account.segregationClass, account.asset, account.accountClass);
    residualByPool.set(
      key,
      (residualByPool.get(key) ?? 0n) +
        postedOf('claim', account.debitsPostedMinor, account.creditsPostedMinor),
    );
  }
  return engine.listPools().map((pool) => {
    const scale = scaleOf(engine, pool.asset);
    const customer = pool.pool === 'customer';
    return {
      key: pool.key,
      pool: pool.pool,
      asset: pool.asset,
      accountClass: pool.accountClass,
      custody: formatAmount(pool.custodyPostedMinor, scale),
      custodyAvailable: formatAmount(pool.custodyAvailableMinor, scale),
      claims: formatAmount(pool.claimsPostedMinor, scale),
      customerClaimsPositive: customer ? formatAmount(pool.customerClaimsPositiveMinor, scale) : null,
      residualInterest: customer ? formatAmount(residualByPool.get(pool.key) ?? 0n, scale) : null,
      excess: customer
        ? formatAmount(pool.custodyAvailableMinor - pool.customerClaimsPositiveMinor, scale)
        : null,
    };
  });
}

/** Formats a hold at its asset's scale. */
export function toHoldView(engine: LedgerEngine, hold: Readonly<HoldState>): HoldView {
  return {
    id: hold.id,
    kind: hold.kind,
    debit: hold.leg.debit,
    credit: hold.leg.credit,
    asset: hold.leg.asset,
    amount: formatAmount(hold.amountMinor, scaleOf(engine, hold.leg.asset)),
    expiresAt: new Date(hold.expiresAtMs).toISOString(),
    status: hold.status,
  };
}

function scaleOf(engine: LedgerEngine, code: string): number {
  const asset = engine.getAsset(code);
  assert(asset !== undefined, 'accounts and holds name registered assets');
  return asset.scale;
}
