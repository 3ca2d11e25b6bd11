// The withdrawal service: owns the signer registry, per-vault policies and allowlists, and every withdrawal
// request's state machine (requested -> awaiting_approvals | rejected -> approved -> executing -> executed |
// failed; cancelled; expired). Each transition is a custody event in the store; the ledger hold follows it.
// Operations run one at a time, so the custody state and the ledger never interleave half-done transitions.

import { encodeSafeSignatures, hashSafeTransaction } from '../../chain/index.ts';
import { assert } from '../../core/assert.ts';
import { encodeCanonicalJson } from '../../core/canonical-json.ts';
import { type Address, parseAddress } from '../../core/custody/address.ts';
import { buildSignerRegistry, type SignerInput } from '../../core/custody/parties.ts';
import {
  checkTimelockCancellable,
  checkTimelockElapsed,
  evaluatePolicy,
  type Policy,
  type RecentWithdrawal,
} from '../../core/custody/policy.ts';
import { checkQuorum, evaluateQuorum } from '../../core/custody/quorum.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import { approvalKey, type VerifiedApproval, verifyApprovals } from '../../core/custody/signatures.ts';
import { validatePolicyForVault } from '../../core/custody/unilateral-access.ts';
import { tokenAddressOf } from '../../core/custody/vault.ts';
import { validateWithdrawalRequest } from '../../core/custody/withdrawal-request.ts';
import type { LedgerStore } from '../../store/store.ts';
import type { LedgerService } from '../ledger-service.ts';
import type { CustodyEvent } from './custody-events.ts';
import {
  applyCustodyEvent,
  applyCustodyEvents,
  CustodyState,
  encodeCustodyEvents,
  type WithdrawalRecord,
  type WithdrawalState,
} from './custody-state.ts';
import type { CosignResult, CosignWithdrawalInput } from './trustee-cosigner.ts';
import {
  type SafeTxSigner,
  type WithdrawalExecutor,
  withdrawalSafeTransaction,
} from './withdrawal-executor.ts';
import {
  findClaimAccount,
  findCustodyAccount,
  withdrawalHoldCommand,
  withdrawalLedgerIds,
  withdrawalPostCommand,
  withdrawalVoidCommand,
} from './withdrawal-ledger.ts';
import { viewWithdrawal, type WithdrawalView } from './withdrawal-view.ts';

/** Terminal states in which no coins left the vault; velocity limits do not count them. */
const NO_COINS_MOVED: ReadonlySet<WithdrawalState> = new Set(['rejected', 'failed', 'cancelled', 'expired']);

/** No execution starts this close to the request's expiry: the hold must outlive the chain transaction. */
export const EXECUTION_EXPIRY_MARGIN_MS = 60_000;

/** A customer's withdrawal instruction, as the API hands it over after authenticating the customer. */
export interface WithdrawalInstruction {
  /** 32 bytes (0x and 64 hex digits) chosen by the client: the idempotency key of the whole flow. */
  readonly requestId: string;
  readonly customerId: string;
  readonly vaultId: string;
  readonly asset: string;
  readonly amountMinor: bigint;
  readonly destination: string;
  /** Expiry in whole seconds since the epoch; the ledger hold expires with it. */
  readonly expiresAtSeconds: bigint;
  /** The vault's next withdrawal nonce, or null to take it. */
  readonly nonce: bigint | null;
}

/** The codes the service adds to the core's, the ledger's and the trustee's (docs/custody.md). */
export type WithdrawalServiceErrorCode =
  | 'custody_vault_unknown'
  | 'custody_signers_missing'
  | 'custody_signers_already_registered'
  | 'allowlist_address_invalid'
  | 'withdrawal_request_conflict'
  | 'withdrawal_policy_missing'
  | 'withdrawal_claim_account_missing'
  | 'withdrawal_custody_account_missing'
  | 'withdrawal_request_unknown'
  | 'withdrawal_not_awaiting_approvals'
  | 'withdrawal_not_approved'
  | 'withdrawal_not_cancellable'
  | 'withdrawal_expiry_too_close';

/** A withdrawal operation's result: the request's current view (`duplicate` when nothing new happened), or a rejection. */
export type WithdrawalResult =
  | { readonly ok: true; readonly withdrawal: WithdrawalView; readonly duplicate: boolean }
  | Rejected;

