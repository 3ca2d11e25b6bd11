// The RingfenceGuard (contracts/RingfenceGuard.sol) from TypeScript: deploying it for one Safe, the call data
// that installs it and changes its allowlist, and reading its allowlist. See docs/onchain.md for its rules.

import {
  type Address,
  type Chain,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  type Transport,
} from 'viem';
import { loadContractArtifact } from './compile.ts';
import { ringfenceGuardAbi, safeAbi } from './contract-abis.ts';
import { toChainError } from './errors.ts';
import { type ChainWriter, deployContract } from './transactions.ts';

export interface DeployRingfenceGuardInput {
  /** The Safe the guard protects; fixed for the guard's lifetime. */
  readonly safeAddress: Address;
  /** The trustee whose co-signature every rule change needs; fixed for the guard's lifetime. */
  readonly trusteeAddress: Address;
  /** Destinations allowed from the start (withdrawal addresses, cold vaults). */
  readonly allowlist: readonly Address[];
}

/** Deploys a RingfenceGuard bound to one Safe and trustee; returns its address (not yet installed). */
export async function deployRingfenceGuard(
  writer: ChainWriter,
  input: DeployRingfenceGuardInput,
): Promise<Address> {
  const artifact = loadContractArtifact('RingfenceGuard');
  return deployContract(writer, {
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: [input.safeAddress, input.trusteeAddress, input.allowlist],
  });
}

/** Encodes the Safe's `setGuard(guard)`: the data of the SafeTx (to the Safe itself) that installs a guard. */
export function encodeSetGuard(guardAddress: Address): Hex {
  return encodeFunctionData({ abi: safeAbi, functionName: 'setGuard', args: [guardAddress] });
}

/** Encodes `setAllowlisted(destinations, allowed)`: the data of a trustee-co-signed SafeTx to the guard. */
export function encodeSetAllowlisted(destinations: readonly Address[], allowed: boolean): Hex {
  return encodeFunctionData({
    abi: ringfenceGuardAbi,
    functionName: 'setAllowlisted',
    args: [destinations, allowed],
  });
}

/** Reads whether the guard allows `destination` to receive value, tokens or allowances. */
export async function readAllowlisted(
  publicClient: PublicClient<Transport, Chain>,
  guardAddress: Address,
  destination: Address,
): Promise<boolean> {
  try {
    return await publicClient.readContract({
      address: guardAddress,
      abi: ringfenceGuardAbi,
      functionName: 'isAllowlisted',
      args: [destination],
    });
  } catch (error) {
    throw toChainError(error, 'reading the guard allowlist failed', guardAddress);
  }
}
