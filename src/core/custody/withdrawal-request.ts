// A withdrawal request: what a customer (or the operator, for house and rebalance moves) asks a vault to
// send, in the exact fields the signers' digest binds. Validation checks it against its vault.

import { AMOUNT_MINOR_MAX } from '../money/amount.ts';
import { type Address, NATIVE_TOKEN_ADDRESS, parseAddress } from './address.ts';
import { type Rejected, rejected } from './rejection.ts';
import { tokenAddressOf, type Vault } from './vault.ts';

/** Largest value of a Solidity uint256 (nonces). */
export const UINT256_MAX = (1n << 256n) - 1n;

/** Largest value of a Solidity uint64 (expiry, seconds since epoch). */
export const UINT64_MAX = (1n << 64n) - 1n;

/** A validated withdrawal request, addresses in lower case. */
export interface WithdrawalRequest {
  /** 32 bytes as 0x and 64 lower-case hex digits, unique per request. */
  readonly requestId: `0x${string}`;
  readonly vaultId: string;
  readonly chainId: number;
  readonly vault: Address;
  /** The ledger asset code, which policies match on. */
  readonly asset: string;
  /** The token contract the digest binds: the vault's token for `asset`, zero for the native coin. */
  readonly token: Address;
  readonly amountMinor: bigint;
  readonly destination: Address;
  /** The vault's withdrawal nonce this request consumes. */
  readonly nonce: bigint;
  readonly createdAtMs: number;
  /** Expiry in whole seconds since the epoch, so a contract can compare it with block.timestamp. */
  readonly expiresAtSeconds: bigint;
  /** The customer whose instruction this is; null for house moves and rebalances. */
  readonly customerId: string | null;
}

/** A request as submitted: addresses may be checksummed. */
export interface WithdrawalRequestInput
  extends Omit<WithdrawalRequest, 'requestId' | 'vault' | 'token' | 'destination'> {
  readonly requestId: string;
  readonly vault: string;
  readonly token: string;
  readonly destination: string;
}

/** The rejection codes of `validateWithdrawalRequest`, in the order they are checked. */
export type WithdrawalRequestErrorCode =
  | 'withdrawal_request_id_invalid'
  | 'withdrawal_vault_mismatch'
  | 'withdrawal_asset_not_in_vault'
  | 'withdrawal_amount_not_positive'
  | 'withdrawal_amount_overflow'
  | 'withdrawal_destination_invalid'
  | 'withdrawal_nonce_invalid'
  | 'withdrawal_expiry_invalid'
  | 'withdrawal_customer_mismatch';

export type ValidateWithdrawalRequestResult =
  | { readonly ok: true; readonly request: WithdrawalRequest }
  | Rejected<WithdrawalRequestErrorCode>;

/** Checks a submitted request against the vault it names and returns it in normal form. */
export function validateWithdrawalRequest(
  input: WithdrawalRequestInput,
  vault: Vault,
): ValidateWithdrawalRequestResult {
  if (!/^0x[0-9a-fA-F]{64}$/.test(input.requestId)) {
    return rejected('withdrawal_request_id_invalid', 'a request id is 32 bytes: 0x and 64 hex digits');
  }
  if (
    input.vaultId !== vault.id ||
    input.chainId !== vault.chainId ||
    parseAddress(input.vault) !== vault.address
  ) {
    return rejected(
      'withdrawal_vault_mismatch',
      `the request's vault, chain and address must be vault ${vault.id}'s`,
      {
        vaultId: input.vaultId,
        chainId: input.chainId,
        vault: input.vault,
      },
    );
  }
  const token = tokenAddressOf(vault, input.asset);
  if (token === null || parseAddress(input.token) !== token) {
    return rejected(
      'withdrawal_asset_not_in_vault',
      `vault ${vault.id} does not hold ${input.asset} at that token`,
      {
        asset: input.asset,
        token: input.token,
      },
    );
  }
  if (input.amountMinor <= 0n)
    return rejected('withdrawal_amount_not_positive', 'the amount must be positive');
  if (input.amountMinor > AMOUNT_MINOR_MAX) {
    return rejected('withdrawal_amount_overflow', 'the amount exceeds 2^128 - 1 minor units');
  }
  const destination = parseAddress(input.destination);
  if (destination === null || destination === NATIVE_TOKEN_ADDRESS || destination === vault.address) {
    return rejected(
      'withdrawal_destination_invalid',
      'the destination is a non-zero address (EIP-55 if mixed case) other than the vault itself',
      { destination: input.destination },
    );
  }
  if (input.nonce < 0n || input.nonce > UINT256_MAX) {
    return rejected('withdrawal_nonce_invalid', 'the nonce is a uint256', { nonce: input.nonce.toString() });
  }
  if (
    !Number.isSafeInteger(input.createdAtMs) ||
    input.expiresAtSeconds > UINT64_MAX ||
    input.expiresAtSeconds * 1000n <= BigInt(input.createdAtMs)
  ) {
    return rejected(
      'withdrawal_expiry_invalid',
      'the expiry is a uint64 of seconds after the creation time',
      {
        createdAtMs: input.createdAtMs,
        expiresAtSeconds: input.expiresAtSeconds.toString(),
      },
    );
  }
  if (vault.kind === 'customer_individual' && input.customerId !== vault.customerId) {
    return rejected(
      'withdrawal_customer_mismatch',
      `vault ${vault.id} holds only customer ${vault.customerId}'s assets`,
      {
        customerId: input.customerId,
      },
    );
  }
  return {
    ok: true,
    request: {
      ...input,
      requestId: input.requestId.toLowerCase() as `0x${string}`,
      vault: vault.address,
      token,
      destination,
    },
  };
}
