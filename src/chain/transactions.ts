// Sending transactions to a chain and waiting for them: contract deployment and confirmed writes, with reverts
// returned as rejections (data) and every other failure thrown as a typed chain error.

import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { assert } from '../core/assert.ts';
import { type ContractRejection, toContractRejection } from './contract-rejection.ts';
import { ChainTransactionError, toChainError } from './errors.ts';

/** A reader and a signer on the same chain: what every write in this module needs. */
export interface ChainWriter {
  readonly publicClient: PublicClient<Transport, Chain>;
  readonly walletClient: WalletClient<Transport, Chain, Account>;
}

/** A confirmed transaction, or the decoded revert that stopped it before it was sent. */
export type WriteResult =
  | { readonly ok: true; readonly receipt: TransactionReceipt }
  | { readonly ok: false; readonly error: ContractRejection };

export interface DeployContractInput {
  readonly abi: Abi;
  readonly bytecode: Hex;
  readonly args?: readonly unknown[];
}

/** Deploys a contract and returns its address once mined; a revert or failure throws ChainTransactionError. */
export async function deployContract(writer: ChainWriter, input: DeployContractInput): Promise<Address> {
  let hash: Hex;
  try {
    hash = await writer.walletClient.deployContract({
      abi: input.abi,
      bytecode: input.bytecode,
      args: input.args ?? [],
    } as never);
  } catch (error) {
    throw wrapWriteError(error, 'contract deployment failed');
  }
  const receipt = await confirmTransaction(writer, hash);
  assert(
    receipt.contractAddress !== null && receipt.contractAddress !== undefined,
    'a deployment has an address',
  );
  return getAddress(receipt.contractAddress);
}

/** Waits for a sent transaction's receipt and requires success. */
export async function confirmTransaction(writer: ChainWriter, hash: Hex): Promise<TransactionReceipt> {
  let receipt: TransactionReceipt;
  try {
    receipt = await writer.publicClient.waitForTransactionReceipt({ hash });
  } catch (error) {
    throw toChainError(error, 'waiting for a transaction receipt failed', hash);
  }
  if (receipt.status !== 'success')
    throw new ChainTransactionError('transaction reverted', { details: hash });
  return receipt;
}

/**
 * Runs `send` (a viem write that returns a transaction hash) and waits for the receipt; a revert found while
 * preparing the transaction comes back as a rejection, anything else is thrown.
 */
export async function writeAndConfirm(writer: ChainWriter, send: () => Promise<Hex>): Promise<WriteResult> {
  let hash: Hex;
  try {
    hash = await send();
  } catch (error) {
    const rejection = toContractRejection(error);
    if (rejection !== null) return { ok: false, error: rejection };
    throw wrapWriteError(error, 'sending a transaction failed');
  }
  return { ok: true, receipt: await confirmTransaction(writer, hash) };
}

/** Like `writeAndConfirm` but a rejection is thrown too, for setup code where any revert is a bug. */
export async function writeAndConfirmOrThrow(
  writer: ChainWriter,
  send: () => Promise<Hex>,
): Promise<TransactionReceipt> {
  const result = await writeAndConfirm(writer, send);
  if (!result.ok) {
    throw new ChainTransactionError(`transaction rejected: ${result.error.code}`, {
      details: result.error.reason,
    });
  }
  return result.receipt;
}

function wrapWriteError(error: unknown, message: string): Error {
  const wrapped = toChainError(error, message);
  return wrapped.name === 'ChainRequestError'
    ? new ChainTransactionError(message, { cause: error })
    : wrapped;
}
