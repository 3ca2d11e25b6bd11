// The canonical withdrawal digest every signer signs: EIP-712 typed data `RingfenceWithdrawal` under the
// domain {name "Ringfence", version "1", chainId, verifyingContract = vault}. Encoded here byte by byte
// with keccak-256 so a third party can reimplement it from docs/custody.md.

import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { assert } from '../assert.ts';
import { type Address, isAddress } from './address.ts';
import { UINT64_MAX, UINT256_MAX, type WithdrawalRequest } from './withdrawal-request.ts';

/** The EIP-712 domain type, as hashed. */
export const EIP712_DOMAIN_TYPE =
  'EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)';

/** The withdrawal struct type, as hashed. */
export const WITHDRAWAL_TYPE =
  'RingfenceWithdrawal(bytes32 requestId,address vault,address asset,uint256 amount,address destination,uint256 nonce,uint64 expiresAt)';

/** The domain name and version every digest uses. */
export const WITHDRAWAL_DOMAIN_NAME = 'Ringfence';
export const WITHDRAWAL_DOMAIN_VERSION = '1';

/** keccak256 of `EIP712_DOMAIN_TYPE`. */
export const EIP712_DOMAIN_TYPEHASH: Uint8Array = keccak_256(utf8ToBytes(EIP712_DOMAIN_TYPE));

/** keccak256 of `WITHDRAWAL_TYPE`. */
export const WITHDRAWAL_TYPEHASH: Uint8Array = keccak_256(utf8ToBytes(WITHDRAWAL_TYPE));

/** The request fields the digest binds. */
export type WithdrawalDigestFields = Pick<
  WithdrawalRequest,
  'requestId' | 'chainId' | 'vault' | 'token' | 'amountMinor' | 'destination' | 'nonce' | 'expiresAtSeconds'
>;

/** keccak256(typehash ‖ keccak256("Ringfence") ‖ keccak256("1") ‖ uint256(chainId) ‖ address(vault)). */
export function withdrawalDomainSeparator(chainId: number, vault: Address): Uint8Array {
  assert(Number.isSafeInteger(chainId) && chainId > 0, 'the chain id is a positive integer');
  return keccak_256(
    concatBytes(
      EIP712_DOMAIN_TYPEHASH,
      keccak_256(utf8ToBytes(WITHDRAWAL_DOMAIN_NAME)),
      keccak_256(utf8ToBytes(WITHDRAWAL_DOMAIN_VERSION)),
      encodeUint(BigInt(chainId), UINT256_MAX),
      encodeAddress(vault),
    ),
  );
}

/** keccak256(typehash ‖ requestId ‖ vault ‖ token ‖ amount ‖ destination ‖ nonce ‖ expiresAt), each a 32-byte word. */
export function withdrawalStructHash(fields: WithdrawalDigestFields): Uint8Array {
  assert(/^0x[0-9a-f]{64}$/.test(fields.requestId), 'the request id is 32 bytes in lower-case hex');
  return keccak_256(
    concatBytes(
      WITHDRAWAL_TYPEHASH,
      hexToBytes(fields.requestId.slice(2)),
      encodeAddress(fields.vault),
      encodeAddress(fields.token),
      encodeUint(fields.amountMinor, UINT256_MAX),
      encodeAddress(fields.destination),
      encodeUint(fields.nonce, UINT256_MAX),
      encodeUint(fields.expiresAtSeconds, UINT64_MAX),
    ),
  );
}

/** The 32 bytes signers sign: keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ structHash). */
export function withdrawalDigest(fields: WithdrawalDigestFields): Uint8Array {
  return keccak_256(
    concatBytes(
      new Uint8Array([0x19, 0x01]),
      withdrawalDomainSeparator(fields.chainId, fields.vault),
      withdrawalStructHash(fields),
    ),
  );
}

/** The digest as 0x and 64 lower-case hex digits, for display and storage. */
export function withdrawalDigestHex(fields: WithdrawalDigestFields): `0x${string}` {
  return `0x${bytesToHex(withdrawalDigest(fields))}`;
}

// ABI encoding of a uintN: big-endian, left-padded to 32 bytes.
function encodeUint(value: bigint, max: bigint): Uint8Array {
  assert(value >= 0n && value <= max, 'an encoded integer fits its Solidity type');
  return hexToBytes(value.toString(16).padStart(64, '0'));
}

// ABI encoding of an address: its 20 bytes, left-padded with zeros to 32 bytes.
function encodeAddress(address: Address): Uint8Array {
  assert(isAddress(address), 'an encoded address is in lower-case internal form');
  return hexToBytes(address.slice(2).padStart(64, '0'));
}
