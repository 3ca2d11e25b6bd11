// Proves the on-chain demo on both stores: the demo book registers the real Safes and tokens, every vault holds
// on chain exactly the custody the ledger records, the featured customer's withdrawal executes through the
// Safe with platform + trustee signatures and posts its hold, and the platform alone is refused by the custody
// core and by the Safe with nothing moved; the journal still verifies and ledger and chain still agree.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../test/support/stores.ts';
import { createChainAdapter, readSafeGuard, readTokenBalance } from '../chain/index.ts';
import { checkInvariants } from '../core/ledger/invariants.ts';
import { verifySeal } from '../core/segregation/sealed-statement.ts';
import { demoVaultIds, seedDemoBook } from './demo-book.ts';
import { type DemoChain, fundDemoVaults, startDemoChain } from './demo-chain.ts';
import { type DemoCustody, openDemoCustody } from './demo-custody.ts';
import { DEMO_PHANTOM_DEPOSIT_MINOR, runDemoSegregation } from './demo-segregation.ts';
import { type DemoWithdrawalsReport, runDemoWithdrawals } from './demo-withdrawals.ts';
import { LedgerService } from './ledger-service.ts';
import { SegregationService } from './segregation/segregation-service.ts';

describe.each(STORE_KINDS)('the on-chain demo (%s)', (kind) => {
  let demo: DemoChain;
  let ledger: LedgerService;
  let custody: DemoCustody;
  let report: DemoWithdrawalsReport;

  beforeAll(async () => {
    demo = await startDemoChain();
    ledger = await LedgerService.open(await openTestStore(kind));
    await seedDemoBook(ledger, { seed: 2026, vaults: demo.vaults });
  });

  afterAll(async () => {
    await ledger?.close();
    await demo?.stop();
  });

  it('registers the Safes and tokens it deployed and funds them exactly as the ledger records', async () => {
    const vaults = await ledger.read((engine) => engine.listVaults());
    expect(vaults.map((vault) => [vault.id, vault.address])).toEqual([
      [demoVaultIds.customer('derivatives'), demo.customerVaults.derivatives.safeAddress.toLowerCase()],
      [demoVaultIds.customer('spot'), demo.customerVaults.spot.safeAddress.toLowerCase()],
      [demoVaultIds.house, demo.houseVault],
      [demoVaultIds.insurance, demo.insuranceVault],
    ]);
    for (const vault of vaults) {
      expect(vault.assets.map((entry) => [entry.asset, entry.token])).toEqual([
        ['BTC', demo.tokens.BTC],
        ['ETH', 'native'],
        ['USDC', demo.tokens.USDC],
        ['USDT', demo.tokens.USDT],
      ]);
    }
    // Each customer Safe has its guard installed.
    for (const safe of Object.values(demo.customerVaults)) {
      expect(await readSafeGuard(demo.writer.publicClient, safe.safeAddress)).toBe(safe.guardAddress);
    }

    const funding = await fundDemoVaults(demo, ledger);
    expect(funding).toHaveLength(vaults.length * 4);
    for (const entry of funding) expect(entry.chainMinor).toBe(entry.ledgerMinor);
    // Every vault holds something of every asset in the seeded book except where the ledger records nothing.
    expect(funding.filter((entry) => entry.ledgerMinor > 0n).length).toBeGreaterThanOrEqual(12);
  });

  it('executes the customer withdrawal with platform + trustee signatures and posts the hold', async () => {
    custody = await openDemoCustody(demo, ledger);
    report = await runDemoWithdrawals(demo, ledger, custody);
    const { executed } = report;
    const amount = executed.request.amountMinor;
    expect(amount).toBe(250_000_000n);
    expect(executed.request.state).toBe('executed');
    expect(executed.request.decision?.explanation.matchedRule?.id).toBe('allowlisted');
    expect(executed.request.approvals.map((approval) => approval.role).sort()).toEqual([
      'customer',
      'trustee',
    ]);
    expect(executed.holdStatusRequested).toBe('pending');
    expect(executed.holdStatus).toBe('posted');
    expect(executed.transactionHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(executed.destinationBalance.afterMinor - executed.destinationBalance.beforeMinor).toBe(amount);
    expect(executed.vaultBalance.beforeMinor - executed.vaultBalance.afterMinor).toBe(amount);
    expect(executed.ledgerClaim.beforeMinor - executed.ledgerClaim.afterMinor).toBe(amount);
    expect(executed.ledgerCustody.beforeMinor - executed.ledgerCustody.afterMinor).toBe(amount);
    const receipt = await demo.writer.publicClient.getTransactionReceipt({
      hash: executed.transactionHash as `0x${string}`,
    });
    expect(receipt.status).toBe('success');
  });

  it('refuses the platform alone off chain and on chain, and nothing moves', () => {
    const { refused } = report;
    expect(refused.policyInstall.code).toBe('policy_platform_unilateral_quorum');
    expect(refused.platformApproval.code).toBe('signature_wrong_signer');
    expect(refused.execution.code).toBe('quorum_not_reached');
    expect(refused.onChain).toMatchObject({ code: 'safe_signatures_insufficient', reason: 'GS020' });
    expect(refused.onChain.safeNonce.afterMinor).toBe(refused.onChain.safeNonce.beforeMinor);
    expect(refused.onChain.vaultBalance.afterMinor).toBe(refused.onChain.vaultBalance.beforeMinor);
    expect(refused.onChain.destinationBalance.afterMinor).toBe(
      refused.onChain.destinationBalance.beforeMinor,
    );
    expect(refused.request.state).toBe('cancelled');
    expect(refused.holdStatus).toBe('voided');
    expect(report.ready.state).toBe('approved');
  });

  it('leaves a sound book that agrees with the chain, and the ready request executes', async () => {
    const executed = await custody.withdrawals.executeWithdrawal(report.ready.requestId);
    expect(executed.ok && executed.withdrawal.state).toBe('executed');
    expect(await ledger.read((engine) => checkInvariants(engine.listAccounts()))).toEqual([]);
    expect((await ledger.verify()).ok).toBe(true);
    const vaults = await ledger.read((engine) => engine.listVaults());
    const snapshot = await createChainAdapter(demo.writer.publicClient).readVaultBalances({
      vaults: vaults.map((vault) => vault.address),
      assets: [{ kind: 'erc20', assetId: 'USDC', token: demo.tokens.USDC as `0x${string}` }],
    });
    const custodyMinor = await ledger.read((engine) =>
      vaults.map((vault) =>
        engine
          .listAccounts()
          .filter((account) => account.vaultId === vault.id && account.asset === 'USDC')
          .reduce((sum, account) => sum + account.debitsPostedMinor - account.creditsPostedMinor, 0n),
      ),
    );
    expect(snapshot.balances.map((balance) => balance.balanceMinor)).toEqual(custodyMinor);
    expect(
      await readTokenBalance(demo.writer.publicClient, {
        token: demo.tokens.USDC as `0x${string}`,
        owner: demo.parties.customerWallet,
      }),
    ).toBe(report.executed.request.amountMinor + report.ready.amountMinor);
  });

  it('runs the segregation day: the reconciliation finds the seeded break, the statement counts it', async () => {
    const segregation = await SegregationService.open(ledger);
    const day = await runDemoSegregation(
      ledger,
      segregation,
      createChainAdapter(demo.writer.publicClient),
      2026,
    );
    const [only] = day.reconciliation.external.breaks;
    expect(only).toMatchObject({
      source: 'chain',
      vaultId: demoVaultIds.customer('derivatives'),
      asset: 'USDC',
      direction: 'observed_below_ledger',
      amountMinor: DEMO_PHANTOM_DEPOSIT_MINOR,
    });
    expect(day.reconciliation.internal.every((line) => line.balanced)).toBe(true);
    expect(day.topUps.map((topUp) => [topUp.vaultId, topUp.amountMinor])).toEqual([
      [demoVaultIds.customer('derivatives'), DEMO_PHANTOM_DEPOSIT_MINOR],
    ]);
    expect(verifySeal(day.statement)).toBe(true);
    const usdc = day.statement.segments.find((s) => s.asset === 'USDC' && s.accountClass === 'derivatives');
    expect(usdc?.unresolvedShortfallMinor).toBe(DEMO_PHANTOM_DEPOSIT_MINOR);
    expect(usdc?.excessMinor).toBe(
      usdc!.fundsHeldMinor - DEMO_PHANTOM_DEPOSIT_MINOR - usdc!.requirementMinor,
    );
    expect(day.statementHtml).toContain(day.statement.hash);
    expect(day.statementHtml).toContain('Ringfence Demo Venue Ltd');
  });
});
