// In-memory ledger state: accounts with their four balance columns and the per-pool running totals
// that let every transfer be checked against the segregation invariants in constant time.

import { assert } from '../assert.ts';
import { CLASS_RULES, type ClassRules, type Pool, type SegregationClass } from './classes.ts';
import type { Account, Owner } from './types.ts';

/** Running totals of one pool: customer (per asset and account class), house or insurance (per asset). */
export interface PoolState {
  readonly key: string;
  readonly pool: Pool;
  readonly asset: string;
  readonly accountClass: string | null;
  /** Posted balances of the custody side (coins held). */
  custodyPostedMinor: bigint;
  /** Posted balances of the claim side (whom the coins belong to). */
  claimsPostedMinor: bigint;
  /** Custody net of pending outflows. */
  custodyAvailableMinor: bigint;
  /** CFTC 1.20/1.32 requirement basis: sum over customers of max(0, available claim); deficits never net. */
  customerClaimsPositiveMinor: bigint;
}

/** One account as the engine holds it; balances are mutated only through `addToBalances`. */
export interface AccountState {
  readonly id: string;
  readonly owner: Owner;
  readonly asset: string;
  readonly segregationClass: SegregationClass;
  readonly accountClass: string | null;
  /** The registered vault a custody account records; null for claims. */
  readonly vaultId: string | null;
  readonly rules: ClassRules;
  readonly pool: PoolState;
  debitsPostedMinor: bigint;
  creditsPostedMinor: bigint;
  debitsPendingMinor: bigint;
  creditsPendingMinor: bigint;
}

/** The key of the pool an account of this class, asset and account class belongs to. */
export function poolKeyOf(
  segregationClass: SegregationClass,
  asset: string,
  accountClass: string | null,
): string {
  const pool = CLASS_RULES[segregationClass].pool;
  return pool === 'customer' ? `customer:${asset}:${accountClass}` : `${pool}:${asset}`;
}

/** A fresh pool with zero totals. */
export function newPool(pool: Pool, asset: string, accountClass: string | null): PoolState {
  return {
    key: pool === 'customer' ? `customer:${asset}:${accountClass}` : `${pool}:${asset}`,
    pool,
    asset,
    accountClass,
    custodyPostedMinor: 0n,
    claimsPostedMinor: 0n,
    custodyAvailableMinor: 0n,
    customerClaimsPositiveMinor: 0n,
  };
}

/** Posted balance on the account's normal side: custody is debit-normal, claims are credit-normal. */
export function postedOf(side: ClassRules['side'], debitsPosted: bigint, creditsPosted: bigint): bigint {
  return side === 'custody' ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
}

/** Available balance: posted less pending outflows (pending inflows are not counted until posted). */
export function availableOf(
  side: ClassRules['side'],
  debitsPosted: bigint,
  creditsPosted: bigint,
  debitsPending: bigint,
  creditsPending: bigint,
): bigint {
  return side === 'custody'
    ? debitsPosted - creditsPosted - creditsPending
    : creditsPosted - debitsPosted - debitsPending;
}

/**
 * Adds the given increments to the account's balance columns and moves the pool totals by the same amounts.
 * Increments may be negative (a released hold); the resulting columns never are.
 */
export function addToBalances(
  account: AccountState,
  debitsPosted: bigint,
  creditsPosted: bigint,
  debitsPending: bigint,
  creditsPending: bigint,
): void {
  const custody = account.rules.side === 'custody';
  const postedChange = custody ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
  const availableChange = postedChange - (custody ? creditsPending : debitsPending);
  const pool = account.pool;
  if (account.segregationClass === 'customer_collateral') {
    const before = availableOf(
      'claim',
      account.debitsPostedMinor,
      account.creditsPostedMinor,
      account.debitsPendingMinor,
      0n,
    );
    pool.customerClaimsPositiveMinor += positive(before + availableChange) - positive(before);
  }
  account.debitsPostedMinor += debitsPosted;
  account.creditsPostedMinor += creditsPosted;
  account.debitsPendingMinor += debitsPending;
  account.creditsPendingMinor += creditsPending;
  assert(
    account.debitsPostedMinor >= 0n && account.creditsPostedMinor >= 0n,
    'posted columns are never negative',
  );
  assert(
    account.debitsPendingMinor >= 0n && account.creditsPendingMinor >= 0n,
    'pending columns are never negative',
  );
  if (custody) {
    pool.custodyPostedMinor += postedChange;
    pool.custodyAvailableMinor += availableChange;
  } else {
    pool.claimsPostedMinor += postedChange;
  }
}

/** max(0, value): the "deficits are added back, never netted" operator. */
export function positive(value: bigint): bigint {
  return value > 0n ? value : 0n;
}

/** An immutable copy of the account for readers and the store. */
export function snapshotAccount(account: AccountState): Account {
  return {
    id: account.id,
    owner: account.owner,
    asset: account.asset,
    segregationClass: account.segregationClass,
    accountClass: account.accountClass,
    vaultId: account.vaultId,
    debitsPostedMinor: account.debitsPostedMinor,
    creditsPostedMinor: account.creditsPostedMinor,
    debitsPendingMinor: account.debitsPendingMinor,
    creditsPendingMinor: account.creditsPendingMinor,
  };
}
