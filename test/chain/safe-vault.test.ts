// Proves on a real EVM (Hardhat's in-process network) that a customer vault, a 2-of-3 Safe from the official
// npm artifacts with the RingfenceGuard installed, moves tokens only with two owner signatures to allowlisted
// destinations, refuses delegatecall, and changes its rules only with the trustee among the signers.

import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  type LocalAccount,
  type PrivateKeyAccount,
  zeroAddress,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ringfenceGuardAbi, safeAbi, testTokenAbi } from '../../src/chain/contract-abis.ts';
import { type CustodyVault, createCustodyVault } from '../../src/chain/custody-vault.ts';
import {
  deployTestToken,
  encodeTokenApprove,
  encodeTokenTransfer,
  mintTestToken,
  readTokenBalance,
} from '../../src/chain/erc20.ts';
import { type LocalChain, startLocalChain } from '../../src/chain/local-chain.ts';
import { encodeSetAllowlisted, readAllowlisted } from '../../src/chain/ringfence-guard.ts';
import {
  deploySafeInfrastructure,
  executeSafeTransaction,
  readSafeNonce,
  readSafeTransactionHash,
  type SafeInfrastructure,
  signAndExecuteSafeTransaction,
} from '../../src/chain/safe.ts';
import {
  buildSafeTransaction,
  encodeSafeSignatures,
  hashSafeTransaction,
  SafeOperation,
  type SafeTransaction,
  signSafeTransactionHash,
} from '../../src/chain/safe-tx.ts';
import { type ChainWriter, writeAndConfirm } from '../../src/chain/transactions.ts';

let chain: LocalChain;
let writer: ChainWriter;
let infrastructure: SafeInfrastructure;
let vault: CustodyVault;
let token: Address;
let platform: PrivateKeyAccount;
let trustee: PrivateKeyAccount;
let recovery: PrivateKeyAccount;
let allowlisted: Address;
let outsider: Address;
const VAULT_FUNDING_MINOR = 1_000_000_000n;

beforeAll(async () => {
  chain = await startLocalChain();
  const [deployer, platformKey, trusteeKey, recoveryKey, destination, stranger] = chain.accounts;
  platform = platformKey!;
  trustee = trusteeKey!;
  recovery = recoveryKey!;
  allowlisted = destination!.address;
  outsider = stranger!.address;
  writer = { publicClient: chain.publicClient, walletClient: chain.walletClient(deployer!) };
  infrastructure = await deploySafeInfrastructure(writer);
  vault = await createCustodyVault(writer, {
    infrastructure,
    owners: { platform: platform.address, trustee: trustee.address, custodianRecovery: recovery.address },
    allowlist: [allowlisted],
    guardInstallSigners: [platform, trustee],
    saltNonce: 1n,
  });
  token = await deployTestToken(writer, { name: 'Test USD', symbol: 'TUSD', decimals: 6 });
  await mintTestToken(writer, { token, to: vault.safeAddress, amountMinor: VAULT_FUNDING_MINOR });
});

afterAll(async () => {
  await chain?.stop();
});

function balanceOf(owner: Address): Promise<bigint> {
  return readTokenBalance(chain.publicClient, { token, owner });
}

