// The custody state the withdrawal service and the trustee each rebuild from the custody events: the signer
// registry, per-vault policies and allowlists, the next withdrawal nonce per vault, every withdrawal with its
// state and approvals, and every approval ever counted (for replay detection).

import { assert } from '../../core/assert.ts';
import { decodeCanonicalJson, encodeCanonicalJson } from '../../core/canonical-json.ts';
import type { Address } from '../../core/custody/address.ts';
import type { SignerRegistry } from '../../core/custody/parties.ts';
import type { AllowlistEntry, Policy } from '../../core/custody/policy.ts';
import { approvalKey, type CountedApproval } from '../../core/custody/signatures.ts';
import type { WithdrawalRequest } from '../../core/custody/withdrawal-request.ts';
import type { CustodyEventRecord } from '../../store/store.ts';
import type { CustodyEvent, WithdrawalDecidedEvent } from './custody-events.ts';

/** The states of a withdrawal request (see docs/custody.md for the transitions). */
export const WITHDRAWAL_STATES = [
  'requested',
  'awaiting_approvals',
  'rejected',
  'approved',
  'executing',
  'executed',
  'failed',
  'cancelled',
  'expired',
] as const;
export type WithdrawalState = (typeof WITHDRAWAL_STATES)[number];

/** States from which nothing more happens. */
export const TERMINAL_WITHDRAWAL_STATES: ReadonlySet<WithdrawalState> = new Set([
  'rejected',
  'executed',
  'failed',
  'cancelled',
  'expired',
]);

/** One withdrawal as the events describe it. */
export interface WithdrawalRecord {
  readonly request: WithdrawalRequest;
  readonly holdId: string;
  readonly claimAccountId: string;
  readonly custodyAccountId: string;
  state: WithdrawalState;
  decision: Omit<WithdrawalDecidedEvent, 'kind' | 'requestId'> | null;
  readonly approvals: { readonly signature: string; readonly signer: Address }[];
  execution: {
    readonly safeAddress: Address;
    readonly safeNonce: bigint;
    readonly safeTxHash: string;
    transactionHash: string | null;
  } | null;
  failure: { readonly code: string; readonly reason: string } | null;
  cancelledBy: string | null;
  /** Each state entered, with the event's seq and time. */
  readonly history: { readonly state: WithdrawalState; readonly seq: number; readonly atMs: number }[];
}

/** The custody state; mutate it only through `applyCustodyEvent`. */
export class CustodyState {
  registry: SignerRegistry | null = null;
  readonly policies = new Map<string, Policy>();
  readonly allowlists = new Map<string, AllowlistEntry[]>();
  readonly nextNonces = new Map<string, bigint>();
  readonly withdrawals = new Map<string, WithdrawalRecord>();
  readonly countedApprovals = new Map<string, CountedApproval>();
  headSeq = 0;

  /** The nonce the vault's next request consumes (0 for a vault with none yet). */
  nextNonceOf(vaultId: string): bigint {
    return this.nextNonces.get(vaultId) ?? 0n;
  }
}

/** Turns events into records with the next seqs, canonical bodies and one timestamp. */
export function encodeCustodyEvents(
  events: readonly CustodyEvent[],
  afterSeq: number,
  timestampMs: number,
): CustodyEventRecord[] {
  return events.map((event, index) => ({
    seq: afterSeq + index + 1,
    kind: event.kind,
    body: encodeCanonicalJson(event),
    timestampMs,
  }));
}

