// The byte formats of the liability Merkle-sum tree (docs/proof-formats.md): leaf, node and padding
// preimages, 16-byte big-endian amounts, the fixed height and the range bounds. Builder and verifiers share
// this file; it imports nothing platform-specific, so the browser verifier bundles it as is.

import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { assert } from '../assert.ts';

/** Every tree has exactly this many levels above the leaves; every proof has exactly this many steps. */
export const TREE_HEIGHT = 32;
/** SHA-256 digests. */
export const HASH_BYTES = 32;
/** Amounts and sums are unsigned 128-bit big-endian integers. */
export const AMOUNT_BYTES = 16;
/** A random audit id, bound into every leaf and padding hash. */
export const AUDIT_ID_BYTES = 16;
/** A fresh random salt per customer per audit. */
export const SALT_BYTES = 32;
/** Customer ids are the ledger's entity ids: 1 to 128 ASCII characters. */
export const CUSTOMER_ID_BYTES_MAX = 128;
/** Assets one tree may carry. */
export const TREE_ASSETS_MAX = 64;
/**
 * The largest balance a leaf may hold, in minor units: 2^96 − 1 (79 billion ETH at 18 decimals). A subtree
 * of 2^l leaves then sums to at most 2^l × (2^96 − 1) < 2^128, so no sum anywhere in a height-32 tree can
 * overflow its 16 bytes.
 */
export const LEAF_AMOUNT_MAX_MINOR = (1n << 96n) - 1n;

/** One-byte domain tags: a leaf, an internal node and a padding subtree can never hash alike. */
export const HASH_TAG = { leaf: 0x00, node: 0x01, padding: 0x02 } as const;

/** An asset as the tree carries it: its code and the scale its minor units are in. */
export interface TreeAsset {
  readonly code: string;
  readonly scale: number;
}

/** Bytes of one node record in a level: its hash, then one 16-byte sum per asset. */
export function recordBytes(assetCount: number): number {
  return HASH_BYTES + AMOUNT_BYTES * assetCount;
}

/** The largest sum a subtree at `level` (level 0 = one leaf) may hold: 2^level × LEAF_AMOUNT_MAX_MINOR. */
export function subtreeSumMaxMinor(level: number): bigint {
  return LEAF_AMOUNT_MAX_MINOR << BigInt(level);
}

const AMOUNT_LIMIT = 1n << 128n;
const UINT64_MAX = (1n << 64n) - 1n;
/** Scratch for writeAmount: a DataView turns a BigInt into 8 bytes without BigInt arithmetic. */
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);

/** Writes `value` (0 ≤ value < 2^128) as 16 big-endian bytes at `offset`. */
export function writeAmount(target: Uint8Array, offset: number, value: bigint): void {
  assert(value >= 0n && value < AMOUNT_LIMIT, 'an amount fits 16 unsigned bytes');
  // A tree encodes millions of amounts. Writing each half with setBigUint64 (which takes its argument modulo
  // 2^64) beats converting to a Number or splitting with BigInt arithmetic, both of which allocate.
  if (value <= UINT64_MAX) {
    for (let index = offset; index < offset + 8; index += 1) target[index] = 0;
  } else writeUint64(target, offset, value >> 64n);
  writeUint64(target, offset + 8, value);
}

/** Writes the low 64 bits of `value` as 8 big-endian bytes. */
function writeUint64(target: Uint8Array, offset: number, value: bigint): void {
  scratchView.setBigUint64(0, value);
  for (let index = 0; index < 8; index += 1) target[offset + index] = scratch[index]!;
}

/** Reads 16 big-endian bytes at `offset` as an unsigned amount. */
export function readAmount(source: Uint8Array, offset: number): bigint {
  return BigInt(`0x${bytesToHex(source.subarray(offset, offset + AMOUNT_BYTES))}`);
}

/** The leaf preimage: 0x00 ‖ audit id ‖ salt ‖ u8 id length ‖ customer id (UTF-8) ‖ one amount per asset. */
export function leafPreimage(
  auditId: Uint8Array,
  salt: Uint8Array,
  customerId: string,
  balancesMinor: readonly bigint[],
): Uint8Array {
  assert(
    auditId.length === AUDIT_ID_BYTES && salt.length === SALT_BYTES,
    'audit id and salt have their sizes',
  );
  const id = utf8ToBytes(customerId);
  assert(id.length >= 1 && id.length <= CUSTOMER_ID_BYTES_MAX, 'a customer id has 1 to 128 bytes');
  const out = new Uint8Array(
    1 + AUDIT_ID_BYTES + SALT_BYTES + 1 + id.length + AMOUNT_BYTES * balancesMinor.length,
  );
  out[0] = HASH_TAG.leaf;
  out.set(auditId, 1);
  out.set(salt, 1 + AUDIT_ID_BYTES);
  out[1 + AUDIT_ID_BYTES + SALT_BYTES] = id.length;
  out.set(id, 2 + AUDIT_ID_BYTES + SALT_BYTES);
  let offset = 2 + AUDIT_ID_BYTES + SALT_BYTES + id.length;
  for (const balance of balancesMinor) {
    writeAmount(out, offset, balance);
    offset += AMOUNT_BYTES;
  }
  return out;
}

/** The node preimage: 0x01 ‖ left hash ‖ left sums ‖ right hash ‖ right sums (both children's sums). */
export function nodePreimage(left: Uint8Array, right: Uint8Array): Uint8Array {
  assert(left.length === right.length, 'both children have records of one size');
  const out = new Uint8Array(1 + left.length * 2);
  out[0] = HASH_TAG.node;
  out.set(left, 1);
  out.set(right, 1 + left.length);
  return out;
}

/** The padding preimage of an empty subtree at `level`: 0x02 ‖ audit id ‖ u8 level. Its sums are zero. */
export function paddingPreimage(auditId: Uint8Array, level: number): Uint8Array {
  assert(level >= 0 && level <= TREE_HEIGHT, 'a padding level lies in the tree');
  const out = new Uint8Array(2 + AUDIT_ID_BYTES);
  out[0] = HASH_TAG.padding;
  out.set(auditId, 1);
  out[1 + AUDIT_ID_BYTES] = level;
  return out;
}

/** A record (hash ‖ sums) from its parts. */
export function encodeRecord(hash: Uint8Array, sumsMinor: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(recordBytes(sumsMinor.length));
  out.set(hash, 0);
  for (const [index, sum] of sumsMinor.entries()) writeAmount(out, HASH_BYTES + AMOUNT_BYTES * index, sum);
  return out;
}

/** The sums of a record, one per asset. */
export function recordSums(record: Uint8Array, assetCount: number): bigint[] {
  return Array.from({ length: assetCount }, (_, index) =>
    readAmount(record, HASH_BYTES + AMOUNT_BYTES * index),
  );
}

/** Lower-case hex without 0x, the form hashes, salts and audit ids travel in. */
export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

/** Parses `length` bytes of lower-case hex (no 0x), or null. */
export function fromHex(text: unknown, length: number): Uint8Array | null {
  if (typeof text !== 'string' || text.length !== length * 2 || !/^[0-9a-f]*$/.test(text)) return null;
  return hexToBytes(text);
}
