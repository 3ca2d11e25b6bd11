// The trustee's co-signer: separate from the platform, it holds the trustee key and co-signs a Safe
// transaction only after checking for itself that (a) the request reached quorum under the installed policy,
// re-verifying every approval signature from its own replay of the custody events, (b) the SafeTx is exactly
// the transfer the request names, and (c) the ledger shows a basis (`checkTrusteeBasis`).

import {
  buildSafeTransaction,
  encodeTokenTransfer,
  hashSafeTransaction,
  type SafeSignature,
  type SafeTransaction,
} from '../../chain/index.ts';
import { encodeCanonicalJson } from '../../core/canonical-json.ts';
import { type Address, parseAddress } from '../../core/custody/address.ts';
import { checkTimelockElapsed } from '../../core/custody/policy.ts';
import { checkQuorum } from '../../core/custody/quorum.ts';
import { type Rejected, rejected } from '../../core/custody/rejection.ts';
import { verifyApprovals } from '../../core/custody/signatures.ts';
import {
  checkTrusteeBasis,
  type SegregationPoolView,
  type TrusteeMovement,
} from '../../core/custody/trustee-basis.ts';
import type { Vault } from '../../core/custody/vault.ts';
import { CLASS_RULES } from '../../core/ledger/classes.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import { availableOf, postedOf } from '../../core/ledger/state.ts';
import type { LedgerStore } from '../../store/store.ts';
import type { LedgerService } from '../ledger-service.ts';
import { applySegregationEvents, SegregationState } from '../segregation/segregation-state.ts';
import { applyCustodyEvents, CustodyState } from './custody-state.ts';
import type { SafeTxSigner } from './withdrawal-executor.ts';
import { withdrawalSafeTransaction } from './withdrawal-executor.ts';
import { readHoldView } from './withdrawal-ledger.ts';

/** The codes the co-signer adds to the core's (signature, quorum, timelock and trustee-basis codes). */
export type TrusteeCosignErrorCode =
  | 'trustee_request_unknown'
  | 'trustee_release_not_gated'
  | 'trustee_request_not_approved'
  | 'trustee_policy_changed'
  | 'trustee_transaction_mismatch'
  | 'custody_vault_unknown';

/** A co-signature, or the first rule the request broke. */
export type CosignResult = { readonly ok: true; readonly signature: SafeSignature } | Rejected;

/** A request to co-sign a customer withdrawal's SafeTx. */
export interface CosignWithdrawalInput {
  readonly requestId: string;
  readonly safeAddress: Address;
  readonly transaction: SafeTransaction;
}

/** A request to co-sign a release of house money from a customer vault to a house vault. */
export interface CosignHouseReleaseInput {
  readonly sourceVaultId: string;
  readonly destinationVaultId: string;
  readonly asset: string;
  readonly amountMinor: bigint;
  /** The booked `residual_interest_withdrawal` transfer this release carries out; null when none (a sweep). */
  readonly releaseTransferId: string | null;
  readonly transaction: SafeTransaction;
}

export interface TrusteeCosignerOptions {
  /** The store holding the custody events, read independently of the platform's process. */
  readonly store: LedgerStore;
  readonly ledger: LedgerService;
  /** The trustee's key. */
  readonly signer: SafeTxSigner;
  readonly clock?: () => number;
}

/** The trustee's co-signer; one instance per trustee key. */
export class TrusteeCosigner {
  readonly #state = new CustodyState();
  /** The segregation events, read independently: a release needs the residual-interest gate's approval. */
  readonly #segregation = new SegregationState();
  readonly #usedReleases = new Set<string>();
  readonly #clock: () => number;

  constructor(private readonly options: TrusteeCosignerOptions) {
    this.#clock = options.clock ?? Date.now;
  }

  /** The trustee's address. */
  get address(): Address {
    return this.options.signer.address;
  }

