// Proves the withdrawal flow end to end on a real EVM (Hardhat's in-process network) with a guarded 2-of-3
// Safe vault and the ERC-20 test token, on SQLite and PostgreSQL: customer instruction -> hold -> policy ->
// customer + trustee approvals -> platform + trustee SafeTx -> tokens move and the hold is posted; a
// platform-only SafeTx is refused by the Safe, and a destination the guard does not list fails on chain
// with the hold voided. Also measures the end-to-end time of one withdrawal.

import type { Address } from 'viem';
import { sign } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChainWriter,
  createCustodyVault,
  deploySafeInfrastructure,
  deployTestToken,
  encodeSafeSignatures,
  hashSafeTransaction,
  type LocalChain,
  localAccountPrivateKey,
  mintTestToken,
  readTokenBalance,
  type SafeInfrastructure,
  signSafeTransactionHash,
  startLocalChain,
} from '../../src/chain/index.ts';
import type { Policy } from '../../src/core/custody/policy.ts';
import type { Command } from '../../src/core/ledger/types.ts';
import { TrusteeCosigner } from '../../src/service/custody/trustee-cosigner.ts';
import {
  createChainWithdrawalExecutor,
  withdrawalSafeTransaction,
} from '../../src/service/custody/withdrawal-executor.ts';
import { WithdrawalService } from '../../src/service/custody/withdrawal-service.ts';
import type { WithdrawalView } from '../../src/service/custody/withdrawal-view.ts';
import { LedgerService } from '../../src/service/ledger-service.ts';
import { parties } from '../support/custody-core.ts';
import { openTestStore, STORE_KINDS } from '../support/stores.ts';
import { keySigner, nextRequestId } from '../support/withdrawals.ts';

const FUNDS_MINOR = 1_000_000_000n;
const PLATFORM = 1;
const TRUSTEE = 2;
const RECOVERY = 3;

let chain: LocalChain;
let writer: ChainWriter;
let infrastructure: SafeInfrastructure;
let token: Address;
let salt = 100n;

beforeAll(async () => {
  chain = await startLocalChain();
  writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(chain.accounts[0]!) };
  infrastructure = await deploySafeInfrastructure(writer);
  token = await deployTestToken(writer, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
});

afterAll(async () => {
  await chain?.stop();
});

const policy: Policy = {
  id: 'chain-withdrawals',
  rules: [
    {
      id: 'allowlisted',
      description: 'customer and trustee approve withdrawals to allowlisted addresses',
      match: { destination: 'allowlisted' },
      action: {
        type: 'allow',
        approverGroups: [
          { id: 'customer', threshold: 1, role: 'customer' },
          { id: 'trustee', threshold: 1, role: 'trustee' },
        ],
      },
    },
  ],
  allowlist: { required: true, cooldownMs: 0 },
  amountLimits: [],
  velocityLimits: [],
};

