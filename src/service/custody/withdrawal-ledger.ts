// What the withdrawal flow asks of the ledger: the customer's claim account and the segregated custody
// account that records the vault, the hold / post / void commands with ids derived from the request id, and
// the hold as the trustee's basis check reads it.

import { createHash } from 'node:crypto';
import type { HoldView } from '../../core/custody/trustee-basis.ts';
import type { Vault } from '../../core/custody/vault.ts';
import type { WithdrawalRequest } from '../../core/custody/withdrawal-request.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import type { Account, PostHoldCommand, TransferCommand, VoidHoldCommand } from '../../core/ledger/types.ts';

/** The ledger ids of one withdrawal: ledger ids are 128-bit, request ids 256-bit, so they are derived. */
export interface WithdrawalLedgerIds {
  readonly holdId: string;
  readonly postId: string;
  readonly voidId: string;
}

/** Derives the hold, post and void ids: the first 128 bits of SHA-256("ringfence.withdrawal.<step>.v1\n" + requestId). */
export function withdrawalLedgerIds(requestId: string): WithdrawalLedgerIds {
  const derive = (step: string) =>
    createHash('sha256').update(`ringfence.withdrawal.${step}.v1\n${requestId}`).digest('hex').slice(0, 32);
  return { holdId: derive('hold'), postId: derive('post'), voidId: derive('void') };
}

/** The customer's claim account of the vault's account class in `asset`, if it exists. */
export function findClaimAccount(
  engine: LedgerEngine,
  customerId: string,
  vault: Vault,
  asset: string,
): Account | undefined {
  return engine
    .listAccounts()
    .find(
      (account) =>
        account.segregationClass === 'customer_collateral' &&
        account.owner.type === 'customer' &&
        account.owner.customerId === customerId &&
        account.asset === asset &&
        account.accountClass === vault.accountClass,
    );
}

/** The segregated custody account that records `vaultId` for `asset`, if it exists. */
export function findCustodyAccount(
  engine: LedgerEngine,
  vaultId: string,
  asset: string,
): Account | undefined {
  return engine
    .listAccounts()
    .find(
      (account) =>
        account.segregationClass === 'segregated_custody' &&
        account.vaultId === vaultId &&
        account.asset === asset,
    );
}

/** The hold: a `withdrawal` transfer from the claim to the custody account, instructed by the customer. */
export function withdrawalHoldCommand(
  request: WithdrawalRequest,
  customerId: string,
  claimAccountId: string,
  custodyAccountId: string,
): TransferCommand {
  return {
    type: 'transfer',
    id: withdrawalLedgerIds(request.requestId).holdId,
    kind: 'withdrawal',
    reference: request.requestId,
    instructedBy: customerId,
    legs: [
      {
        debit: claimAccountId,
        credit: custodyAccountId,
        asset: request.asset,
        amountMinor: request.amountMinor,
      },
    ],
    holdExpiresAtMs: Number(request.expiresAtSeconds * 1000n),
  };
}

/** Posts the hold in full once the coins have left the vault. */
export function withdrawalPostCommand(requestId: string): PostHoldCommand {
  const ids = withdrawalLedgerIds(requestId);
  return { type: 'post_hold', id: ids.postId, holdId: ids.holdId, amountMinor: null };
}

/** Voids the hold (denied, cancelled, or reverted on chain). */
export function withdrawalVoidCommand(requestId: string): VoidHoldCommand {
  const ids = withdrawalLedgerIds(requestId);
  return { type: 'void_hold', id: ids.voidId, holdId: ids.holdId };
}

/** The hold as the trustee reads it from the ledger, or null when the ledger has no such hold. */
export function readHoldView(engine: LedgerEngine, holdId: string): HoldView | null {
  const hold = engine.getHold(holdId);
  if (hold === undefined) return null;
  const account = engine.getAccount(hold.leg.debit);
  if (account === undefined || account.owner.type !== 'customer' || account.accountClass === null)
    return null;
  return {
    holdId,
    customerId: account.owner.customerId,
    accountClass: account.accountClass,
    asset: hold.leg.asset,
    pendingMinor: hold.status === 'pending' ? hold.amountMinor : 0n,
    status: hold.status,
    expiresAtMs: hold.expiresAtMs,
  };
}
