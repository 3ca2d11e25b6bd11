// Safe smart accounts from the official npm artifacts (@safe-global/safe-smart-account 1.5.0): deploying the
// singleton and proxy factory, creating a Safe, reading its nonce, hash and guard, and executing a SafeTx with
// owner signatures. Reverts by the Safe or its guard come back as rejections.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type Address,
  type Chain,
  encodeFunctionData,
  getAddress,
  type Hex,
  hexToBigInt,
  type LocalAccount,
  type PublicClient,
  type Transport,
  zeroAddress,
} from 'viem';
import { assert } from '../core/assert.ts';
import type { ContractArtifact } from './compile.ts';
import { safeAbi, safeExecutionAbi, safeProxyFactoryAbi } from './contract-abis.ts';
import { toChainError } from './errors.ts';
import {
  type BuildSafeTransactionInput,
  buildSafeTransaction,
  encodeSafeSignatures,
  hashSafeTransaction,
  type SafeTransaction,
  signSafeTransactionHash,
} from './safe-tx.ts';
import { type ChainWriter, deployContract, type WriteResult, writeAndConfirm } from './transactions.ts';

const require = createRequire(import.meta.url);

/** The Safe version whose artifacts this module deploys. */
export const SAFE_VERSION = '1.5.0';
/** keccak256("guard_manager.guard.address"): where Safe 1.5.0 stores its transaction guard. */
export const SAFE_GUARD_STORAGE_SLOT = 0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8n;

/** The two contracts every Safe on a chain shares. */
export interface SafeInfrastructure {
  readonly singletonAddress: Address;
  readonly proxyFactoryAddress: Address;
}

export interface CreateSafeInput {
  readonly infrastructure: SafeInfrastructure;
  readonly owners: readonly Address[];
  readonly threshold: number;
  /** Distinguishes Safes with the same owners (CREATE2 salt). */
  readonly saltNonce: bigint;
}

export interface ExecuteSafeTransactionInput {
  readonly safeAddress: Address;
  readonly transaction: SafeTransaction;
  /** Packed owner signatures (`encodeSafeSignatures`). */
  readonly signatures: Hex;
}

export interface SignAndExecuteInput {
  readonly safeAddress: Address;
  /** The transaction without its nonce: the Safe's current nonce is read and used. */
  readonly transaction: Omit<BuildSafeTransactionInput, 'nonce'>;
  readonly signers: readonly LocalAccount[];
}

/** What `signAndExecuteSafeTransaction` did: the hash that was signed, and the outcome. */
export type SignAndExecuteResult = WriteResult & {
  readonly safeTxHash: Hex;
  readonly transaction: SafeTransaction;
};

/** Loads a compiled contract from the Safe npm package (Hardhat artifact format). */
export function loadSafeArtifact(name: 'Safe' | 'SafeL2' | 'SafeProxyFactory'): ContractArtifact {
  const packageDirectory = require
    .resolve('@safe-global/safe-smart-account/package.json')
    .replace(/package\.json$/, '');
  const path =
    name === 'SafeProxyFactory'
      ? 'build/artifacts/contracts/proxies/SafeProxyFactory.sol/SafeProxyFactory.json'
      : `build/artifacts/contracts/${name}.sol/${name}.json`;
  const artifact = JSON.parse(readFileSync(`${packageDirectory}${path}`, 'utf8')) as ContractArtifact;
  assert(artifact.bytecode.startsWith('0x') && artifact.bytecode.length > 2, `${name} artifact has bytecode`);
  return artifact;
}

/** Deploys the Safe singleton (the L1 `Safe`, no per-call events) and the SafeProxyFactory. */
export async function deploySafeInfrastructure(writer: ChainWriter): Promise<SafeInfrastructure> {
  const singleton = loadSafeArtifact('Safe');
  const factory = loadSafeArtifact('SafeProxyFactory');
  const singletonAddress = await deployContract(writer, { abi: singleton.abi, bytecode: singleton.bytecode });
  const proxyFactoryAddress = await deployContract(writer, { abi: factory.abi, bytecode: factory.bytecode });
  return { singletonAddress, proxyFactoryAddress };
}

