// EVM addresses: parsing (lower case, or mixed case with a valid EIP-55 checksum), the one internal form
// (0x + 40 lower-case hex digits), checksummed display, and derivation from a secp256k1 public key.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { assert } from '../assert.ts';

/** An EVM address in the internal form: `0x` and 40 lower-case hex digits. */
export type Address = `0x${string}`;

/** The zero address, which the withdrawal digest uses as the token of a chain's native asset. */
export const NATIVE_TOKEN_ADDRESS: Address = `0x${'0'.repeat(40)}`;

const ADDRESS_PATTERN = /^0x[0-9a-fA-F]{40}$/;

/**
 * Parses an address into the internal form, or returns null. Mixed-case input must carry a valid EIP-55
 * checksum: a typo in a checksummed address is caught here instead of sending coins to nobody.
 */
export function parseAddress(text: unknown): Address | null {
  if (typeof text !== 'string' || !ADDRESS_PATTERN.test(text)) return null;
  const body = text.slice(2);
  const lower = `0x${body.toLowerCase()}` as Address;
  const isSingleCase = body === body.toLowerCase() || body === body.toUpperCase();
  if (!isSingleCase && toChecksumAddress(lower) !== text) return null;
  return lower;
}

/** True when `text` is already in the internal form. */
export function isAddress(text: unknown): text is Address {
  return typeof text === 'string' && /^0x[0-9a-f]{40}$/.test(text);
}

/** The EIP-55 mixed-case checksum form of an address, for display. */
export function toChecksumAddress(address: Address): string {
  const lower = address.slice(2).toLowerCase();
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  for (let index = 0; index < 40; index += 1) {
    const char = lower[index]!;
    // EIP-55: a letter is upper case when the matching nibble of keccak(lower-case hex) is 8 or more.
    out += Number.parseInt(hash[index]!, 16) >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

/** The address of a secp256k1 public key (33-byte compressed or 65-byte uncompressed): keccak(x ‖ y)[12..]. */
export function addressFromPublicKey(publicKey: Uint8Array): Address {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  assert(uncompressed.length === 65, 'an uncompressed secp256k1 point has 65 bytes');
  return `0x${bytesToHex(keccak_256(uncompressed.subarray(1)).subarray(12))}`;
}

/** The address of a public key given as hex (with or without 0x), or null when it is not a curve point. */
export function addressFromPublicKeyHex(text: string): Address | null {
  const hex = text.startsWith('0x') ? text.slice(2) : text;
  if (!/^[0-9a-fA-F]+$/.test(hex) || (hex.length !== 66 && hex.length !== 130)) return null;
  try {
    return addressFromPublicKey(hexToBytes(hex));
  } catch {
    // noble throws on bytes that are not a point on the curve; that is bad input, reported as null.
    return null;
  }
}
