// The hashing every OKX Merkle format uses: SHA-256 over the UTF-8 bytes of a text preimage, written as 64
// lower-case hex digits without 0x. Uses @noble/hashes, so it runs unchanged in the browser bundle.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** SHA-256 of `text`'s UTF-8 bytes as lower-case hex. */
export function sha256HexOfText(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}

/** True for a hash as OKX files write it: 64 lower-case hex digits, no 0x. */
export function isOkxHash(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
