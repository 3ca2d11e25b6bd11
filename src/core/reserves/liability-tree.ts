// Builds the liability Merkle-sum tree: leaves in position order are range-checked and encoded once, then
// hashed level by level into flat level buffers (one record = hash ‖ sums per node). The level functions
// work on index ranges of shared buffers, so the service can run them on several threads.

import { hash } from 'node:crypto';
import { assert } from '../assert.ts';
import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import { isValidScale } from '../money/asset.ts';
import {
  AMOUNT_BYTES,
  AUDIT_ID_BYTES,
  HASH_BYTES,
  HASH_TAG,
  LEAF_AMOUNT_MAX_MINOR,
  paddingPreimage,
  recordBytes,
  SALT_BYTES,
  TREE_ASSETS_MAX,
  TREE_HEIGHT,
  type TreeAsset,
  writeAmount,
} from './tree-format.ts';

/** One customer's leaf: who, the audit's salt for them, and one balance per tree asset (minor units). */
export interface LiabilityLeaf {
  readonly customerId: string;
  readonly salt: Uint8Array;
  readonly balancesMinor: readonly bigint[];
}

/** Everything a tree is built from; `leaves` are in position order (position = index). */
export interface LiabilityTreeInput {
  readonly auditId: Uint8Array;
  readonly assets: readonly TreeAsset[];
  readonly leaves: readonly LiabilityLeaf[];
}

/** The leaves' preimages back to back; leaf i is preimages[offsets[i] .. offsets[i + 1]). */
export interface EncodedLeaves {
  readonly count: number;
  readonly preimages: Uint8Array;
  readonly offsets: Uint32Array;
}

/** Why a leaf set cannot become a tree. */
export type LiabilityTreeErrorCode =
  | 'liability_assets_invalid'
  | 'liability_customer_id_invalid'
  | 'liability_customer_duplicate'
  | 'liability_balance_count_mismatch'
  | 'liability_balance_negative'
  | 'liability_balance_too_large'
  | 'liability_tree_full';

export interface LiabilityTreeError {
  readonly code: LiabilityTreeErrorCode;
  readonly message: string;
  /** The position of the offending leaf, when one leaf is at fault. */
  readonly position?: number;
}

export type EncodeLeavesResult =
  | { readonly ok: true; readonly leaves: EncodedLeaves }
  | { readonly ok: false; readonly error: LiabilityTreeError };

/** A built tree: levels[0] holds the leaves' records, levels[l] the records of level l (absent past the top). */
export interface LiabilityTree {
  readonly auditId: Uint8Array;
  readonly assets: readonly TreeAsset[];
  readonly leaves: EncodedLeaves;
  /** levels[l] holds levelCount(leafCount, l) records; index TREE_HEIGHT is the root's level. */
  readonly levels: readonly Uint8Array[];
  /** The root record: hash ‖ one sum per asset. */
  readonly root: Uint8Array;
}

export type BuildLiabilityTreeResult =
  | { readonly ok: true; readonly tree: LiabilityTree }
  | { readonly ok: false; readonly error: LiabilityTreeError };

/** Allocates a byte buffer; the service passes one that allocates shared memory for its worker threads. */
export type AllocateBytes = (byteLength: number) => Uint8Array;

const allocateLocal: AllocateBytes = (byteLength) => new Uint8Array(byteLength);

/** How many records level `level` holds when the tree has `leafCount` leaves (padding is never stored). */
export function levelCount(leafCount: number, level: number): number {
  // Rounds up: a level keeps a node for every pair that holds at least one real leaf.
  return leafCount === 0 ? 0 : Math.ceil(leafCount / 2 ** level);
}

/** The record of an empty subtree at `level`: H(0x02 ‖ audit id ‖ level) and zero sums. */
export function paddingRecord(auditId: Uint8Array, level: number, assetCount: number): Uint8Array {
  const record = new Uint8Array(recordBytes(assetCount));
  record.set(hash('sha256', paddingPreimage(auditId, level), 'buffer'), 0);
  return record;
}

