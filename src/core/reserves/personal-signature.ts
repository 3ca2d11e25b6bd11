// EIP-191 "personal" signatures (what `personal_sign` and every Ethereum wallet produce): the attestation
// and each vault's proof-of-control challenge are signed this way, so any Ethereum tool can check them.
// Pure JavaScript (noble) so the offline browser verifier runs the same code.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { type Address, addressFromPublicKey } from '../custody/address.ts';

const CURVE_ORDER = secp256k1.Point.CURVE().n;
const SIGNATURE_PATTERN = /^0x[0-9a-fA-F]{130}$/;

/** keccak256("\x19Ethereum Signed Message:\n" ‖ decimal byte length ‖ message bytes) (EIP-191 version 0x45). */
export function personalMessageDigest(message: string): Uint8Array {
  const bytes = utf8ToBytes(message);
  return keccak_256(concatBytes(utf8ToBytes(`\x19Ethereum Signed Message:\n${bytes.length}`), bytes));
}

/**
 * Recovers the address that personal-signed `message`, or null when the signature is not 65 bytes
 * {r}{s}{v} with v 27 or 28, r and s in range and s in the lower half (EIP-2: one encoding per signature).
 */
export function recoverPersonalSigner(message: string, signature: unknown): Address | null {
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) return null;
  const bytes = hexToBytes(signature.slice(2));
  const v = bytes[64]!;
  if (v !== 27 && v !== 28) return null;
  const s = BigInt(`0x${bytesToHex(bytes.subarray(32, 64))}`);
  const r = BigInt(`0x${bytesToHex(bytes.subarray(0, 32))}`);
  if (r === 0n || r >= CURVE_ORDER || s === 0n || s > CURVE_ORDER >> 1n) return null;
  try {
    const recovered = secp256k1.recoverPublicKey(
      concatBytes(new Uint8Array([v - 27]), bytes.subarray(0, 64)),
      personalMessageDigest(message),
      { prehash: false },
    );
    return addressFromPublicKey(recovered);
  } catch {
    // A well-formed r, s for which no curve point exists: not a signature of anybody.
    return null;
  }
}

/** Personal-signs `message` with a 32-byte secp256k1 key (deterministic RFC 6979 nonce, low s), as 0x{r}{s}{v}. */
export function signPersonalMessage(message: string, privateKey: Uint8Array): string {
  const recovered = secp256k1.sign(personalMessageDigest(message), privateKey, {
    prehash: false,
    format: 'recovered',
  });
  return `0x${bytesToHex(recovered.subarray(1))}${(27 + recovered[0]!).toString(16)}`;
}
