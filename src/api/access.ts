// Customer scoping: a customer key sees and instructs only its own customer record and accounts.
// Operators and auditors are not scoped (the auditor's read-only limit is a role check on the route).

import type { LedgerEngine } from '../core/ledger/engine.ts';
import type { Account } from '../core/ledger/types.ts';
import { ApiError } from './api-error.ts';
import type { Principal } from './app-env.ts';

/** True when `account` belongs to the customer the key speaks for. */
export function isOwnAccount(customerId: string, account: Pick<Account, 'owner'> | undefined): boolean {
  return account?.owner.type === 'customer' && account.owner.customerId === customerId;
}

/** True when the principal may see something touching these accounts: unscoped, or one of them is its own. */
export function canSeeAccounts(
  engine: LedgerEngine,
  principal: Principal,
  accountIds: readonly string[],
): boolean {
  if (principal.customerId === null) return true;
  const customerId = principal.customerId;
  return accountIds.some((id) => isOwnAccount(customerId, engine.getAccount(id)));
}

/**
 * The customer filter a request may use: unscoped principals keep what they asked for; a customer gets
 * its own id, and asking for another customer is 403 `forbidden_not_own_account`.
 */
export function scopeCustomerFilter(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.customerId === null) return requested;
  if (requested !== undefined && requested !== principal.customerId) {
    throw new ApiError('forbidden_not_own_account', 'a customer key sees only its own customer', {
      customerId: requested,
    });
  }
  return principal.customerId;
}

/** Throws 403 `forbidden_not_own_account` unless the principal may see this; `what` names it in the message. */
export function requireVisible(visible: boolean, what: string): void {
  if (!visible) throw new ApiError('forbidden_not_own_account', `a customer key cannot see ${what}`);
}