/** Checks the assets a tree carries: 1 to 64, unique codes in sorted order, each with a valid asset scale. */
export function checkTreeAssets(assets: readonly TreeAsset[]): LiabilityTreeError | null {
  const codes = assets.map((asset) => asset.code);
  const sorted = [...codes].sort();
  const valid =
    assets.length >= 1 &&
    assets.length <= TREE_ASSETS_MAX &&
    new Set(codes).size === codes.length &&
    sorted.every((code, index) => code === codes[index]) &&
    assets.every((asset) => isValidScale(asset.scale));
  return valid
    ? null
    : {
        code: 'liability_assets_invalid',
        message: `a tree carries 1 to ${TREE_ASSETS_MAX} assets with unique codes in sorted order and valid scales`,
      };
}

/**
 * Range-checks and encodes every leaf: ids are entity ids and unique, each leaf has one balance per asset,
 * and every balance lies in [0, LEAF_AMOUNT_MAX_MINOR]. A negative or oversized balance never enters a tree.
 */
export function encodeLeaves(
  auditId: Uint8Array,
  assetCount: number,
  leaves: readonly LiabilityLeaf[],
  allocate: AllocateBytes = allocateLocal,
): EncodeLeavesResult {
  assert(auditId.length === AUDIT_ID_BYTES, 'an audit id has 16 bytes');
  if (leaves.length > 2 ** TREE_HEIGHT) {
    return fail(
      'liability_tree_full',
      `a tree of height ${TREE_HEIGHT} holds at most 2^${TREE_HEIGHT} leaves`,
    );
  }
  const seen = new CustomerIdTable(leaves);
  const offsets = new Uint32Array(leaves.length + 1);
  let totalBytes = 0;
  for (let position = 0; position < leaves.length; position += 1) {
    const leaf = leaves[position]!;
    // Entity ids are ASCII, so their UTF-8 length is their string length.
    if (!ENTITY_ID_PATTERN.test(leaf.customerId)) {
      return fail('liability_customer_id_invalid', 'a customer id is an entity id', position);
    }
    if (!seen.add(position)) {
      return fail('liability_customer_duplicate', `customer ${leaf.customerId} has two leaves`, position);
    }
    if (leaf.balancesMinor.length !== assetCount) {
      return fail(
        'liability_balance_count_mismatch',
        `a leaf has one balance per asset (${assetCount})`,
        position,
      );
    }
    for (const balance of leaf.balancesMinor) {
      if (balance < 0n) {
        return fail(
          'liability_balance_negative',
          `customer ${leaf.customerId} has a negative leaf balance`,
          position,
        );
      }
      if (balance > LEAF_AMOUNT_MAX_MINOR) {
        return fail(
          'liability_balance_too_large',
          `customer ${leaf.customerId} has a balance above 2^96 - 1 minor units`,
          position,
        );
      }
    }
    assert(leaf.salt.length === SALT_BYTES, 'a salt has 32 bytes');
    offsets[position] = totalBytes;
    totalBytes += 2 + AUDIT_ID_BYTES + SALT_BYTES + leaf.customerId.length + AMOUNT_BYTES * assetCount;
  }
  offsets[leaves.length] = totalBytes;
  const preimages = allocate(totalBytes);
  for (let position = 0; position < leaves.length; position += 1) {
    const leaf = leaves[position]!;
    let offset = offsets[position]!;
    preimages[offset] = HASH_TAG.leaf;
    preimages.set(auditId, offset + 1);
    preimages.set(leaf.salt, offset + 1 + AUDIT_ID_BYTES);
    offset += 1 + AUDIT_ID_BYTES + SALT_BYTES;
    const id = leaf.customerId;
    preimages[offset] = id.length;
    for (let index = 0; index < id.length; index += 1) preimages[offset + 1 + index] = id.charCodeAt(index);
    offset += 1 + id.length;
    for (const balance of leaf.balancesMinor) {
      writeAmount(preimages, offset, balance);
      offset += AMOUNT_BYTES;
    }
  }
  return { ok: true, leaves: { count: leaves.length, preimages, offsets } };
}

