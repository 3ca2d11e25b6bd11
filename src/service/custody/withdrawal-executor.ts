// Execution on chain, behind interfaces the service is given: a SafeTx signer (a key that signs Safe
// transaction hashes) and an executor that reads a Safe's nonce and submits `execTransaction`. The chain
// implementation wraps src/chain; unit tests inject fakes and run without a chain.

import {
  buildSafeTransaction,
  type ChainWriter,
  encodeTokenTransfer,
  executeSafeTransaction,
  readSafeNonce,
  type SafeTransaction,
} from '../../chain/index.ts';
import { NATIVE_TOKEN_ADDRESS } from '../../core/custody/address.ts';
import type { WithdrawalRequest } from '../../core/custody/withdrawal-request.ts';

/** A key that signs SafeTx hashes (65-byte ECDSA, v 27/28): the platform's, or the trustee's. */
export interface SafeTxSigner {
  /** The owner address, lower case. */
  readonly address: `0x${string}`;
  signHash(hash: `0x${string}`): Promise<`0x${string}`>;
}

/** What submitting a SafeTx did: the transaction hash, or the Safe's or guard's revert as a rejection. */
export type SafeExecutionResult =
  | { readonly ok: true; readonly transactionHash: string }
  | { readonly ok: false; readonly error: { readonly code: string; readonly reason: string } };

/** Chain access for withdrawals; infrastructure failures (node down) are thrown, reverts are returned. */
export interface WithdrawalExecutor {
  readSafeNonce(safeAddress: `0x${string}`): Promise<bigint>;
  execute(input: {
    readonly safeAddress: `0x${string}`;
    readonly transaction: SafeTransaction;
    readonly signatures: `0x${string}`;
  }): Promise<SafeExecutionResult>;
}

/** The SafeTx that carries out a request: an ERC-20 `transfer(destination, amount)`, or native value. */
export function withdrawalSafeTransaction(request: WithdrawalRequest, safeNonce: bigint): SafeTransaction {
  if (request.token === NATIVE_TOKEN_ADDRESS) {
    return buildSafeTransaction({ to: request.destination, value: request.amountMinor, nonce: safeNonce });
  }
  return buildSafeTransaction({
    to: request.token,
    data: encodeTokenTransfer(request.destination, request.amountMinor),
    nonce: safeNonce,
  });
}

/** The executor on a real chain: reads the Safe nonce and submits `execTransaction` from the writer's account. */
export function createChainWithdrawalExecutor(writer: ChainWriter): WithdrawalExecutor {
  return {
    readSafeNonce: (safeAddress) => readSafeNonce(writer.publicClient, safeAddress),
    async execute(input) {
      const result = await executeSafeTransaction(writer, input);
      if (result.ok) return { ok: true, transactionHash: result.receipt.transactionHash };
      return { ok: false, error: { code: result.error.code, reason: result.error.reason } };
    },
  };
}