describe.each(STORE_KINDS)('withdrawals on the local chain (%s)', (kind) => {
  let ledger: LedgerService;
  let service: WithdrawalService;
  let safeAddress: Address;
  let guardListed: Address;
  let guardUnlisted: Address;
  const trusteeKey = () => localAccountPrivateKey(TRUSTEE);

  beforeAll(async () => {
    const [platform, trustee, recovery] = [PLATFORM, TRUSTEE, RECOVERY].map(
      (index) => chain.accounts[index]!,
    );
    guardListed = chain.accounts[5]!.address;
    guardUnlisted = chain.accounts[6]!.address;
    salt += 1n;
    const vault = await createCustodyVault(writer, {
      infrastructure,
      owners: {
        platform: platform!.address,
        trustee: trustee!.address,
        custodianRecovery: recovery!.address,
      },
      allowlist: [guardListed],
      guardInstallSigners: [platform!, trustee!],
      saltNonce: salt,
    });
    safeAddress = vault.safeAddress;
    await mintTestToken(writer, { token, to: safeAddress, amountMinor: FUNDS_MINOR });

    const store = await openTestStore(kind);
    ledger = await LedgerService.open(store);
    const setup: Command[] = [
      { type: 'register_asset', code: 'USDC', scale: 6 },
      { type: 'add_account_class', code: 'derivatives' },
      { type: 'create_customer', id: 'alice', name: 'Alice' },
      {
        type: 'register_vault',
        vault: {
          id: 'vault:safe',
          chainId: chain.chain.id,
          address: safeAddress,
          assets: [{ asset: 'USDC', token }],
          kind: 'customer_omnibus',
          customerId: null,
          accountClass: 'derivatives',
          temperature: 'cold',
          custodian: 'Test Custodian',
          acknowledgment: { acknowledgedAtMs: 0, documentReference: 'ack-letter-1' },
        },
      },
      {
        type: 'open_account',
        id: 'alice:derivatives:USDC',
        owner: { type: 'customer', customerId: 'alice' },
        asset: 'USDC',
        segregationClass: 'customer_collateral',
        accountClass: 'derivatives',
        vaultId: null,
      },
      {
        type: 'open_account',
        id: 'seg:derivatives:USDC',
        owner: { type: 'house' },
        asset: 'USDC',
        segregationClass: 'segregated_custody',
        accountClass: 'derivatives',
        vaultId: 'vault:safe',
      },
      {
        type: 'transfer',
        id: '1'.repeat(32),
        kind: 'deposit',
        reference: 'mint',
        instructedBy: null,
        legs: [
          {
            debit: 'seg:derivatives:USDC',
            credit: 'alice:derivatives:USDC',
            asset: 'USDC',
            amountMinor: FUNDS_MINOR,
          },
        ],
        holdExpiresAtMs: null,
      },
    ];
    expect((await ledger.submit(setup)).every((result) => result.ok)).toBe(true);
    const trusteeCosigner = new TrusteeCosigner({ store, ledger, signer: keySigner(trusteeKey()) });
    service = await WithdrawalService.open({
      ledger,
      executor: createChainWithdrawalExecutor(writer),
      platformSigner: keySigner(localAccountPrivateKey(PLATFORM)),
      trustee: trusteeCosigner,
    });
    const registered = await service.registerSigners(
      [
        { address: platform!.address, role: 'platform', partyId: 'ringfence-ops', label: 'ops' },
        { address: trustee!.address, role: 'trustee', partyId: 'trustee-co', label: 'trustee' },
        { address: recovery!.address, role: 'custodian_recovery', partyId: 'custodian', label: 'recovery' },
        parties.alice.input,
      ],
      'ringfence-ops',
    );
    expect(registered.ok).toBe(true);
    expect((await service.installPolicy('vault:safe', policy)).ok).toBe(true);
    // The policy lists both; only the first is on the guard's allowlist.
    expect((await service.addAllowlistEntry('vault:safe', guardListed)).ok).toBe(true);
    expect((await service.addAllowlistEntry('vault:safe', guardUnlisted)).ok).toBe(true);
  });

  afterAll(async () => {
    await ledger?.close();
  });

  const balanceOf = (owner: Address) => readTokenBalance(chain.publicClient, { token, owner });
  const claim = () =>
    ledger.read((engine) => {
      const account = engine.getAccount('alice:derivatives:USDC')!;
      return account.creditsPostedMinor - account.debitsPostedMinor;
    });

  async function approvedRequest(to: Address, amountMinor: bigint): Promise<WithdrawalView> {
    const requested = await service.requestWithdrawal({
      requestId: nextRequestId(),
      customerId: 'alice',
      vaultId: 'vault:safe',
      asset: 'USDC',
      amountMinor,
      destination: to,
      expiresAtSeconds: BigInt(Math.floor(Date.now() / 1000) + 3_600),
      nonce: null,
    });
    if (!requested.ok) throw new Error(requested.error.code);
    const view = requested.withdrawal;
    const approved = await service.submitApprovals(view.requestId, [
      await sign({ hash: view.digest, privateKey: parties.alice.key, to: 'hex' }),
      await sign({ hash: view.digest, privateKey: trusteeKey(), to: 'hex' }),
    ]);
    if (!approved.ok) throw new Error(approved.error.code);
    expect(approved.withdrawal.state).toBe('approved');
    return approved.withdrawal;
  }

  it('executes through the Safe with platform + trustee signatures and posts the hold', async () => {
    const vaultBefore = await balanceOf(safeAddress);
    const destinationBefore = await balanceOf(guardListed);
    const claimBefore = await claim();
    const view = await approvedRequest(guardListed, 25_000_000n);
    const executed = await service.executeWithdrawal(view.requestId);
    expect(executed.ok && executed.withdrawal.state).toBe('executed');
    expect(await balanceOf(guardListed)).toBe(destinationBefore + 25_000_000n);
    expect(await balanceOf(safeAddress)).toBe(vaultBefore - 25_000_000n);
    expect(await claim()).toBe(claimBefore - 25_000_000n);
    expect(await ledger.read((engine) => engine.getHold(view.holdId)?.status)).toBe('posted');
    const receipt = await chain.publicClient.getTransactionReceipt({
      hash: (executed.ok ? executed.withdrawal.execution?.transactionHash : '0x') as `0x${string}`,
    });
    expect(receipt.status).toBe('success');
  });

  it('is refused by the Safe when only the platform signs the SafeTx (GS020), and nothing moves', async () => {
    const view = await approvedRequest(guardListed, 1_000_000n);
    const executor = createChainWithdrawalExecutor(writer);
    const nonce = await executor.readSafeNonce(safeAddress);
    const transaction = withdrawalSafeTransaction(view, nonce);
    const hash = hashSafeTransaction(transaction, { chainId: chain.chain.id, safeAddress });
    const vaultBefore = await balanceOf(safeAddress);
    const result = await executor.execute({
      safeAddress,
      transaction,
      signatures: encodeSafeSignatures([await signSafeTransactionHash(chain.accounts[PLATFORM]!, hash)]),
    });
    expect(result.ok ? null : result.error).toEqual({
      code: 'safe_signatures_insufficient',
      reason: 'GS020',
    });
    expect(await balanceOf(safeAddress)).toBe(vaultBefore);
    expect(await executor.readSafeNonce(safeAddress)).toBe(nonce);
    expect(service.getWithdrawal(view.requestId)?.state).toBe('approved');
    expect((await service.cancelWithdrawal(view.requestId, 'alice')).ok).toBe(true);
  });

  it('fails on chain (guard) for a destination the policy lists but the guard does not, voiding the hold', async () => {
    const vaultBefore = await balanceOf(safeAddress);
    const claimBefore = await claim();
    const view = await approvedRequest(guardUnlisted, 2_000_000n);
    const result = await service.executeWithdrawal(view.requestId);
    expect(result.ok && result.withdrawal.state).toBe('failed');
    expect(result.ok && result.withdrawal.failure?.code).toBe('guard_destination_not_allowlisted');
    expect(await balanceOf(safeAddress)).toBe(vaultBefore);
    expect(await claim()).toBe(claimBefore);
    expect(await ledger.read((engine) => engine.getHold(view.holdId)?.status)).toBe('voided');
  });

  it('measures an end-to-end withdrawal', async () => {
    const samplesMs: number[] = [];
    for (let index = 0; index < 10; index++) {
      const startMs = performance.now();
      const view = await approvedRequest(guardListed, 1_000n);
      const executed = await service.executeWithdrawal(view.requestId);
      expect(executed.ok && executed.withdrawal.state).toBe('executed');
      samplesMs.push(performance.now() - startMs);
    }
    samplesMs.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        store: kind,
        withdrawal_ms_p50: Number(samplesMs[5]!.toFixed(1)),
        samples: samplesMs.length,
      }),
    );
  });
});
