// The demo's withdrawal scenario on its chain: the featured customer withdraws USDC through the whole flow
// (hold, policy, customer + trustee approvals, platform + trustee SafeTx signatures, Safe execution, hold
// posted); the platform then tries to move the same amount on its own and is refused by the custody core
// (policy install, approval, quorum) and by the Safe itself (GS020), with nothing moved. A third request is
// left approved, for the user to execute through the API.

import { createHash } from 'node:crypto';
import {
  encodeSafeSignatures,
  hashSafeTransaction,
  readTokenBalance,
  signSafeTransactionHash,
} from '../chain/index.ts';
import { assert } from '../core/assert.ts';
import type { Address } from '../core/custody/address.ts';
import type { Rejected } from '../core/custody/rejection.ts';
import { CLASS_RULES } from '../core/ledger/classes.ts';
import { availableOf, postedOf } from '../core/ledger/state.ts';
import { divFloor } from '../core/money/amount.ts';
import { createChainWithdrawalExecutor, withdrawalSafeTransaction } from './custody/withdrawal-executor.ts';
import type { WithdrawalResult } from './custody/withdrawal-service.ts';
import type { WithdrawalView } from './custody/withdrawal-view.ts';
import { DEMO_FEATURED_CUSTOMER_ID, demoAccountIds, demoVaultIds } from './demo-book.ts';
import type { DemoChain } from './demo-chain.ts';
import { type DemoCustody, demoPlatformOnlyPolicy, demoWithdrawalPolicy } from './demo-custody.ts';
import type { LedgerService } from './ledger-service.ts';

/** The featured customer's withdrawal in the demo: 250 USDC (6 decimals), less if its claim is smaller. */
export const DEMO_WITHDRAWAL_MINOR = 250_000_000n;
/** How long the demo's requests stay valid. */
const REQUEST_LIFETIME_SECONDS = 3_600n;
const ACCOUNT_CLASS = 'derivatives';
const ASSET = 'USDC';
// Amounts are drawn in whole cents so they print cleanly.
const CENT_MINOR = 10_000n;

/** A value before and after a step. */
export interface DemoBalanceChange {
  readonly beforeMinor: bigint;
  readonly afterMinor: bigint;
}

/** A refusal as the demo reports it. */
export interface DemoRefusal {
  readonly code: string;
  readonly message: string;
}

/** The withdrawal that went through, with what it changed on chain and in the ledger. */
export interface DemoExecutedWithdrawal {
  readonly request: WithdrawalView;
  /** The ledger hold's status right after the request, and at the end. */
  readonly holdStatusRequested: string;
  readonly holdStatus: string;
  /** The Safe owners whose signatures executed it: the platform's and the trustee's. */
  readonly safeSigners: readonly { readonly role: 'platform' | 'trustee'; readonly address: Address }[];
  readonly transactionHash: string;
  readonly blockNumber: bigint;
  readonly destinationBalance: DemoBalanceChange;
  readonly vaultBalance: DemoBalanceChange;
  /** The customer's posted claim. */
  readonly ledgerClaim: DemoBalanceChange;
  /** The vault's posted custody in the ledger. */
  readonly ledgerCustody: DemoBalanceChange;
}

/** The platform's attempt to move customer coins alone, and every place it was refused. */
export interface DemoRefusedWithdrawal {
  readonly request: WithdrawalView;
  /** Installing a policy under which the platform's keys alone reach quorum. */
  readonly policyInstall: DemoRefusal;
  /** The platform's own approval signature over the request's digest. */
  readonly platformApproval: DemoRefusal;
  /** Executing without the customer's and the trustee's approvals. */
  readonly execution: DemoRefusal;
  /** The SafeTx signed by the platform's key alone, submitted to the Safe directly. */
  readonly onChain: {
    readonly code: string;
    readonly reason: string;
    readonly safeTxHash: string;
    readonly safeNonce: DemoBalanceChange;
    readonly vaultBalance: DemoBalanceChange;
    readonly destinationBalance: DemoBalanceChange;
  };
  /** The hold's status once the request was cancelled. */
  readonly holdStatus: string;
}

/** What the scenario did. */
export interface DemoWithdrawalsReport {
  readonly executed: DemoExecutedWithdrawal;
  readonly refused: DemoRefusedWithdrawal;
  /** Approved by the customer and the trustee, not executed: `POST /v1/withdrawals/{id}/execute` runs it. */
  readonly ready: WithdrawalView;
}

export interface RunDemoWithdrawalsOptions {
  /** The wall clock in ms (request expiries count from it); defaults to `Date.now()`. */
  readonly nowMs?: number;
}