/** The customer id of the leaf at `position` (it follows the tag, audit id and salt, behind its length byte). */
export function leafCustomerId(leaves: EncodedLeaves, position: number): string {
  const start = leaves.offsets[position]! + 1 + AUDIT_ID_BYTES + SALT_BYTES;
  const length = leaves.preimages[start]!;
  return String.fromCharCode(...leaves.preimages.subarray(start + 1, start + 1 + length));
}

/** Hashes leaves [from, to) into their level-0 records: H(preimage) ‖ the leaf's balances. */
export function hashLeafRange(
  leaves: EncodedLeaves,
  assetCount: number,
  level0: Uint8Array,
  from: number,
  to: number,
): void {
  const size = recordBytes(assetCount);
  const sumsBytes = AMOUNT_BYTES * assetCount;
  const { preimages, offsets } = leaves;
  for (let position = from; position < to; position += 1) {
    const start = offsets[position]!;
    const end = offsets[position + 1]!;
    const record = position * size;
    writeDigest(level0, record, hash('sha256', preimages.subarray(start, end), 'binary'));
    // The balances end the preimage; a byte loop copies them without allocating a view per leaf.
    const sums = record + HASH_BYTES;
    const balances = end - sumsBytes;
    for (let index = 0; index < sumsBytes; index += 1) level0[sums + index] = preimages[balances + index]!;
  }
}

/**
 * Computes records [from, to) of a level from the level below (`childCount` records): each parent is
 * H(0x01 ‖ left record ‖ right record) and carries left + right sums; a missing right child is `padding`.
 */
export function hashNodeRange(
  child: Uint8Array,
  childCount: number,
  parent: Uint8Array,
  from: number,
  to: number,
  assetCount: number,
  padding: Uint8Array,
): void {
  const size = recordBytes(assetCount);
  const preimage = new Uint8Array(1 + 2 * size);
  preimage[0] = HASH_TAG.node;
  const view = new DataView(preimage.buffer);
  const out = new DataView(parent.buffer, parent.byteOffset, parent.byteLength);
  for (let index = from; index < to; index += 1) {
    const left = 2 * index;
    // Both children are adjacent records of the child level, so one copy moves them.
    if (left + 1 < childCount) preimage.set(child.subarray(left * size, (left + 2) * size), 1);
    else {
      preimage.set(child.subarray(left * size, (left + 1) * size), 1);
      preimage.set(padding, 1 + size);
    }
    const record = index * size;
    writeDigest(parent, record, hash('sha256', preimage, 'binary'));
    for (let asset = 0; asset < assetCount; asset += 1) {
      // 128-bit addition in four 32-bit limbs, least significant first.
      const leftSum = 1 + HASH_BYTES + AMOUNT_BYTES * asset;
      const rightSum = leftSum + size;
      const target = record + HASH_BYTES + AMOUNT_BYTES * asset;
      let carry = 0;
      for (let limb = 12; limb >= 0; limb -= 4) {
        const total = view.getUint32(leftSum + limb) + view.getUint32(rightSum + limb) + carry;
        out.setUint32(target + limb, total >>> 0);
        carry = total > 0xffff_ffff ? 1 : 0;
      }
      assert(carry === 0, 'a subtree sum stays below 2^128 (leaves are bounded by 2^96 - 1)');
    }
  }
}

/** Allocates the level buffers of a tree of `leafCount` leaves. */
export function allocateLevels(
  leafCount: number,
  assetCount: number,
  allocate: AllocateBytes = allocateLocal,
): Uint8Array[] {
  const size = recordBytes(assetCount);
  return Array.from({ length: TREE_HEIGHT + 1 }, (_, level) => allocate(levelCount(leafCount, level) * size));
}

