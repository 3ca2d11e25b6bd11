// ERC-20 tokens on chain: deploying and minting the TestToken (contracts/TestToken.sol), transfers, balances,
// and the call data a Safe transaction uses to move a token.

import {
  type Address,
  type Chain,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
} from 'viem';
import { loadContractArtifact } from './compile.ts';
import { testTokenAbi } from './contract-abis.ts';
import { toChainError } from './errors.ts';
import { type ChainWriter, deployContract, writeAndConfirmOrThrow } from './transactions.ts';

export interface DeployTestTokenInput {
  readonly name: string;
  readonly symbol: string;
  readonly decimals: number;
}

export interface TokenTransferInput {
  readonly token: Address;
  readonly to: Address;
  readonly amountMinor: bigint;
}

/** Deploys a TestToken whose only minter is the writer's account; returns its address. */
export async function deployTestToken(writer: ChainWriter, input: DeployTestTokenInput): Promise<Address> {
  const artifact = loadContractArtifact('TestToken');
  return deployContract(writer, {
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args: [input.name, input.symbol, input.decimals],
  });
}

/** Mints `amountMinor` of a TestToken to `to` (the writer must be the deployer). */
export async function mintTestToken(
  writer: ChainWriter,
  input: TokenTransferInput,
): Promise<TransactionReceipt> {
  return writeAndConfirmOrThrow(writer, () =>
    writer.walletClient.writeContract({
      address: input.token,
      abi: testTokenAbi,
      functionName: 'mint',
      args: [input.to, input.amountMinor],
    }),
  );
}

/** Transfers `amountMinor` of an ERC-20 from the writer's account to `to`. */
export async function transferToken(
  writer: ChainWriter,
  input: TokenTransferInput,
): Promise<TransactionReceipt> {
  return writeAndConfirmOrThrow(writer, () =>
    writer.walletClient.writeContract({
      address: input.token,
      abi: testTokenAbi,
      functionName: 'transfer',
      args: [input.to, input.amountMinor],
    }),
  );
}

/** Reads an ERC-20 balance in minor units, at `blockNumber` or the latest block. */
export async function readTokenBalance(
  publicClient: PublicClient<Transport, Chain>,
  input: { readonly token: Address; readonly owner: Address; readonly blockNumber?: bigint },
): Promise<bigint> {
  try {
    return await publicClient.readContract({
      address: input.token,
      abi: testTokenAbi,
      functionName: 'balanceOf',
      args: [input.owner],
      ...(input.blockNumber === undefined ? {} : { blockNumber: input.blockNumber }),
    });
  } catch (error) {
    throw toChainError(error, 'reading a token balance failed', `${input.token} ${input.owner}`);
  }
}

/** Reads an ERC-20's `decimals()`: the scale its integer amounts are in (the ledger asset's scale must match). */
export async function readTokenDecimals(
  publicClient: PublicClient<Transport, Chain>,
  token: Address,
): Promise<number> {
  try {
    return await publicClient.readContract({ address: token, abi: testTokenAbi, functionName: 'decimals' });
  } catch (error) {
    throw toChainError(error, 'reading token decimals failed', token);
  }
}

/** Encodes `transfer(to, amountMinor)`: the data of a Safe transaction that pays out a token. */
export function encodeTokenTransfer(to: Address, amountMinor: bigint): Hex {
  return encodeFunctionData({ abi: testTokenAbi, functionName: 'transfer', args: [to, amountMinor] });
}

/** Encodes `approve(spender, amountMinor)` for a Safe transaction. */
export function encodeTokenApprove(spender: Address, amountMinor: bigint): Hex {
  return encodeFunctionData({ abi: testTokenAbi, functionName: 'approve', args: [spender, amountMinor] });
}
