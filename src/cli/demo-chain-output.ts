// How `ringfence demo` shows its chain: the deployed vaults and tokens, the funding that makes chain and
// ledger agree, and the withdrawal scenario step by step, as text for people and as one JSON object.

import { SAFE_VERSION } from '../chain/index.ts';
import { assert } from '../core/assert.ts';
import { formatAmount } from '../core/money/amount.ts';
import { DEMO_ASSETS } from '../service/demo-book.ts';
import { DEMO_TOKENS, type DemoChain, type DemoVaultFunding } from '../service/demo-chain.ts';
import type { DemoBalanceChange, DemoRefusal, DemoWithdrawalsReport } from '../service/demo-withdrawals.ts';
import { renderFields } from './output.ts';

/** What the demo did on its chain, for printing. */
export interface DemoChainRun {
  readonly demo: DemoChain;
  readonly funding: readonly DemoVaultFunding[];
  readonly withdrawals: DemoWithdrawalsReport;
}

/** The chain section of the walkthrough: vaults, tokens, parties, then the two scenarios. */
export function renderDemoChain(run: DemoChainRun): string {
  const { demo, funding, withdrawals } = run;
  const { parties } = demo;
  const fundedCount = funding.filter((entry) => entry.ledgerMinor > 0n).length;
  const agreeing = funding.filter((entry) => entry.chainMinor === entry.ledgerMinor).length;
  const vaultLines = renderFields(
    [
      ...Object.entries(demo.customerVaults).map(
        ([accountClass, vault]) =>
          [
            `vault:${accountClass}:cold`,
            `${vault.safeAddress.toLowerCase()}  Safe 2-of-3 (platform, trustee, custodian recovery) + RingfenceGuard ${vault.guardAddress.toLowerCase()}`,
          ] as const,
      ),
      ['vault:house', `${demo.houseVault}  Safe 1-of-1 (platform): the house's own money`],
      ['vault:insurance', `${demo.insuranceVault}  Safe 2-of-3 (platform, trustee, custodian recovery)`],
    ],
    '  ',
  );
  const tokens = DEMO_ASSETS.map(({ code, scale }) => {
    const token = demo.tokens[code];
    if (token === 'native') return `${code} native (${scale})`;
    const symbol = code === 'ETH' ? code : DEMO_TOKENS[code].symbol;
    return `${code} as ${symbol} ${token} (${scale})`;
  }).join(', ');
  const partyLines = renderFields(
    [
      ['platform key', parties.platform.address],
      ['trustee key', parties.trustee.address],
      ['custodian recovery key', parties.custodianRecovery.address],
      [`${parties.customer.customerId} approval key`, parties.customer.address],
      [`${parties.customer.customerId} wallet`, parties.customerWallet],
    ],
    '  ',
  );
  return `
On-chain custody: local EVM, chain ${demo.chainId}, in this process's memory (Safe ${SAFE_VERSION} contracts from npm)
${vaultLines}  tokens: ${tokens}
  funded: every vault holds on chain exactly the custody the ledger records (${fundedCount} balances minted, ${agreeing} of ${funding.length} read back equal)
${partyLines}${renderExecuted(withdrawals)}${renderRefused(withdrawals)}`;
}

function renderExecuted(report: DemoWithdrawalsReport): string {
  const { executed } = report;
  const { request } = executed;
  const amount = (minor: bigint) => `${formatAmount(minor, scaleOf(request.asset))} ${request.asset}`;
  const change = (value: DemoBalanceChange) => `${amount(value.beforeMinor)} -> ${amount(value.afterMinor)}`;
  const decision = request.decision;
  const approvals = request.approvals.map((approval) => `${approval.label} (${approval.role})`).join(' + ');
  const signers = executed.safeSigners.map((signer) => `${signer.role} ${signer.address}`).join(' + ');
  return `
(a) ${request.customerId} withdraws ${amount(request.amountMinor)} from ${request.vaultId} to its wallet ${request.destination}
${renderFields(
  [
    ['request', `${request.requestId} (vault nonce ${request.nonce})`],
    ['hold', `${executed.request.holdId} placed on the customer's claim: ${executed.holdStatusRequested}`],
    ['policy', decision?.explanation.reason ?? '(no decision)'],
    ['approvals', `${approvals} -> quorum reached`],
    ['SafeTx', `${request.execution?.safeTxHash ?? ''} signed by ${signers}`],
    ['executed', `tx ${executed.transactionHash} (block ${executed.blockNumber})`],
    ['wallet', `${change(executed.destinationBalance)} (on chain)`],
    ['vault', `${change(executed.vaultBalance)} (on chain)`],
    ['claim', `${change(executed.ledgerClaim)} (ledger)`],
    ['custody', `${change(executed.ledgerCustody)} (ledger; equals the vault on chain)`],
    ['hold now', executed.holdStatus],
  ],
  '  ',
)}`;
}

function renderRefused(report: DemoWithdrawalsReport): string {
  const { refused } = report;
  const { request, onChain } = refused;
  const amount = (minor: bigint) => `${formatAmount(minor, scaleOf(request.asset))} ${request.asset}`;
  const refusal = (value: DemoRefusal) => `refused ${value.code}: ${value.message}`;
  return `