describe('custody vault (Safe 2-of-3 + RingfenceGuard)', () => {
  it('is a 2-of-3 Safe of platform, trustee and custodian recovery with the guard installed', async () => {
    const owners = await chain.publicClient.readContract({
      address: vault.safeAddress,
      abi: safeAbi,
      functionName: 'getOwners',
    });
    expect(new Set(owners)).toEqual(new Set([platform.address, trustee.address, recovery.address]));
    const threshold = await chain.publicClient.readContract({
      address: vault.safeAddress,
      abi: safeAbi,
      functionName: 'getThreshold',
    });
    expect(threshold).toBe(2n);
    expect(await readSafeNonce(chain.publicClient, vault.safeAddress)).toBe(1n);
  });

  it('computes the same SafeTx hash as the contract', async () => {
    const transaction = buildSafeTransaction({
      to: token,
      data: encodeTokenTransfer(allowlisted, 5n),
      nonce: 7n,
    });
    const local = hashSafeTransaction(transaction, {
      chainId: chain.chain.id,
      safeAddress: vault.safeAddress,
    });
    expect(await readSafeTransactionHash(chain.publicClient, vault.safeAddress, transaction)).toBe(local);
  });

  it('executes a token withdrawal to an allowlisted address with platform + trustee signatures', async () => {
    const before = await balanceOf(allowlisted);
    const result = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: token, data: encodeTokenTransfer(allowlisted, 250_000n) },
      signers: [platform, trustee],
    });
    expect(result.ok).toBe(true);
    expect(await balanceOf(allowlisted)).toBe(before + 250_000n);
  });

  it('rejects a platform-only signature on chain (Safe GS020) and moves nothing', async () => {
    const before = await balanceOf(vault.safeAddress);
    const nonce = await readSafeNonce(chain.publicClient, vault.safeAddress);
    const result = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: token, data: encodeTokenTransfer(allowlisted, 1n) },
      signers: [platform],
    });
    expect(result.ok ? null : result.error).toMatchObject({
      code: 'safe_signatures_insufficient',
      reason: 'GS020',
    });
    expect(await balanceOf(vault.safeAddress)).toBe(before);
    expect(await readSafeNonce(chain.publicClient, vault.safeAddress)).toBe(nonce);
  });

  it('rejects a platform signature presented twice, a non-owner and a replay (Safe GS026)', async () => {
    const nonce = await readSafeNonce(chain.publicClient, vault.safeAddress);
    const transaction = buildSafeTransaction({
      to: token,
      data: encodeTokenTransfer(allowlisted, 1n),
      nonce,
    });
    const hash = hashSafeTransaction(transaction, {
      chainId: chain.chain.id,
      safeAddress: vault.safeAddress,
    });
    const platformSignature = await signSafeTransactionHash(platform, hash);
    const doubled = `${platformSignature.data}${platformSignature.data.slice(2)}` as Hex;
    const duplicate = await executeSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction,
      signatures: doubled,
    });
    expect(duplicate.ok ? null : duplicate.error.code).toBe('safe_signature_invalid');
    const stranger = await signSafeTransactionHash(chain.accounts[5]!, hash);
    const nonOwner = await executeSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction,
      signatures: encodeSafeSignatures([platformSignature, stranger]),
    });
    expect(nonOwner.ok ? null : nonOwner.error.code).toBe('safe_signature_invalid');
    const good = encodeSafeSignatures([platformSignature, await signSafeTransactionHash(trustee, hash)]);
    expect(
      (
        await executeSafeTransaction(writer, {
          safeAddress: vault.safeAddress,
          transaction,
          signatures: good,
        })
      ).ok,
    ).toBe(true);
    const replay = await executeSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction,
      signatures: good,
    });
    expect(replay.ok ? null : replay.error.code).toBe('safe_signature_invalid');
  });

  it('rejects a transfer, an approve and native value to a non-allowlisted address (guard)', async () => {
    const before = await balanceOf(vault.safeAddress);
    for (const transaction of [
      { to: token, data: encodeTokenTransfer(outsider, 1n) },
      { to: token, data: encodeTokenApprove(outsider, 1n) },
      { to: outsider, value: 1n },
    ]) {
      const result = await signAndExecuteSafeTransaction(writer, {
        safeAddress: vault.safeAddress,
        transaction,
        signers: [platform, trustee],
      });
      expect(result.ok ? null : result.error).toMatchObject({
        code: 'guard_destination_not_allowlisted',
        args: [getAddress(outsider)],
      });
    }
    expect(await balanceOf(vault.safeAddress)).toBe(before);
  });

  it('rejects delegatecall even with all three signatures (guard)', async () => {
    const result = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: {
        to: token,
        data: encodeTokenTransfer(allowlisted, 1n),
        operation: SafeOperation.delegateCall,
      },
      signers: [platform, trustee, recovery],
    });
    expect(result.ok ? null : result.error.code).toBe('guard_delegatecall_forbidden');
  });

  it('rejects owner, threshold, module and guard changes without the trustee, and allows them with it', async () => {
    const newOwner = chain.accounts[6]!.address;
    const changes: Hex[] = [
      encodeFunctionData({ abi: safeAbi, functionName: 'addOwnerWithThreshold', args: [newOwner, 2n] }),
      encodeFunctionData({ abi: safeAbi, functionName: 'changeThreshold', args: [1n] }),
      encodeFunctionData({ abi: safeAbi, functionName: 'enableModule', args: [newOwner] }),
      encodeFunctionData({ abi: safeAbi, functionName: 'setGuard', args: [zeroAddress] }),
      encodeFunctionData({ abi: safeAbi, functionName: 'setFallbackHandler', args: [newOwner] }),
    ];
    for (const data of changes) {
      const result = await signAndExecuteSafeTransaction(writer, {
        safeAddress: vault.safeAddress,
        transaction: { to: vault.safeAddress, data },
        signers: [platform, recovery],
      });
      expect(result.ok ? null : result.error.code).toBe('guard_trustee_signature_required');
    }
    // The same owner change passes once the trustee co-signs (with platform, or with the custodian's recovery key).
    const added = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: vault.safeAddress, data: changes[0]! },
      signers: [recovery, trustee],
    });
    expect(added.ok).toBe(true);
    const isOwner = await chain.publicClient.readContract({
      address: vault.safeAddress,
      abi: safeAbi,
      functionName: 'isOwner',
      args: [newOwner],
    });
    expect(isOwner).toBe(true);
  });

  it('changes the allowlist only with the trustee among the signers', async () => {
    const data = encodeSetAllowlisted([outsider], true);
    const withoutTrustee = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: vault.guardAddress, data },
      signers: [platform, recovery],
    });
    expect(withoutTrustee.ok ? null : withoutTrustee.error.code).toBe('guard_trustee_signature_required');
    expect(await readAllowlisted(chain.publicClient, vault.guardAddress, outsider)).toBe(false);
    const withTrustee = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: vault.guardAddress, data },
      signers: [platform, trustee],
    });
    expect(withTrustee.ok).toBe(true);
    expect(await readAllowlisted(chain.publicClient, vault.guardAddress, outsider)).toBe(true);
  });

  it('refuses gas refunds, malformed token calls and unknown calls without the trustee', async () => {
    const nonce = await readSafeNonce(chain.publicClient, vault.safeAddress);
    const refund = {
      ...buildSafeTransaction({ to: token, data: encodeTokenTransfer(allowlisted, 1n), nonce }),
      gasPrice: 1n,
    };
    const refunded = await executeSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: refund,
      signatures: await signaturesOf(refund, [platform, trustee]),
    });
    expect(refunded.ok ? null : refunded.error.code).toBe('guard_gas_refund_forbidden');

    const truncated = encodeTokenTransfer(allowlisted, 1n).slice(0, 2 + 8 + 64) as Hex;
    const malformed = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: token, data: truncated },
      signers: [platform, trustee],
    });
    expect(malformed.ok ? null : malformed.error.code).toBe('guard_call_data_malformed');

    // mint(address,uint256) stands in for any function the guard cannot judge (ERC-777 send, transferAndCall).
    const unknownCall = encodeFunctionData({ abi: testTokenAbi, functionName: 'mint', args: [outsider, 1n] });
    const unknown = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: { to: token, data: unknownCall },
      signers: [platform, recovery],
    });
    expect(unknown.ok ? null : unknown.error.code).toBe('guard_trustee_signature_required');
  });

  it('ignores a trustee signature appended beyond the threshold, which the Safe never checks', async () => {
    const nonce = await readSafeNonce(chain.publicClient, vault.safeAddress);
    const transaction = buildSafeTransaction({
      to: vault.safeAddress,
      data: encodeFunctionData({ abi: safeAbi, functionName: 'changeThreshold', args: [1n] }),
      nonce,
    });
    // A forged "approved hash" entry (v = 1, r = trustee) after the two real signatures.
    const forged = `${pad32(trustee.address)}${'00'.repeat(32)}01`;
    const signatures = `${await signaturesOf(transaction, [platform, recovery])}${forged}` as Hex;
    const result = await executeSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction,
      signatures,
    });
    expect(result.ok ? null : result.error.code).toBe('guard_trustee_signature_required');
  });

  it('counts the trustee executing with an approved-hash signature (v = 1), as the Safe does', async () => {
    const nonce = await readSafeNonce(chain.publicClient, vault.safeAddress);
    const transaction = buildSafeTransaction({
      to: vault.guardAddress,
      data: encodeSetAllowlisted([outsider], false),
      nonce,
    });
    const hash = hashSafeTransaction(transaction, {
      chainId: chain.chain.id,
      safeAddress: vault.safeAddress,
    });
    const approved = {
      signer: trustee.address,
      data: `0x${pad32(trustee.address)}${'00'.repeat(32)}01` as Hex,
    };
    const signatures = encodeSafeSignatures([approved, await signSafeTransactionHash(platform, hash)]);
    const asTrustee = { publicClient: chain.publicClient, walletClient: chain.walletClient(trustee) };
    const result = await executeSafeTransaction(asTrustee, {
      safeAddress: vault.safeAddress,
      transaction,
      signatures,
    });
    expect(result.ok).toBe(true);
    expect(await readAllowlisted(chain.publicClient, vault.guardAddress, outsider)).toBe(false);
  });

  it('refuses allowlist changes from anyone but the Safe, and from a Safe module', async () => {
    const direct = await writeAndConfirm(writer, () =>
      writer.walletClient.writeContract({
        address: vault.guardAddress,
        abi: ringfenceGuardAbi,
        functionName: 'setAllowlisted',
        args: [[outsider], true],
      }),
    );
    expect(direct.ok ? null : direct.error.code).toBe('guard_caller_not_safe');

    // A module (enabled with the trustee's consent) bypasses the transaction guard, but not the allowlist rule.
    const module = chain.accounts[7]!;
    const enabled = await signAndExecuteSafeTransaction(writer, {
      safeAddress: vault.safeAddress,
      transaction: {
        to: vault.safeAddress,
        data: encodeFunctionData({ abi: safeAbi, functionName: 'enableModule', args: [module.address] }),
      },
      signers: [platform, trustee],
    });
    expect(enabled.ok).toBe(true);
    const { result } = await chain.publicClient.simulateContract({
      account: module,
      address: vault.safeAddress,
      abi: safeAbi,
      functionName: 'execTransactionFromModule',
      args: [vault.guardAddress, 0n, encodeSetAllowlisted([outsider], true), 0],
    });
    expect(result).toBe(false);
  });
});

async function signaturesOf(transaction: SafeTransaction, signers: readonly LocalAccount[]): Promise<Hex> {
  const hash = hashSafeTransaction(transaction, { chainId: chain.chain.id, safeAddress: vault.safeAddress });
  return encodeSafeSignatures(
    await Promise.all(signers.map((signer) => signSafeTransactionHash(signer, hash))),
  );
}

function pad32(address: Address): string {
  return address.slice(2).toLowerCase().padStart(64, '0');
}