/**
 * Fills levels above `fromLevel` (whose records must already be complete) up to the root and returns the
 * finished tree. With no leaves the root is the padding record of the whole tree.
 */
export function completeTree(
  auditId: Uint8Array,
  assets: readonly TreeAsset[],
  leaves: EncodedLeaves,
  levels: readonly Uint8Array[],
  fromLevel: number,
): LiabilityTree {
  const assetCount = assets.length;
  for (let level = fromLevel + 1; level <= TREE_HEIGHT; level += 1) {
    hashNodeRange(
      levels[level - 1]!,
      levelCount(leaves.count, level - 1),
      levels[level]!,
      0,
      levelCount(leaves.count, level),
      assetCount,
      paddingRecord(auditId, level - 1, assetCount),
    );
  }
  const root = leaves.count === 0 ? paddingRecord(auditId, TREE_HEIGHT, assetCount) : levels[TREE_HEIGHT]!;
  assert(root.length === recordBytes(assetCount), 'the root is one record');
  return { auditId, assets, leaves, levels, root };
}

/** Builds the whole tree on this thread. */
export function buildLiabilityTree(input: LiabilityTreeInput): BuildLiabilityTreeResult {
  const assetsError = checkTreeAssets(input.assets);
  if (assetsError !== null) return { ok: false, error: assetsError };
  const encoded = encodeLeaves(input.auditId, input.assets.length, input.leaves);
  if (!encoded.ok) return encoded;
  const levels = allocateLevels(encoded.leaves.count, input.assets.length);
  hashLeafRange(encoded.leaves, input.assets.length, levels[0]!, 0, encoded.leaves.count);
  return { ok: true, tree: completeTree(input.auditId, input.assets, encoded.leaves, levels, 0) };
}

/**
 * The customer ids seen so far, as an open-addressing table of leaf positions keyed by a 32-bit hash of the
 * id, sized once for every leaf (load at most one half). A Set of a million strings takes several times as
 * long: it grows by rehashing, and each lookup goes through the engine's generic hashing.
 */
class CustomerIdTable {
  readonly #leaves: readonly LiabilityLeaf[];
  /** Position + 1 of the leaf whose id sits in each slot; 0 marks an empty slot. */
  readonly #slots: Int32Array;
  readonly #hashes: Int32Array;
  readonly #mask: number;

  constructor(leaves: readonly LiabilityLeaf[]) {
    let capacity = 16;
    while (capacity < 2 * leaves.length) capacity *= 2;
    this.#leaves = leaves;
    this.#slots = new Int32Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#mask = capacity - 1;
  }

  /** Records the id of the leaf at `position`; false when an earlier leaf has the same id. */
  add(position: number): boolean {
    const id = this.#leaves[position]!.customerId;
    // FNV-1a over the id's characters, then a multiply-xorshift finaliser so the low bits pick slots evenly.
    let hash = 0x811c9dc5;
    for (let index = 0; index < id.length; index += 1)
      hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash ^= hash >>> 13;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const taken = this.#slots[slot]!;
      if (taken === 0) {
        this.#slots[slot] = position + 1;
        this.#hashes[slot] = hash;
        return true;
      }
      if (this.#hashes[slot] === hash && this.#leaves[taken - 1]!.customerId === id) return false;
    }
  }
}

/**
 * Copies a digest returned as a 'binary' (latin1) string, one character per byte, into `target` at `offset`.
 * A string digest costs about half of a Buffer digest, which allocates a backing store per call; a tree of a
 * million leaves makes two million of them.
 */
function writeDigest(target: Uint8Array, offset: number, digest: string): void {
  for (let index = 0; index < HASH_BYTES; index += 1) target[offset + index] = digest.charCodeAt(index);
}

function fail(code: LiabilityTreeErrorCode, message: string, position?: number): EncodeLeavesResult {
  return { ok: false, error: position === undefined ? { code, message } : { code, message, position } };
}
