// The Safe transaction (SafeTx) as Safe 1.3+ hashes and checks it: its EIP-712 hash (domain
// `EIP712Domain(uint256 chainId,address verifyingContract)`), owner signatures over that hash, and the packed
// signature bytes sorted by owner address that `execTransaction` expects.

import {
  type Address,
  getAddress,
  type Hex,
  hashDomain,
  hashStruct,
  hashTypedData,
  type LocalAccount,
  zeroAddress,
} from 'viem';
import { assert } from '../core/assert.ts';

/** Safe operation codes: a CALL, or a DELEGATECALL (which the Ringfence guard always refuses). */
export const SafeOperation = { call: 0, delegateCall: 1 } as const;
export type SafeOperation = (typeof SafeOperation)[keyof typeof SafeOperation];

/** The EIP-712 types of a Safe transaction, in the order of SAFE_TX_TYPEHASH. */
export const SAFE_TX_TYPES = {
  SafeTx: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' },
    { name: 'safeTxGas', type: 'uint256' },
    { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' },
    { name: 'gasToken', type: 'address' },
    { name: 'refundReceiver', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const;

/** The EIP-712 domain types of Safe 1.3.0 and later (earlier versions have no chainId). */
const SAFE_DOMAIN_TYPES = {
  EIP712Domain: [
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
  ],
} as const;

/** A Safe transaction exactly as signed and executed; amounts in wei or token minor units. */
export interface SafeTransaction {
  readonly to: Address;
  readonly value: bigint;
  readonly data: Hex;
  readonly operation: SafeOperation;
  readonly safeTxGas: bigint;
  readonly baseGas: bigint;
  readonly gasPrice: bigint;
  readonly gasToken: Address;
  readonly refundReceiver: Address;
  readonly nonce: bigint;
}

/** Which Safe on which chain a transaction is for (the EIP-712 domain). */
export interface SafeDomain {
  readonly chainId: number;
  readonly safeAddress: Address;
}

export interface BuildSafeTransactionInput {
  readonly to: Address;
  readonly nonce: bigint;
  readonly value?: bigint;
  readonly data?: Hex;
  readonly operation?: SafeOperation;
}

/** One owner's signature of a SafeTx hash: 65 bytes `{r}{s}{v}`. */
export interface SafeSignature {
  readonly signer: Address;
  readonly data: Hex;
}

/** Builds a SafeTx with no gas refund (safeTxGas, baseGas and gasPrice 0, no gas token, no refund receiver). */
export function buildSafeTransaction(input: BuildSafeTransactionInput): SafeTransaction {
  assert(input.nonce >= 0n, 'a Safe nonce is not negative');
  return {
    to: getAddress(input.to),
    value: input.value ?? 0n,
    data: input.data ?? '0x',
    operation: input.operation ?? SafeOperation.call,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: zeroAddress,
    refundReceiver: zeroAddress,
    nonce: input.nonce,
  };
}

/** Computes the EIP-712 SafeTx hash that owners sign and `getTransactionHash` returns on chain. */
export function hashSafeTransaction(transaction: SafeTransaction, domain: SafeDomain): Hex {
  return hashTypedData({
    domain: { chainId: domain.chainId, verifyingContract: domain.safeAddress },
    types: SAFE_TX_TYPES,
    primaryType: 'SafeTx',
    message: transaction,
  });
}

/** Computes the Safe's EIP-712 domain separator (`domainSeparator()` on chain). */
export function hashSafeDomain(domain: SafeDomain): Hex {
  return hashDomain({
    domain: { chainId: BigInt(domain.chainId), verifyingContract: domain.safeAddress },
    types: SAFE_DOMAIN_TYPES,
  });
}

/** Computes the EIP-712 struct hash of a SafeTx (the part that does not depend on the Safe or chain). */
export function hashSafeTransactionStruct(transaction: SafeTransaction): Hex {
  return hashStruct({ data: transaction, primaryType: 'SafeTx', types: SAFE_TX_TYPES });
}

/** Signs a SafeTx hash with an owner key as a plain ECDSA signature (v 27 or 28), the Safe's default flow. */
export async function signSafeTransactionHash(
  account: LocalAccount,
  safeTxHash: Hex,
): Promise<SafeSignature> {
  assert(account.sign !== undefined, 'the account can sign raw hashes');
  const data = await account.sign({ hash: safeTxHash });
  assert(data.length === 2 + 65 * 2, 'an ECDSA signature is 65 bytes');
  return { signer: getAddress(account.address), data };
}

/** Packs signatures for `execTransaction`: ascending by owner address, as the Safe requires (GS026 otherwise). */
export function encodeSafeSignatures(signatures: readonly SafeSignature[]): Hex {
  const sorted = [...signatures].sort((a, b) => compareAddresses(a.signer, b.signer));
  for (let index = 1; index < sorted.length; index++) {
    assert(compareAddresses(sorted[index - 1]!.signer, sorted[index]!.signer) < 0, 'one signature per owner');
  }
  return `0x${sorted.map((signature) => signature.data.slice(2)).join('')}`;
}

function compareAddresses(a: Address, b: Address): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