/** Applies one stored event to the state; a record out of sequence or contradicting the state is a bug. */
export function applyCustodyEvent(state: CustodyState, record: CustodyEventRecord): void {
  assert(record.seq === state.headSeq + 1, 'custody events apply densely in seq order');
  const event = decodeCanonicalJson<CustodyEvent>(record.body);
  assert(event.kind === record.kind, 'a custody event body names its kind');
  state.headSeq = record.seq;
  const enter = (withdrawal: WithdrawalRecord, next: WithdrawalState) => {
    withdrawal.state = next;
    withdrawal.history.push({ state: next, seq: record.seq, atMs: record.timestampMs });
  };
  switch (event.kind) {
    case 'signers_registered': {
      state.registry = {
        platformPartyId: event.platformPartyId,
        signers: new Map(event.signers.map((signer) => [signer.address, signer])),
      };
      return;
    }
    case 'policy_installed':
      state.policies.set(event.vaultId, event.policy);
      return;
    case 'allowlist_entry_added': {
      const entries = state.allowlists.get(event.vaultId) ?? [];
      entries.push({ address: event.address, addedAtMs: event.addedAtMs });
      state.allowlists.set(event.vaultId, entries);
      return;
    }
    case 'withdrawal_requested': {
      const { request } = event;
      assert(!state.withdrawals.has(request.requestId), 'a request id is recorded once');
      assert(request.nonce === state.nextNonceOf(request.vaultId), 'requests consume vault nonces in order');
      state.nextNonces.set(request.vaultId, request.nonce + 1n);
      const withdrawal: WithdrawalRecord = {
        request,
        holdId: event.holdId,
        claimAccountId: event.claimAccountId,
        custodyAccountId: event.custodyAccountId,
        state: 'requested',
        decision: null,
        approvals: [],
        execution: null,
        failure: null,
        cancelledBy: null,
        history: [],
      };
      state.withdrawals.set(request.requestId, withdrawal);
      enter(withdrawal, 'requested');
      return;
    }
    case 'withdrawal_decided': {
      const withdrawal = withdrawalIn(state, event.requestId, ['requested']);
      const { kind: _kind, requestId: _requestId, ...decision } = event;
      withdrawal.decision = decision;
      enter(withdrawal, event.outcome === 'deny' ? 'rejected' : 'awaiting_approvals');
      return;
    }
    case 'withdrawal_approvals_added': {
      const withdrawal = withdrawalIn(state, event.requestId, ['awaiting_approvals', 'approved']);
      for (const approval of event.approvals) {
        withdrawal.approvals.push(approval);
        state.countedApprovals.set(approvalKey(approval.signature), {
          requestId: withdrawal.request.requestId,
          nonce: withdrawal.request.nonce,
        });
      }
      if (event.quorumReached && withdrawal.state !== 'approved') enter(withdrawal, 'approved');
      return;
    }
    case 'withdrawal_execution_started': {
      const withdrawal = withdrawalIn(state, event.requestId, ['approved']);
      withdrawal.execution = {
        safeAddress: event.safeAddress,
        safeNonce: event.safeNonce,
        safeTxHash: event.safeTxHash,
        transactionHash: null,
      };
      enter(withdrawal, 'executing');
      return;
    }
    case 'withdrawal_executed': {
      const withdrawal = withdrawalIn(state, event.requestId, ['executing']);
      withdrawal.execution!.transactionHash = event.transactionHash;
      enter(withdrawal, 'executed');
      return;
    }
    case 'withdrawal_execution_failed': {
      const withdrawal = withdrawalIn(state, event.requestId, ['executing']);
      withdrawal.failure = { code: event.code, reason: event.reason };
      enter(withdrawal, 'failed');
      return;
    }
    case 'withdrawal_cancelled': {
      const withdrawal = withdrawalIn(state, event.requestId, [
        'requested',
        'awaiting_approvals',
        'approved',
      ]);
      withdrawal.cancelledBy = event.cancelledBy;
      enter(withdrawal, 'cancelled');
      return;
    }
    case 'withdrawal_expired': {
      const withdrawal = withdrawalIn(state, event.requestId, [
        'requested',
        'awaiting_approvals',
        'approved',
      ]);
      enter(withdrawal, 'expired');
      return;
    }
  }
}

function withdrawalIn(
  state: CustodyState,
  requestId: string,
  from: readonly WithdrawalState[],
): WithdrawalRecord {
  const withdrawal = state.withdrawals.get(requestId);
  assert(withdrawal !== undefined, `custody event for unknown request ${requestId}`);
  assert(from.includes(withdrawal.state), `request ${requestId} cannot move on from ${withdrawal.state}`);
  return withdrawal;
}

/** Replays stored events onto `state` (all of them, or those past its head). */
export function applyCustodyEvents(state: CustodyState, records: readonly CustodyEventRecord[]): void {
  for (const record of records) if (record.seq > state.headSeq) applyCustodyEvent(state, record);
}
