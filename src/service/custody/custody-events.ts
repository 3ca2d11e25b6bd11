// The custody events: every change to the withdrawal service's state (signers, policies, allowlists, and each
// withdrawal transition) is one event, appended to the store's append-only custody_events table. Replaying
// them in order rebuilds the state (`custody-state.ts`).

import type { Address } from '../../core/custody/address.ts';
import type { ApproverGroup } from '../../core/custody/approver-groups.ts';
import type { Signer } from '../../core/custody/parties.ts';
import type { Policy, PolicyExplanation } from '../../core/custody/policy.ts';
import type { WithdrawalRequest } from '../../core/custody/withdrawal-request.ts';

/** The signer registry was set (once). */
export interface SignersRegisteredEvent {
  readonly kind: 'signers_registered';
  readonly platformPartyId: string;
  readonly signers: readonly Signer[];
}

/** A policy passed `validatePolicyForVault` and now governs the vault's withdrawals. */
export interface PolicyInstalledEvent {
  readonly kind: 'policy_installed';
  readonly vaultId: string;
  readonly policy: Policy;
}

/** An address joined a vault's destination allowlist (usable after the policy's cooling-off). */
export interface AllowlistEntryAddedEvent {
  readonly kind: 'allowlist_entry_added';
  readonly vaultId: string;
  readonly address: Address;
  readonly addedAtMs: number;
}

/** A customer's instruction was accepted and its ledger hold placed. */
export interface WithdrawalRequestedEvent {
  readonly kind: 'withdrawal_requested';
  readonly request: WithdrawalRequest;
  /** The ledger hold (a pending `withdrawal` transfer) and the two accounts it moves between. */
  readonly holdId: string;
  readonly claimAccountId: string;
  readonly custodyAccountId: string;
}

/** The policy decided: allow or timelock (awaiting approvals), or deny (rejected, hold voided). */
export interface WithdrawalDecidedEvent {
  readonly kind: 'withdrawal_decided';
  readonly requestId: string;
  readonly policyId: string;
  readonly outcome: 'allow' | 'timelock' | 'deny';
  readonly approverGroups: readonly ApproverGroup[];
  readonly executableAtMs: number | null;
  /** The denial code, null when allowed. */
  readonly code: string | null;
  readonly explanation: PolicyExplanation;
  /** The ledger void of the hold, for a denial. */
  readonly holdVoidId: string | null;
}

/** Verified approvals were counted; `quorumReached` says whether the request is now approved. */
export interface WithdrawalApprovalsAddedEvent {
  readonly kind: 'withdrawal_approvals_added';
  readonly requestId: string;
  readonly approvals: readonly { readonly signature: string; readonly signer: Address }[];
  readonly quorumReached: boolean;
}

/** Platform and trustee signed the SafeTx and it is being submitted. */
export interface WithdrawalExecutionStartedEvent {
  readonly kind: 'withdrawal_execution_started';
  readonly requestId: string;
  readonly safeAddress: Address;
  readonly safeNonce: bigint;
  readonly safeTxHash: string;
}

/** The Safe executed the transfer; the hold was posted. */
export interface WithdrawalExecutedEvent {
  readonly kind: 'withdrawal_executed';
  readonly requestId: string;
  readonly transactionHash: string;
  readonly holdPostId: string;
}

/** The Safe or its guard reverted; the hold was voided. */
export interface WithdrawalExecutionFailedEvent {
  readonly kind: 'withdrawal_execution_failed';
  readonly requestId: string;
  readonly code: string;
  readonly reason: string;
  readonly holdVoidId: string;
}

/** The request was cancelled before execution; the hold was voided. */
export interface WithdrawalCancelledEvent {
  readonly kind: 'withdrawal_cancelled';
  readonly requestId: string;
  readonly cancelledBy: string;
  readonly holdVoidId: string;
}

/** The request reached its expiry unexecuted; the ledger expired the hold. */
export interface WithdrawalExpiredEvent {
  readonly kind: 'withdrawal_expired';
  readonly requestId: string;
}

/** Every custody event. */
export type CustodyEvent =
  | SignersRegisteredEvent
  | PolicyInstalledEvent
  | AllowlistEntryAddedEvent
  | WithdrawalRequestedEvent
  | WithdrawalDecidedEvent
  | WithdrawalApprovalsAddedEvent
  | WithdrawalExecutionStartedEvent
  | WithdrawalExecutedEvent
  | WithdrawalExecutionFailedEvent
  | WithdrawalCancelledEvent
  | WithdrawalExpiredEvent;