/** Creates a Safe proxy with `owners` and `threshold`, no modules and no fallback handler; returns its address. */
export async function createSafe(writer: ChainWriter, input: CreateSafeInput): Promise<Address> {
  assert(
    Number.isInteger(input.threshold) && input.threshold >= 1 && input.threshold <= input.owners.length,
    'threshold is between 1 and the number of owners',
  );
  const initializer = encodeFunctionData({
    abi: safeAbi,
    functionName: 'setup',
    args: [
      input.owners,
      BigInt(input.threshold),
      zeroAddress,
      '0x',
      zeroAddress,
      zeroAddress,
      0n,
      zeroAddress,
    ],
  });
  const args = [input.infrastructure.singletonAddress, initializer, input.saltNonce] as const;
  let safeAddress: Address;
  try {
    const { result } = await writer.publicClient.simulateContract({
      account: writer.walletClient.account,
      address: input.infrastructure.proxyFactoryAddress,
      abi: safeProxyFactoryAbi,
      functionName: 'createProxyWithNonce',
      args,
    });
    safeAddress = result;
  } catch (error) {
    throw toChainError(error, 'simulating Safe creation failed');
  }
  const created = await writeAndConfirm(writer, () =>
    writer.walletClient.writeContract({
      address: input.infrastructure.proxyFactoryAddress,
      abi: safeProxyFactoryAbi,
      functionName: 'createProxyWithNonce',
      args,
    }),
  );
  assert(created.ok, 'Safe creation does not revert after a successful simulation');
  return getAddress(safeAddress);
}

/** Reads the Safe's current nonce: the nonce the next SafeTx must carry. */
export async function readSafeNonce(
  publicClient: PublicClient<Transport, Chain>,
  safeAddress: Address,
): Promise<bigint> {
  try {
    return await publicClient.readContract({ address: safeAddress, abi: safeAbi, functionName: 'nonce' });
  } catch (error) {
    throw toChainError(error, 'reading the Safe nonce failed', safeAddress);
  }
}

/** Asks the Safe contract for a transaction's hash (`getTransactionHash`), to cross-check the local one. */
export async function readSafeTransactionHash(
  publicClient: PublicClient<Transport, Chain>,
  safeAddress: Address,
  transaction: SafeTransaction,
): Promise<Hex> {
  const t = transaction;
  try {
    return await publicClient.readContract({
      address: safeAddress,
      abi: safeAbi,
      functionName: 'getTransactionHash',
      args: [
        t.to,
        t.value,
        t.data,
        t.operation,
        t.safeTxGas,
        t.baseGas,
        t.gasPrice,
        t.gasToken,
        t.refundReceiver,
        t.nonce,
      ],
    });
  } catch (error) {
    throw toChainError(error, 'reading the Safe transaction hash failed', safeAddress);
  }
}

/** Reads the transaction guard installed on a Safe (the zero address when none). */
export async function readSafeGuard(
  publicClient: PublicClient<Transport, Chain>,
  safeAddress: Address,
): Promise<Address> {
  let word: Hex;
  try {
    word = await publicClient.readContract({
      address: safeAddress,
      abi: safeAbi,
      functionName: 'getStorageAt',
      args: [SAFE_GUARD_STORAGE_SLOT, 1n],
    });
  } catch (error) {
    throw toChainError(error, 'reading the Safe guard failed', safeAddress);
  }
  return getAddress(`0x${hexToBigInt(word).toString(16).padStart(40, '0')}`);
}

/** Submits `execTransaction` from the writer's account; a Safe or guard revert is returned as a rejection. */
export async function executeSafeTransaction(
  writer: ChainWriter,
  input: ExecuteSafeTransactionInput,
): Promise<WriteResult> {
  const t = input.transaction;
  return writeAndConfirm(writer, () =>
    writer.walletClient.writeContract({
      address: input.safeAddress,
      abi: safeExecutionAbi,
      functionName: 'execTransaction',
      args: [
        t.to,
        t.value,
        t.data,
        t.operation,
        t.safeTxGas,
        t.baseGas,
        t.gasPrice,
        t.gasToken,
        t.refundReceiver,
        input.signatures,
      ],
    }),
  );
}

/** Reads the nonce, hashes the SafeTx locally, signs it with each signer and executes it. */
export async function signAndExecuteSafeTransaction(
  writer: ChainWriter,
  input: SignAndExecuteInput,
): Promise<SignAndExecuteResult> {
  const nonce = await readSafeNonce(writer.publicClient, input.safeAddress);
  const transaction = buildSafeTransaction({ ...input.transaction, nonce });
  const safeTxHash = hashSafeTransaction(transaction, {
    chainId: writer.publicClient.chain.id,
    safeAddress: input.safeAddress,
  });
  const signatures = await Promise.all(
    input.signers.map((signer) => signSafeTransactionHash(signer, safeTxHash)),
  );
  const result = await executeSafeTransaction(writer, {
    safeAddress: input.safeAddress,
    transaction,
    signatures: encodeSafeSignatures(signatures),
  });
  return { ...result, safeTxHash, transaction };
}