  /** Co-signs a customer withdrawal's SafeTx, or says which check failed (nothing is signed then). */
  async cosignWithdrawal(input: CosignWithdrawalInput): Promise<CosignResult> {
    await this.#refresh();
    const nowMs = this.#clock();
    const withdrawal = this.#state.withdrawals.get(input.requestId.toLowerCase());
    if (withdrawal === undefined) {
      return rejected('trustee_request_unknown', `no withdrawal request ${input.requestId} is recorded`);
    }
    const { request, decision } = withdrawal;
    if ((withdrawal.state !== 'approved' && withdrawal.state !== 'executing') || decision === null) {
      return rejected('trustee_request_not_approved', `request ${request.requestId} is ${withdrawal.state}`, {
        state: withdrawal.state,
      });
    }
    const policy = this.#state.policies.get(request.vaultId);
    const ruleIndex = decision.explanation.matchedRule?.index ?? -1;
    const rule = policy?.rules[ruleIndex];
    if (
      policy === undefined ||
      policy.id !== decision.policyId ||
      rule === undefined ||
      rule.action.type === 'deny' ||
      encodeCanonicalJson(rule.action.approverGroups) !== encodeCanonicalJson(decision.approverGroups)
    ) {
      return rejected(
        'trustee_policy_changed',
        `the policy installed for vault ${request.vaultId} no longer has the rule that approved request ${request.requestId}`,
        { policyId: policy?.id ?? null, decidedPolicyId: decision.policyId },
      );
    }
    const registry = this.#state.registry;
    if (registry === null) return rejected('trustee_policy_changed', 'no signer registry is recorded');
    // Re-verify every approval from scratch: the trustee trusts signatures, not the platform's tally.
    const verified = verifyApprovals(
      {
        request,
        expectedNonce: request.nonce,
        registry,
        approverGroups: decision.approverGroups,
        countedApprovals: new Map(),
        nowMs,
      },
      withdrawal.approvals.map((approval) => approval.signature),
    );
    if (!verified.ok) return verified;
    const quorum = checkQuorum(
      decision.approverGroups,
      verified.approvals.map((approval) => approval.signer),
      request.customerId,
    );
    if (!quorum.ok) return quorum;
    if (decision.executableAtMs !== null) {
      const timelock = checkTimelockElapsed(decision.executableAtMs, nowMs);
      if (!timelock.ok) return timelock;
    }
    const expected = withdrawalSafeTransaction(request, input.transaction.nonce);
    if (!sameTransaction(expected, input.transaction) || parseAddress(input.safeAddress) !== request.vault) {
      return rejected(
        'trustee_transaction_mismatch',
        `the SafeTx is not the transfer request ${request.requestId} names (token, destination, amount, vault)`,
      );
    }
    const movement = await this.options.ledger.read((engine): TrusteeMovement | null => {
      const vault = engine.getVault(request.vaultId);
      if (vault === undefined || request.customerId === null) return null;
      return {
        purpose: 'customer_withdrawal',
        sourceVault: vault,
        destinationVault: vaultAt(engine, request.destination),
        asset: request.asset,
        amountMinor: request.amountMinor,
        customerId: request.customerId,
        hold: readHoldView(engine, withdrawal.holdId),
      };
    });
    if (movement === null)
      return rejected('custody_vault_unknown', `vault ${request.vaultId} is not registered`);
    const basis = checkTrusteeBasis(movement, nowMs);
    if (!basis.ok) return basis;
    return { ok: true, signature: await this.#sign(input.transaction, movement.sourceVault) };
  }

  /**
   * Co-signs a release of house money (booked fees, residual interest) from a customer vault to a house vault,
   * only when the ledger books a residual-interest withdrawal for it and segregation stays covered.
   */
  async cosignHouseRelease(input: CosignHouseReleaseInput): Promise<CosignResult> {
    const nowMs = this.#clock();
    const facts = await this.options.ledger.read((engine) => {
      const source = engine.getVault(input.sourceVaultId);
      const destination = engine.getVault(input.destinationVaultId);
      if (source === undefined || destination === undefined) return null;
      const booked =
        input.releaseTransferId === null || this.#usedReleases.has(input.releaseTransferId)
          ? 0n
          : bookedReleaseMinor(engine, input.releaseTransferId, input.asset, source.accountClass);
      return {
        source,
        destination,
        booked,
        pool: poolView(engine, input.asset, source.accountClass, booked),
      };
    });
    if (facts === null)
      return rejected('custody_vault_unknown', 'the source or destination vault is not registered');
    const { source, destination } = facts;
    const token = source.assets.find((entry) => entry.asset === input.asset)?.token;
    const expected =
      token === undefined || token === 'native'
        ? buildSafeTransaction({
            to: destination.address,
            value: input.amountMinor,
            nonce: input.transaction.nonce,
          })
        : buildSafeTransaction({
            to: token,
            data: encodeTokenTransfer(destination.address, input.amountMinor),
            nonce: input.transaction.nonce,
          });
    if (!sameTransaction(expected, input.transaction)) {
      return rejected('trustee_transaction_mismatch', 'the SafeTx is not the release it claims to be');
    }
    const basis = checkTrusteeBasis(
      {
        purpose: 'house_release',
        sourceVault: source,
        destinationVault: destination,
        asset: input.asset,
        amountMinor: input.amountMinor,
        bookedReleaseMinor: facts.booked,
        pool: facts.pool,
      },
      nowMs,
    );
    if (!basis.ok) return basis;
    if (basis.basis === 'house_release') {
      // The booking alone is not enough: residual interest leaves segregation only through the gate
      // (prior statement finalised, excess stays >= 0 and >= target, the 25% rule), so the booked transfer
      // must be one the gate executed.
      applySegregationEvents(this.#segregation, await this.options.store.readSegregationEvents());
      const gated = this.#segregation.withdrawalsByTransfer.get(input.releaseTransferId ?? '');
      if (gated?.status !== 'executed') {
        return rejected(
          'trustee_release_not_gated',
          `transfer ${input.releaseTransferId} was not executed through the residual-interest gate`,
          { releaseTransferId: input.releaseTransferId },
        );
      }
    }
    // One booking backs one release: the same booked entry cannot be used to sign a second transfer.
    if (input.releaseTransferId !== null && basis.basis === 'house_release')
      this.#usedReleases.add(input.releaseTransferId);
    return { ok: true, signature: await this.#sign(input.transaction, source) };
  }

  async #refresh(): Promise<void> {
    applyCustodyEvents(this.#state, await this.options.store.readCustodyEvents());
  }

  async #sign(transaction: SafeTransaction, vault: Vault): Promise<SafeSignature> {
    const hash = hashSafeTransaction(transaction, { chainId: vault.chainId, safeAddress: vault.address });
    return { signer: this.options.signer.address, data: await this.options.signer.signHash(hash) };
  }
}

function sameTransaction(a: SafeTransaction, b: SafeTransaction): boolean {
  return encodeCanonicalJson(normalizeTransaction(a)) === encodeCanonicalJson(normalizeTransaction(b));
}

function normalizeTransaction(t: SafeTransaction): Record<string, unknown> {
  return {
    ...t,
    to: t.to.toLowerCase(),
    data: t.data.toLowerCase(),
    gasToken: t.gasToken.toLowerCase(),
    refundReceiver: t.refundReceiver.toLowerCase(),
  };
}

function vaultAt(engine: LedgerEngine, address: Address): Vault | null {
  return engine.listVaults().find((vault) => vault.address === address) ?? null;
}

// The amount a booked residual-interest withdrawal takes out of the class's segregated custody in `asset`.
function bookedReleaseMinor(
  engine: LedgerEngine,
  transferId: string,
  asset: string,
  accountClass: string | null,
): bigint {
  const found = engine.getTransfer(transferId);
  if (
    found === undefined ||
    found.entry.type !== 'transfer' ||
    found.entry.kind !== 'residual_interest_withdrawal'
  )
    return 0n;
  let total = 0n;
  for (const leg of found.entry.legs) {
    const credited = engine.getAccount(leg.credit);
    if (
      leg.asset === asset &&
      credited?.segregationClass === 'segregated_custody' &&
      credited.accountClass === accountClass
    ) {
      total += leg.amountMinor;
    }
  }
  return total;
}

// The class's pool pro forma before the booked release: the ledger already booked the coins out, but they are
// still in the vault until this transfer executes, so the booking is added back to custody and residual interest.
function poolView(
  engine: LedgerEngine,
  asset: string,
  accountClass: string | null,
  bookedMinor: bigint,
): SegregationPoolView {
  let custody = 0n;
  let claims = 0n;
  let residual = 0n;
  for (const account of engine.listAccounts()) {
    if (account.asset !== asset || account.accountClass !== accountClass) continue;
    const side = CLASS_RULES[account.segregationClass].side;
    if (account.segregationClass === 'segregated_custody')
      custody += postedOf(side, account.debitsPostedMinor, account.creditsPostedMinor);
    if (account.segregationClass === 'residual_interest')
      residual += postedOf(side, account.debitsPostedMinor, account.creditsPostedMinor);
    if (account.segregationClass === 'customer_collateral') {
      const available = availableOf(
        side,
        account.debitsPostedMinor,
        account.creditsPostedMinor,
        account.debitsPendingMinor,
        account.creditsPendingMinor,
      );
      // CFTC 1.32: deficits are never netted against other customers' credits.
      if (available > 0n) claims += available;
    }
  }
  return {
    asset,
    accountClass: accountClass ?? '',
    segregatedCustodyMinor: custody + bookedMinor,
    customerClaimsMinor: claims,
    residualInterestMinor: residual + bookedMinor,
  };
}