(b) the platform tries to move ${amount(request.amountMinor)} of ${request.customerId}'s claim on its own
${renderFields(
  [
    ['platform-only policy', refusal(refused.policyInstall)],
    ['platform approval', refusal(refused.platformApproval)],
    ['execute', refusal(refused.execution)],
    [
      'on chain',
      `SafeTx ${onChain.safeTxHash} signed by the platform alone -> reverted by the Safe: ${onChain.code} (${onChain.reason})`,
    ],
    [
      'nothing moved',
      `vault ${amount(onChain.vaultBalance.beforeMinor)} -> ${amount(onChain.vaultBalance.afterMinor)}, wallet ${amount(onChain.destinationBalance.beforeMinor)} -> ${amount(onChain.destinationBalance.afterMinor)}, Safe nonce ${onChain.safeNonce.beforeMinor} -> ${onChain.safeNonce.afterMinor}`,
    ],
    ['request', `${request.requestId} ${request.state}; hold ${refused.holdStatus}`],
  ],
  '  ',
)}`;
}

/** The chain part of `demo --json`: addresses, and the scenario's outcome with amounts as decimal strings. */
export function demoChainJson(run: DemoChainRun): Record<string, unknown> {
  const { demo, withdrawals } = run;
  const { executed, refused, ready } = withdrawals;
  const amount = (minor: bigint) => formatAmount(minor, scaleOf(executed.request.asset));
  const change = (value: DemoBalanceChange) => ({
    before: amount(value.beforeMinor),
    after: amount(value.afterMinor),
  });
  return {
    chainId: demo.chainId,
    vaults: {
      ...Object.fromEntries(
        Object.entries(demo.customerVaults).map(([accountClass, vault]) => [
          `vault:${accountClass}:cold`,
          { address: vault.safeAddress.toLowerCase(), guard: vault.guardAddress.toLowerCase() },
        ]),
      ),
      'vault:house': { address: demo.houseVault },
      'vault:insurance': { address: demo.insuranceVault },
    },
    tokens: demo.tokens,
    parties: {
      platform: demo.parties.platform.address,
      trustee: demo.parties.trustee.address,
      custodianRecovery: demo.parties.custodianRecovery.address,
      customer: demo.parties.customer.address,
      customerWallet: demo.parties.customerWallet,
    },
    executed: {
      requestId: executed.request.requestId,
      asset: executed.request.asset,
      amount: amount(executed.request.amountMinor),
      matchedRule: executed.request.decision?.explanation.matchedRule?.id ?? null,
      transactionHash: executed.transactionHash,
      destinationBalance: change(executed.destinationBalance),
      vaultBalance: change(executed.vaultBalance),
      ledgerClaim: change(executed.ledgerClaim),
      holdStatus: executed.holdStatus,
    },
    refused: {
      requestId: refused.request.requestId,
      policyInstall: refused.policyInstall.code,
      platformApproval: refused.platformApproval.code,
      execution: refused.execution.code,
      onChain: { code: refused.onChain.code, reason: refused.onChain.reason },
      vaultBalance: change(refused.onChain.vaultBalance),
      holdStatus: refused.holdStatus,
    },
    ready: { requestId: ready.requestId, amount: amount(ready.amountMinor), state: ready.state },
  };
}

function scaleOf(asset: string): number {
  const found = DEMO_ASSETS.find((entry) => entry.code === asset);
  assert(found !== undefined, `${asset} is a demo asset`);
  return found.scale;
}