/** A registry, policy or allowlist operation's result. */
export type CustodySetupResult = { readonly ok: true; readonly duplicate: boolean } | Rejected;

/** The trustee's side of execution, as the service sees it (a `TrusteeCosigner`, or a remote one). */
export interface WithdrawalCosigner {
  cosignWithdrawal(input: CosignWithdrawalInput): Promise<CosignResult>;
}

export interface WithdrawalServiceOptions {
  readonly ledger: LedgerService;
  /** Where custody events live; the ledger's store unless told. */
  readonly store?: LedgerStore;
  readonly executor: WithdrawalExecutor;
  /** The platform's Safe owner key. */
  readonly platformSigner: SafeTxSigner;
  readonly trustee: WithdrawalCosigner;
  readonly clock?: () => number;
}

/** The withdrawal flow of issue 3 on top of the ledger; open it with `WithdrawalService.open`. */
export class WithdrawalService {
  readonly #state: CustodyState;
  readonly #store: LedgerStore;
  readonly #clock: () => number;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: WithdrawalServiceOptions,
    state: CustodyState,
  ) {
    this.#state = state;
    this.#store = options.store ?? options.ledger.store;
    this.#clock = options.clock ?? Date.now;
  }

  /** Opens the service: rebuilds the custody state by replaying every stored custody event. */
  static async open(options: WithdrawalServiceOptions): Promise<WithdrawalService> {
    const state = new CustodyState();
    applyCustodyEvents(state, await (options.store ?? options.ledger.store).readCustodyEvents());
    return new WithdrawalService(options, state);
  }

  /** Sets the signer registry (platform, trustee, customer and custodian recovery keys); once. */
  registerSigners(inputs: readonly SignerInput[], platformPartyId: string): Promise<CustodySetupResult> {
    return this.#exclusive(async () => {
      if (this.#state.registry !== null) {
        return rejected('custody_signers_already_registered', 'the signer registry is already set');
      }
      const built = buildSignerRegistry(inputs, platformPartyId);
      if (!built.ok) return built;
      await this.#append([
        { kind: 'signers_registered', platformPartyId, signers: [...built.registry.signers.values()] },
      ]);
      return { ok: true, duplicate: false };
    });
  }

  /** Installs a vault's policy after `validatePolicyForVault` (no unilateral platform quorum). */
  installPolicy(vaultId: string, policy: Policy): Promise<CustodySetupResult> {
    return this.#exclusive(async () => {
      const vault = await this.options.ledger.readImmutable((engine) => engine.getVault(vaultId));
      if (vault === undefined) return rejected('custody_vault_unknown', `vault ${vaultId} is not registered`);
      const registry = this.#state.registry;
      if (registry === null) {
        return rejected('custody_signers_missing', 'register the signers before installing a policy');
      }
      const valid = validatePolicyForVault(policy, vault, registry);
      if (!valid.ok) return valid;
      const installed = this.#state.policies.get(vaultId);
      if (installed !== undefined && encodeCanonicalJson(installed) === encodeCanonicalJson(policy)) {
        return { ok: true, duplicate: true };
      }
      await this.#append([{ kind: 'policy_installed', vaultId, policy }]);
      return { ok: true, duplicate: false };
    });
  }

  /** Adds a destination to a vault's allowlist, usable after the policy's cooling-off; re-adding is a no-op. */
  addAllowlistEntry(vaultId: string, address: string): Promise<CustodySetupResult> {
    return this.#exclusive(async () => {
      const vault = await this.options.ledger.readImmutable((engine) => engine.getVault(vaultId));
      if (vault === undefined) return rejected('custody_vault_unknown', `vault ${vaultId} is not registered`);
      const parsed = parseAddress(address);
      if (parsed === null || BigInt(parsed) === 0n) {
        return rejected('allowlist_address_invalid', 'an allowlisted address is a non-zero EVM address', {
          address,
        });
      }
      if ((this.#state.allowlists.get(vaultId) ?? []).some((entry) => entry.address === parsed)) {
        return { ok: true, duplicate: true };
      }
      await this.#append([
        { kind: 'allowlist_entry_added', vaultId, address: parsed, addedAtMs: this.#clock() },
      ]);
      return { ok: true, duplicate: false };
    });
  }

  /**
   * Accepts a customer's instruction: validates it, places the ledger hold, evaluates the policy and records
   * the outcome (awaiting approvals, or rejected with the hold voided). A repeat of a recorded request id with
   * the same content returns its current state; with other content it is `withdrawal_request_conflict`.
   */
  requestWithdrawal(instruction: WithdrawalInstruction): Promise<WithdrawalResult> {
    return this.#exclusive(async () => {
      const nowMs = this.#clock();
      const existing = this.#state.withdrawals.get(instruction.requestId.toLowerCase());
      if (existing !== undefined) {
        if (!sameInstruction(existing, instruction)) {
          return rejected(
            'withdrawal_request_conflict',
            `request ${existing.request.requestId} was already submitted with other content`,
            { requestId: existing.request.requestId },
          );
        }
        return this.#result(existing, true);
      }
      const ledger = this.options.ledger;
      const vault = await ledger.readImmutable((engine) => engine.getVault(instruction.vaultId));
      if (vault === undefined) {
        return rejected('custody_vault_unknown', `vault ${instruction.vaultId} is not registered`);
      }
      const nextNonce = this.#state.nextNonceOf(vault.id);
      const validated = validateWithdrawalRequest(
        {
          requestId: instruction.requestId,
          vaultId: instruction.vaultId,
          chainId: vault.chainId,
          vault: vault.address,
          asset: instruction.asset,
          token: tokenAddressOf(vault, instruction.asset) ?? '',
          amountMinor: instruction.amountMinor,
          destination: instruction.destination,
          nonce: instruction.nonce ?? nextNonce,
          createdAtMs: nowMs,
          expiresAtSeconds: instruction.expiresAtSeconds,
          customerId: instruction.customerId,
        },
        vault,
      );
      if (!validated.ok) return validated;
      const { request } = validated;
      // The ledger keeps hold expiries in ms as safe integers.
      if (request.expiresAtSeconds * 1000n > BigInt(Number.MAX_SAFE_INTEGER)) {
        return rejected('withdrawal_expiry_invalid', 'the expiry must fit the ledger (ms as a safe integer)');
      }
      if (request.nonce !== nextNonce) {
        return rejected(
          'withdrawal_nonce_mismatch',
          `the vault's next nonce is ${nextNonce}, not ${request.nonce}`,
          { nonce: request.nonce.toString(), expectedNonce: nextNonce.toString() },
        );
      }
      const policy = this.#state.policies.get(vault.id);
      if (policy === undefined) {
        return rejected('withdrawal_policy_missing', `vault ${vault.id} has no installed policy`);
      }
      const accounts = await ledger.read((engine) => ({
        claim: findClaimAccount(engine, instruction.customerId, vault, request.asset),
        custody: findCustodyAccount(engine, vault.id, request.asset),
      }));
      if (accounts.claim === undefined) {
        return rejected(
          'withdrawal_claim_account_missing',
          `customer ${instruction.customerId} has no ${request.asset} claim in account class ${vault.accountClass}`,
        );
      }
      if (accounts.custody === undefined) {
        return rejected(
          'withdrawal_custody_account_missing',
          `no segregated custody account records vault ${vault.id} for ${request.asset}`,
        );
      }
      const hold = withdrawalHoldCommand(
        request,
        instruction.customerId,
        accounts.claim.id,
        accounts.custody.id,
      );
      const [held] = await ledger.submit([hold]);
      assert(held !== undefined, 'one result per command');
      // The ledger refuses an overspend (pending holds count against the available claim): nothing recorded.
      if (!held.ok) return rejected(held.error.code, held.error.message, held.error.details ?? {});

      const decision = evaluatePolicy(
        policy,
        request,
        {
          vault,
          allowlist: this.#state.allowlists.get(vault.id) ?? [],
          recentWithdrawals: this.#recentWithdrawals(vault.id),
        },
        nowMs,
      );
      const events: CustodyEvent[] = [
        {
          kind: 'withdrawal_requested',
          request,
          holdId: hold.id,
          claimAccountId: accounts.claim.id,
          custodyAccountId: accounts.custody.id,
        },
      ];
      let holdVoidId: string | null = null;
      if (!decision.ok) {
        await this.#submitOrThrow(withdrawalVoidCommand(request.requestId));
        holdVoidId = withdrawalLedgerIds(request.requestId).voidId;
      }
      events.push({
        kind: 'withdrawal_decided',
        requestId: request.requestId,
        policyId: policy.id,
        outcome: decision.outcome,
        approverGroups: decision.ok ? decision.approverGroups : [],
        executableAtMs: decision.ok ? decision.executableAtMs : null,
        code: decision.ok ? null : decision.error.code,
        explanation: decision.explanation,
        holdVoidId,
      });
      await this.#append(events);
      return this.#result(this.#record(request.requestId), false);
    });
  }

  /**
   * Counts approval signatures over the request's RingfenceWithdrawal digest. Signatures already counted for
   * this request are skipped (a retry is a no-op); the rest are verified in the core's order and recorded
   * together, moving the request to approved when quorum is reached.
   */
  submitApprovals(requestId: string, signatures: readonly string[]): Promise<WithdrawalResult> {
    return this.#exclusive(async () => {
      const record = this.#state.withdrawals.get(requestId.toLowerCase());
      if (record === undefined) return unknownRequest(requestId);
      if (
        (record.state !== 'awaiting_approvals' && record.state !== 'approved') ||
        record.decision === null
      ) {
        return rejected(
          'withdrawal_not_awaiting_approvals',
          `request ${record.request.requestId} is ${record.state}, not awaiting approvals`,
          { state: record.state },
        );
      }
      const own = new Set(record.approvals.map((approval) => approvalKey(approval.signature)));
      const fresh = signatures.filter((signature) => !own.has(approvalKey(signature)));
      if (fresh.length === 0) return this.#result(record, true);
      const registry = this.#state.registry;
      assert(registry !== null, 'a request with a decision has a signer registry');
      const alreadyVerified: VerifiedApproval[] = record.approvals.map((approval) => {
        const signer = registry.signers.get(approval.signer);
        assert(signer !== undefined, 'counted approvals are by registered signers');
        return { signer, key: approvalKey(approval.signature) };
      });
      const verified = verifyApprovals(
        {
          request: record.request,
          expectedNonce: record.request.nonce,
          registry,
          approverGroups: record.decision.approverGroups,
          countedApprovals: this.#state.countedApprovals,
          nowMs: this.#clock(),
        },
        fresh,
        alreadyVerified,
      );
      if (!verified.ok) return verified;
      const added = verified.approvals.slice(alreadyVerified.length);
      const quorum = evaluateQuorum(
        record.decision.approverGroups,
        verified.approvals.map((approval) => approval.signer),
        record.request.customerId,
      );
      await this.#append([
        {
          kind: 'withdrawal_approvals_added',
          requestId: record.request.requestId,
          approvals: added.map((approval, index) => ({
            signature: fresh[index]!.toLowerCase(),
            signer: approval.signer.address,
          })),
          quorumReached: quorum.reached,
        },
      ]);
      return this.#result(record, false);
    });
  }

  /**
   * Executes an approved request on chain: the platform signs the SafeTx, the trustee co-signs only after its
   * own checks, and the Safe executes it. Success posts the hold; a revert voids it. Refusals before
   * submission (quorum, timelock, expiry, the trustee's codes) change nothing.
   */
  executeWithdrawal(requestId: string): Promise<WithdrawalResult> {
    return this.#exclusive(async () => {
      const record = this.#state.withdrawals.get(requestId.toLowerCase());
      if (record === undefined) return unknownRequest(requestId);
      const { request, decision } = record;
      if (record.state === 'awaiting_approvals' && decision !== null) {
        const registry = this.#state.registry;
        const approvers = record.approvals.flatMap((approval) => {
          const signer = registry?.signers.get(approval.signer);
          return signer === undefined ? [] : [signer];
        });
        const quorum = checkQuorum(decision.approverGroups, approvers, request.customerId);
        if (!quorum.ok) return quorum;
      }
      if (record.state !== 'approved' || decision === null) {
        return rejected('withdrawal_not_approved', `request ${request.requestId} is ${record.state}`, {
          state: record.state,
        });
      }
      const nowMs = this.#clock();
      const expiresAtMs = Number(request.expiresAtSeconds * 1000n);
      if (nowMs >= expiresAtMs) {
        return rejected('withdrawal_request_expired', `request ${request.requestId} has expired`, {
          expiresAtSeconds: request.expiresAtSeconds.toString(),
          nowMs,
        });
      }
      if (nowMs + EXECUTION_EXPIRY_MARGIN_MS > expiresAtMs) {
        return rejected(
          'withdrawal_expiry_too_close',
          `request ${request.requestId} expires within ${EXECUTION_EXPIRY_MARGIN_MS} ms; its hold could lapse while the transaction is mined`,
          { expiresAtSeconds: request.expiresAtSeconds.toString(), nowMs },
        );
      }
      if (decision.executableAtMs !== null) {
        const timelock = checkTimelockElapsed(decision.executableAtMs, nowMs);
        if (!timelock.ok) return timelock;
      }
      // A frozen ledger (an insolvency resolution) would refuse the posting once the coins had left: refuse now.
      const frozen = this.options.ledger.refusalOf(withdrawalPostCommand(request.requestId));
      if (frozen !== null) return rejected(frozen.code, frozen.message, frozen.details ?? {});
      const safeAddress = request.vault;
      const safeNonce = await this.options.executor.readSafeNonce(safeAddress);
      const transaction = withdrawalSafeTransaction(request, safeNonce);
      const safeTxHash = hashSafeTransaction(transaction, { chainId: request.chainId, safeAddress });
      const platform = this.options.platformSigner;
      const platformSignature = { signer: platform.address, data: await platform.signHash(safeTxHash) };
      const cosigned = await this.options.trustee.cosignWithdrawal({
        requestId: request.requestId,
        safeAddress,
        transaction,
      });
      if (!cosigned.ok) return cosigned;
      await this.#append([
        {
          kind: 'withdrawal_execution_started',
          requestId: request.requestId,
          safeAddress,
          safeNonce,
          safeTxHash,
        },
      ]);
      const executed = await this.options.executor.execute({
        safeAddress,
        transaction,
        signatures: encodeSafeSignatures([platformSignature, cosigned.signature]),
      });
      if (executed.ok) {
        await this.#submitOrThrow(withdrawalPostCommand(request.requestId));
        await this.#append([
          {
            kind: 'withdrawal_executed',
            requestId: request.requestId,
            transactionHash: executed.transactionHash,
            holdPostId: withdrawalLedgerIds(request.requestId).postId,
          },
        ]);
      } else {
        await this.#submitOrThrow(withdrawalVoidCommand(request.requestId));
        await this.#append([
          {
            kind: 'withdrawal_execution_failed',
            requestId: request.requestId,
            code: executed.error.code,
            reason: executed.error.reason,
            holdVoidId: withdrawalLedgerIds(request.requestId).voidId,
          },
        ]);
      }
      return this.#result(record, false);
    });
  }

  /** Cancels a request before execution (a timelocked one only while its timelock runs); voids the hold. */
  cancelWithdrawal(requestId: string, cancelledBy: string): Promise<WithdrawalResult> {
    return this.#exclusive(async () => {
      const record = this.#state.withdrawals.get(requestId.toLowerCase());
      if (record === undefined) return unknownRequest(requestId);
      if (record.state === 'cancelled') return this.#result(record, true);
      if (!['requested', 'awaiting_approvals', 'approved'].includes(record.state)) {
        return rejected(
          'withdrawal_not_cancellable',
          `request ${record.request.requestId} is ${record.state}`,
          {
            state: record.state,
          },
        );
      }
      const executableAtMs = record.decision?.executableAtMs ?? null;
      if (executableAtMs !== null) {
        const cancellable = checkTimelockCancellable(executableAtMs, this.#clock());
        if (!cancellable.ok) return cancellable;
      }
      const frozen = this.options.ledger.refusalOf(withdrawalVoidCommand(record.request.requestId));
      if (frozen !== null) return rejected(frozen.code, frozen.message, frozen.details ?? {});
      await this.#submitOrThrow(withdrawalVoidCommand(record.request.requestId));
      await this.#append([
        {
          kind: 'withdrawal_cancelled',
          requestId: record.request.requestId,
          cancelledBy,
          holdVoidId: withdrawalLedgerIds(record.request.requestId).voidId,
        },
      ]);
      return this.#result(record, false);
    });
  }

  /** Records every unexecuted request past its expiry as expired, once the ledger has expired its hold. */
  expireDueWithdrawals(): Promise<WithdrawalView[]> {
    return this.#exclusive(async () => {
      const nowMs = this.#clock();
      const due = [...this.#state.withdrawals.values()].filter(
        (record) =>
          ['requested', 'awaiting_approvals', 'approved'].includes(record.state) &&
          BigInt(nowMs) >= record.request.expiresAtSeconds * 1000n,
      );
      if (due.length === 0) return [];
      await this.options.ledger.expireDueHolds();
      const expired = await this.options.ledger.read((engine) =>
        due.filter((record) => engine.getHold(record.holdId)?.status === 'expired'),
      );
      if (expired.length === 0) return [];
      await this.#append(
        expired.map(
          (record) => ({ kind: 'withdrawal_expired', requestId: record.request.requestId }) as const,
        ),
      );
      return expired.map((record) => viewWithdrawal(this.#state, record));
    });
  }

  /** The request's current view, or null when no such request is recorded. */
  getWithdrawal(requestId: string): WithdrawalView | null {
    const record = this.#state.withdrawals.get(requestId.toLowerCase());
    return record === undefined ? null : viewWithdrawal(this.#state, record);
  }

  /** Every recorded request, oldest first. */
  listWithdrawals(): WithdrawalView[] {
    return [...this.#state.withdrawals.values()].map((record) => viewWithdrawal(this.#state, record));
  }

  /** The vault's installed policy, or null. */
  getPolicy(vaultId: string): Policy | null {
    return this.#state.policies.get(vaultId) ?? null;
  }

  /** The vault's allowlist with the time each address was added. */
  getAllowlist(vaultId: string): readonly { readonly address: Address; readonly addedAtMs: number }[] {
    return [...(this.#state.allowlists.get(vaultId) ?? [])];
  }

  /** The nonce the vault's next request will consume. */
  nextNonce(vaultId: string): bigint {
    return this.#state.nextNonceOf(vaultId);
  }

  /** How many custody events the state has applied (the store's head seq). */
  get custodyEventSeq(): number {
    return this.#state.headSeq;
  }

  // Velocity limits count the vault's requests that may still move or have moved coins.
  #recentWithdrawals(vaultId: string): RecentWithdrawal[] {
    return [...this.#state.withdrawals.values()]
      .filter((record) => record.request.vaultId === vaultId && !NO_COINS_MOVED.has(record.state))
      .map((record) => ({
        vaultId,
        asset: record.request.asset,
        amountMinor: record.request.amountMinor,
        createdAtMs: record.request.createdAtMs,
      }));
  }

  #record(requestId: string): WithdrawalRecord {
    const record = this.#state.withdrawals.get(requestId);
    assert(record !== undefined, 'the request was just recorded');
    return record;
  }

  #result(record: WithdrawalRecord, duplicate: boolean): WithdrawalResult {
    return { ok: true, withdrawal: viewWithdrawal(this.#state, record), duplicate };
  }

  // Durable first, then in memory: a failed append leaves the state as it was, and every ledger command the
  // transition issued is idempotent, so a retry completes it.
  async #append(events: readonly CustodyEvent[]): Promise<void> {
    const records = encodeCustodyEvents(events, this.#state.headSeq, this.#clock());
    await this.#store.appendCustodyEvents(records);
    for (const record of records) applyCustodyEvent(this.#state, record);
  }

  // Posting or voiding a hold this service placed and still tracks cannot be refused by the ledger.
  async #submitOrThrow(command: Parameters<LedgerService['submit']>[0][number]): Promise<void> {
    const [result] = await this.options.ledger.submit([command]);
    assert(
      result?.ok === true,
      `the ledger refused ${command.type}: ${result?.ok === false ? result.error.code : ''}`,
    );
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function unknownRequest(requestId: string): Rejected {
  return rejected('withdrawal_request_unknown', `no withdrawal request ${requestId} is recorded`, {
    requestId,
  });
}

function sameInstruction(record: WithdrawalRecord, instruction: WithdrawalInstruction): boolean {
  const { request } = record;
  return (
    request.customerId === instruction.customerId &&
    request.vaultId === instruction.vaultId &&
    request.asset === instruction.asset &&
    request.amountMinor === instruction.amountMinor &&
    request.destination === parseAddress(instruction.destination) &&
    request.expiresAtSeconds === instruction.expiresAtSeconds &&
    (instruction.nonce === null || instruction.nonce === request.nonce)
  );
}