/** Runs the scenario once on a freshly seeded and funded demo; every step must end as the demo expects. */
export async function runDemoWithdrawals(
  demo: DemoChain,
  ledger: LedgerService,
  custody: DemoCustody,
  options: RunDemoWithdrawalsOptions = {},
): Promise<DemoWithdrawalsReport> {
  const nowMs = options.nowMs ?? Date.now();
  const { parties } = demo;
  const { withdrawals } = custody;
  const customerId = DEMO_FEATURED_CUSTOMER_ID;
  const vaultId = demoVaultIds.customer(ACCOUNT_CLASS);
  const claimId = demoAccountIds.customer(customerId, ACCOUNT_CLASS, ASSET);
  const custodyId = demoAccountIds.segregated(ACCOUNT_CLASS, ASSET);
  const vault = demo.customerVaults[ACCOUNT_CLASS].safeAddress;
  const token = demo.tokens[ASSET];
  assert(token !== 'native', 'USDC is a token on the demo chain');
  const destination = parties.customerWallet;

  const chainBalance = (owner: Address) => readTokenBalance(demo.writer.publicClient, { token, owner });
  const ledgerBalances = () =>
    ledger.read((engine) => {
      const claim = engine.getAccount(claimId);
      const held = engine.getAccount(custodyId);
      assert(claim !== undefined && held !== undefined, 'the demo book has the claim and custody accounts');
      const claimSide = CLASS_RULES[claim.segregationClass].side;
      return {
        claimMinor: postedOf(claimSide, claim.debitsPostedMinor, claim.creditsPostedMinor),
        availableMinor: availableOf(
          claimSide,
          claim.debitsPostedMinor,
          claim.creditsPostedMinor,
          claim.debitsPendingMinor,
          claim.creditsPendingMinor,
        ),
        custodyMinor: postedOf(
          CLASS_RULES[held.segregationClass].side,
          held.debitsPostedMinor,
          held.creditsPostedMinor,
        ),
      };
    });
  const holdStatus = async (holdId: string) => {
    const status = await ledger.read((engine) => engine.getHold(holdId)?.status);
    assert(status !== undefined, `hold ${holdId} exists`);
    return status;
  };
  const request = async (label: string, amountMinor: bigint): Promise<WithdrawalView> =>
    viewOf(
      `requesting the ${label} withdrawal`,
      await withdrawals.requestWithdrawal({
        requestId: demoRequestId(label),
        customerId,
        vaultId,
        asset: ASSET,
        amountMinor,
        destination,
        expiresAtSeconds: BigInt(Math.floor(nowMs / 1000)) + REQUEST_LIFETIME_SECONDS,
        nonce: null,
      }),
    );
  const approveByCustomerAndTrustee = async (view: WithdrawalView): Promise<WithdrawalView> => {
    const signatures = [
      await parties.customer.account.sign({ hash: view.digest }),
      await parties.trustee.account.sign({ hash: view.digest }),
    ];
    const approved = viewOf('approving', await withdrawals.submitApprovals(view.requestId, signatures));
    assert(approved.state === 'approved', 'the customer and the trustee reach quorum');
    return approved;
  };

  // The three requests must fit the customer's claim with room to spare, whatever the seed.
  const start = await ledgerBalances();
  let amountMinor = DEMO_WITHDRAWAL_MINOR;
  const quarter = divFloor(divFloor(start.availableMinor, 4n), CENT_MINOR) * CENT_MINOR;
  if (quarter < amountMinor) amountMinor = quarter;
  assert(amountMinor > 0n, `${customerId} holds ${ASSET} to withdraw in ${ACCOUNT_CLASS}`);

  // (a) The customer's withdrawal, all the way through.
  const destinationBefore = await chainBalance(destination);
  const vaultBefore = await chainBalance(vault);
  const requested = await request('customer-withdrawal', amountMinor);
  assert(requested.state === 'awaiting_approvals', 'the policy asks for approvals');
  const holdStatusRequested = await holdStatus(requested.holdId);
  await approveByCustomerAndTrustee(requested);
  const executed = viewOf('executing', await withdrawals.executeWithdrawal(requested.requestId));
  assert(executed.state === 'executed', `the withdrawal executes on chain, not ${executed.state}`);
  const transactionHash = executed.execution?.transactionHash ?? null;
  assert(transactionHash !== null, 'an executed withdrawal has a transaction hash');
  const receipt = await demo.writer.publicClient.getTransactionReceipt({
    hash: transactionHash as `0x${string}`,
  });
  assert(receipt.status === 'success', 'the execution transaction succeeded');
  const afterExecution = await ledgerBalances();
  const executedReport: DemoExecutedWithdrawal = {
    request: executed,
    holdStatusRequested,
    holdStatus: await holdStatus(executed.holdId),
    safeSigners: [
      { role: 'platform', address: parties.platform.address },
      { role: 'trustee', address: parties.trustee.address },
    ],
    transactionHash,
    blockNumber: receipt.blockNumber,
    destinationBalance: { beforeMinor: destinationBefore, afterMinor: await chainBalance(destination) },
    vaultBalance: { beforeMinor: vaultBefore, afterMinor: await chainBalance(vault) },
    ledgerClaim: { beforeMinor: start.claimMinor, afterMinor: afterExecution.claimMinor },
    ledgerCustody: { beforeMinor: start.custodyMinor, afterMinor: afterExecution.custodyMinor },
  };
  assert(
    executedReport.vaultBalance.afterMinor === afterExecution.custodyMinor,
    'after the withdrawal the vault holds what the ledger records',
  );

  // (b) The platform alone: refused by the custody core, then by the Safe.
  const policyInstall = refusalOf(
    'installing a platform-only policy',
    await withdrawals.installPolicy(vaultId, demoPlatformOnlyPolicy()),
  );
  assert(
    withdrawals.getPolicy(vaultId)?.id === demoWithdrawalPolicy().id,
    'the refused policy left the installed one in place',
  );
  const attempt = await request('platform-only-attempt', amountMinor);
  assert(attempt.state === 'awaiting_approvals', 'the policy asks for approvals');
  const platformApproval = refusalOf(
    "counting the platform's approval",
    await withdrawals.submitApprovals(attempt.requestId, [
      await parties.platform.account.sign({ hash: attempt.digest }),
    ]),
  );
  const execution = refusalOf(
    'executing without quorum',
    await withdrawals.executeWithdrawal(attempt.requestId),
  );
  const executor = createChainWithdrawalExecutor(demo.writer);
  const nonceBefore = await executor.readSafeNonce(vault);
  const transaction = withdrawalSafeTransaction(attempt, nonceBefore);
  const safeTxHash = hashSafeTransaction(transaction, { chainId: demo.chainId, safeAddress: vault });
  const vaultBeforeAttempt = await chainBalance(vault);
  const destinationBeforeAttempt = await chainBalance(destination);
  const onChain = await executor.execute({
    safeAddress: vault,
    transaction,
    signatures: encodeSafeSignatures([await signSafeTransactionHash(parties.platform.account, safeTxHash)]),
  });
  assert(!onChain.ok, 'the Safe refuses a SafeTx the platform signed alone');
  const vaultAfterAttempt = await chainBalance(vault);
  assert(vaultAfterAttempt === vaultBeforeAttempt, 'nothing left the vault');
  const cancelled = viewOf(
    'cancelling the attempt',
    await withdrawals.cancelWithdrawal(attempt.requestId, 'demo'),
  );
  const refusedReport: DemoRefusedWithdrawal = {
    request: cancelled,
    policyInstall,
    platformApproval,
    execution,
    onChain: {
      code: onChain.error.code,
      reason: onChain.error.reason,
      safeTxHash,
      safeNonce: { beforeMinor: nonceBefore, afterMinor: await executor.readSafeNonce(vault) },
      vaultBalance: { beforeMinor: vaultBeforeAttempt, afterMinor: vaultAfterAttempt },
      destinationBalance: {
        beforeMinor: destinationBeforeAttempt,
        afterMinor: await chainBalance(destination),
      },
    },
    holdStatus: await holdStatus(cancelled.holdId),
  };

  // (c) One more, approved and left for the user to execute through the API.
  const ready = await approveByCustomerAndTrustee(
    await request('ready-to-execute', divFloor(divFloor(amountMinor, 2n), CENT_MINOR) * CENT_MINOR),
  );
  return { executed: executedReport, refused: refusedReport, ready };
}

/** The demo's request id for `label`: 32 bytes derived from it (every demo run starts from an empty book). */
export function demoRequestId(label: string): `0x${string}` {
  return `0x${createHash('sha256').update(`ringfence-demo-withdrawal\n${label}`).digest('hex')}`;
}

function viewOf(step: string, result: WithdrawalResult): WithdrawalView {
  assert(result.ok, `${step} must be accepted: ${result.ok ? '' : result.error.code}`);
  return result.withdrawal;
}

function refusalOf(step: string, result: { readonly ok: true } | Rejected): DemoRefusal {
  assert(!result.ok, `${step} must be refused`);
  return { code: result.error.code, message: result.error.message };
}
