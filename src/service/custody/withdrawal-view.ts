// The read model of one withdrawal, as the API and CLI show it: the request, its state, the policy decision
// with its explanation, who approved and who is still missing, the digest approvers sign, and the execution.

import type { Address } from '../../core/custody/address.ts';
import type { PolicyExplanation } from '../../core/custody/policy.ts';
import { evaluateQuorum } from '../../core/custody/quorum.ts';
import { withdrawalDigestHex } from '../../core/custody/withdrawal-digest.ts';
import type { CustodyState, WithdrawalRecord, WithdrawalState } from './custody-state.ts';

/** One withdrawal request and everything that happened to it. */
export interface WithdrawalView {
  readonly requestId: `0x${string}`;
  readonly vaultId: string;
  readonly chainId: number;
  readonly vault: Address;
  readonly customerId: string | null;
  readonly asset: string;
  readonly token: Address;
  readonly amountMinor: bigint;
  readonly destination: Address;
  readonly nonce: bigint;
  readonly createdAtMs: number;
  readonly expiresAtSeconds: bigint;
  readonly state: WithdrawalState;
  /** The EIP-712 RingfenceWithdrawal digest approvers sign. */
  readonly digest: `0x${string}`;
  /** The ledger hold reserving the amount on the customer's claim. */
  readonly holdId: string;
  readonly decision: {
    readonly outcome: 'allow' | 'timelock' | 'deny';
    readonly policyId: string;
    /** The denial code; null when allowed. */
    readonly code: string | null;
    readonly executableAtMs: number | null;
    readonly explanation: PolicyExplanation;
  } | null;
  readonly approvals: readonly {
    readonly signer: Address;
    readonly role: string | null;
    readonly label: string | null;
  }[];
  /** Per approver group, the approvals still missing (empty once approved, and before a decision). */
  readonly missingApprovals: readonly { readonly groupId: string; readonly missing: number }[];
  readonly execution: {
    readonly safeAddress: Address;
    readonly safeNonce: bigint;
    readonly safeTxHash: string;
    readonly transactionHash: string | null;
  } | null;
  readonly failure: { readonly code: string; readonly reason: string } | null;
  readonly cancelledBy: string | null;
  readonly history: readonly {
    readonly state: WithdrawalState;
    readonly seq: number;
    readonly atMs: number;
  }[];
}

/** Builds the view of one withdrawal from the custody state. */
export function viewWithdrawal(state: CustodyState, record: WithdrawalRecord): WithdrawalView {
  const { request, decision } = record;
  const signers = record.approvals.map((approval) => state.registry?.signers.get(approval.signer));
  const approvers = signers.filter((signer) => signer !== undefined);
  const quorum =
    decision === null ? null : evaluateQuorum(decision.approverGroups, approvers, request.customerId);
  return {
    requestId: request.requestId,
    vaultId: request.vaultId,
    chainId: request.chainId,
    vault: request.vault,
    customerId: request.customerId,
    asset: request.asset,
    token: request.token,
    amountMinor: request.amountMinor,
    destination: request.destination,
    nonce: request.nonce,
    createdAtMs: request.createdAtMs,
    expiresAtSeconds: request.expiresAtSeconds,
    state: record.state,
    digest: withdrawalDigestHex(request),
    holdId: record.holdId,
    decision:
      decision === null
        ? null
        : {
            outcome: decision.outcome,
            policyId: decision.policyId,
            code: decision.code,
            executableAtMs: decision.executableAtMs,
            explanation: decision.explanation,
          },
    approvals: record.approvals.map((approval, index) => ({
      signer: approval.signer,
      role: signers[index]?.role ?? null,
      label: signers[index]?.label ?? null,
    })),
    missingApprovals:
      quorum === null || decision?.outcome === 'deny'
        ? []
        : quorum.groups
            .filter((group) => group.missing > 0)
            .map((group) => ({ groupId: group.groupId, missing: group.missing })),
    execution: record.execution === null ? null : { ...record.execution },
    failure: record.failure,
    cancelledBy: record.cancelledBy,
    history: [...record.history],
  };
}
