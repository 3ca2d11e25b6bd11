// Recomputes the ledger's invariants from the accounts alone, independently of the engine's running
// totals: tests, the simulation and `journal verify` use it to prove the engine never broke one.

import { CLASS_RULES } from './classes.ts';
import { availableOf, positive, postedOf } from './state.ts';
import type { Account } from './types.ts';

/** One broken invariant, named. */
export interface InvariantViolation {
  readonly invariant:
    | 'debits_equal_credits'
    | 'customer_claim_negative'
    | 'custody_below_customer_claims'
    | 'pool_custody_differs_from_claims'
    | 'balance_negative';
  readonly key: string;
  readonly message: string;
}

/** Every invariant violation in the given accounts; an empty list means the books are sound. */
export function checkInvariants(accounts: readonly Account[]): InvariantViolation[] {
  const violations: InvariantViolation[] = [];
  const perAsset = new Map<string, { debits: bigint; credits: bigint }>();
  const pools = new Map<
    string,
    { custody: bigint; claims: bigint; custodyAvailable: bigint; customerClaims: bigint }
  >();
  for (const account of accounts) {
    const rules = CLASS_RULES[account.segregationClass];
    const asset = perAsset.get(account.asset) ?? { debits: 0n, credits: 0n };
    asset.debits += account.debitsPostedMinor + account.debitsPendingMinor;
    asset.credits += account.creditsPostedMinor + account.creditsPendingMinor;
    perAsset.set(account.asset, asset);
    const posted = postedOf(rules.side, account.debitsPostedMinor, account.creditsPostedMinor);
    const available = availableOf(
      rules.side,
      account.debitsPostedMinor,
      account.creditsPostedMinor,
      account.debitsPendingMinor,
      account.creditsPendingMinor,
    );
    if (rules.negativeCode !== null && available < 0n) {
      violations.push({
        invariant:
          account.segregationClass === 'customer_collateral' ? 'customer_claim_negative' : 'balance_negative',
        key: account.id,
        message: `${account.id} available ${available}`,
      });
    }
    const key =
      rules.pool === 'customer'
        ? `customer:${account.asset}:${account.accountClass}`
        : `${rules.pool}:${account.asset}`;
    const pool = pools.get(key) ?? { custody: 0n, claims: 0n, custodyAvailable: 0n, customerClaims: 0n };
    if (rules.side === 'custody') {
      pool.custody += posted;
      pool.custodyAvailable += available;
    } else {
      pool.claims += posted;
    }
    if (account.segregationClass === 'customer_collateral') pool.customerClaims += positive(available);
    pools.set(key, pool);
  }
  for (const [asset, totals] of perAsset) {
    if (totals.debits !== totals.credits) {
      violations.push({
        invariant: 'debits_equal_credits',
        key: asset,
        message: `${asset}: debits ${totals.debits} != credits ${totals.credits}`,
      });
    }
  }
  for (const [key, pool] of pools) {
    if (pool.custody !== pool.claims) {
      violations.push({
        invariant: 'pool_custody_differs_from_claims',
        key,
        message: `${key}: custody ${pool.custody} != claims ${pool.claims}`,
      });
    }
    if (key.startsWith('customer:') && pool.custodyAvailable < pool.customerClaims) {
      violations.push({
        invariant: 'custody_below_customer_claims',
        key,
        message: `${key}: custody ${pool.custodyAvailable} < claims ${pool.customerClaims}`,
      });
    }
  }
  return violations;
}
