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

const UINT64_MAX = (1n << 64n) - 1n;

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
 * Hooks for following an encoding as it goes: the parallel builder hands the buffers to its workers at once
 * and lets them hash the leaves already encoded while later ones are still being checked.
 */
export interface EncodeLeavesProgress {
  /** Called once, before any leaf is checked, with the buffers every leaf will be encoded into. */
  readonly started?: (preimages: Uint8Array, offsets: Uint32Array) => void;
  /** Called once leaves [0, encodedCount) are encoded: every ENCODE_PROGRESS_LEAVES leaves and at the end. */
  readonly encoded?: (encodedCount: number) => void;
}

/** How many leaves an encoding reports progress after. */
export const ENCODE_PROGRESS_LEAVES = 4_096;

/**
 * Range-checks and encodes every leaf: ids are entity ids and unique, each leaf has one balance per asset,
 * and every balance lies in [0, LEAF_AMOUNT_MAX_MINOR]. A negative or oversized balance never enters a tree.
 * The first leaf at fault, in position order, is the one refused. `allocate` provides the preimage and the
 * offset buffers (offsets as bytes, 4-aligned).
 */
export function encodeLeaves(
  auditId: Uint8Array,
  assetCount: number,
  leaves: readonly LiabilityLeaf[],
  allocate: AllocateBytes = allocateLocal,
  progress: EncodeLeavesProgress = {},
): EncodeLeavesResult {
  assert(auditId.length === AUDIT_ID_BYTES, 'an audit id has 16 bytes');
  if (leaves.length > 2 ** TREE_HEIGHT) {
    return fail(
      'liability_tree_full',
      `a tree of height ${TREE_HEIGHT} holds at most 2^${TREE_HEIGHT} leaves`,
    );
  }
  // Sizes every preimage up front (a checked id's length is its byte length), so that one pass then checks
  // and writes each leaf while it is in cache. A refused leaf set leaves the buffers unused.
  const fixedBytes = 2 + AUDIT_ID_BYTES + SALT_BYTES + AMOUNT_BYTES * assetCount;
  let totalBytes = 0;
  for (let position = 0; position < leaves.length; position += 1) {
    totalBytes += fixedBytes + leaves[position]!.customerId.length;
  }
  const preimages = allocate(totalBytes);
  const offsetBytes = allocate(Uint32Array.BYTES_PER_ELEMENT * (leaves.length + 1));
  assert(offsetBytes.byteOffset % Uint32Array.BYTES_PER_ELEMENT === 0, 'offsets are 4-aligned');
  const offsets = new Uint32Array(offsetBytes.buffer, offsetBytes.byteOffset, leaves.length + 1);
  offsets[0] = 0;
  progress.started?.(preimages, offsets);
  const seen = new CustomerIdTable(leaves);
  const view = new DataView(preimages.buffer, preimages.byteOffset, preimages.byteLength);
  let offset = 0;
  for (let position = 0; position < leaves.length; position += 1) {
    const leaf = leaves[position]!;
    // Entity ids are ASCII, so their UTF-8 length is their string length.
    if (!ENTITY_ID_PATTERN.test(leaf.customerId)) {
      return fail('liability_customer_id_invalid', 'a customer id is an entity id', position);
    }
    if (!seen.add(position)) {
      return fail('liability_customer_duplicate', `customer ${leaf.customerId} has two leaves`, position);
    }
    const balances = leaf.balancesMinor;
    if (balances.length !== assetCount) {
      return fail(
        'liability_balance_count_mismatch',
        `a leaf has one balance per asset (${assetCount})`,
        position,
      );
    }
    const id = leaf.customerId;
    // Each balance is range-checked and written in one step (the amounts end the preimage): below 2^64 it
    // is eight zero bytes and the value; above, its high half too. setBigUint64 takes the low 64 bits, and
    // this writes exactly what writeAmount writes without its BigInt comparisons repeated 5 million times.
    let amount = offset + 2 + AUDIT_ID_BYTES + SALT_BYTES + id.length;
    for (let asset = 0; asset < assetCount; asset += 1) {
      const balance = balances[asset]!;
      if (balance < 0n) {
        return fail(
          'liability_balance_negative',
          `customer ${leaf.customerId} has a negative leaf balance`,
          position,
        );
      }
      if (balance <= UINT64_MAX) {
        view.setUint32(amount, 0);
        view.setUint32(amount + 4, 0);
      } else if (balance > LEAF_AMOUNT_MAX_MINOR) {
        return fail(
          'liability_balance_too_large',
          `customer ${leaf.customerId} has a balance above 2^96 - 1 minor units`,
          position,
        );
      } else view.setBigUint64(amount, balance >> 64n);
      view.setBigUint64(amount + 8, balance);
      amount += AMOUNT_BYTES;
    }
    const salt = leaf.salt;
    assert(salt.length === SALT_BYTES, 'a salt has 32 bytes');
    preimages[offset] = HASH_TAG.leaf;
    offset += 1;
    // Byte loops: TypedArray.set costs more than a short loop for 16 or 32 bytes.
    for (let index = 0; index < AUDIT_ID_BYTES; index += 1) preimages[offset + index] = auditId[index]!;
    offset += AUDIT_ID_BYTES;
    for (let index = 0; index < SALT_BYTES; index += 1) preimages[offset + index] = salt[index]!;
    offset += SALT_BYTES;
    preimages[offset] = id.length;
    for (let index = 0; index < id.length; index += 1) preimages[offset + 1 + index] = id.charCodeAt(index);
    offset = amount;
    // A leaf's end is written with the leaf, so once leaves [0, n) are reported, so are offsets[0..n].
    offsets[position + 1] = offset;
    if ((position + 1) % ENCODE_PROGRESS_LEAVES === 0) progress.encoded?.(position + 1);
  }
  assert(offset === totalBytes, 'the leaves fill exactly the bytes sized for them');
  if (leaves.length % ENCODE_PROGRESS_LEAVES !== 0) progress.encoded?.(leaves.length);
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
  // DataViews move 32-bit words, at any alignment, and create no object per leaf.
  const source = new DataView(preimages.buffer, preimages.byteOffset, preimages.byteLength);
  const out = new DataView(level0.buffer, level0.byteOffset, level0.byteLength);
  for (let position = from; position < to; position += 1) {
    const start = offsets[position]!;
    const end = offsets[position + 1]!;
    const record = position * size;
    writeDigest(out, record, hash('sha256', preimages.subarray(start, end), 'binary'));
    // The balances end the preimage.
    const balances = end - sumsBytes;
    for (let at = 0; at < sumsBytes; at += 4) {
      out.setUint32(record + HASH_BYTES + at, source.getUint32(balances + at));
    }
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
  const words = size / 4;
  // The preimage starts 3 bytes into its scratch buffer so that both children land 4-aligned there and copy
  // as 32-bit words; a TypedArray.set from shared memory copies byte by byte and costs several times more.
  const scratch = new Uint8Array(4 + 2 * size);
  const scratchWords = new Int32Array(scratch.buffer);
  const preimage = scratch.subarray(3);
  preimage[0] = HASH_TAG.node;
  const childWords =
    child.byteOffset % 4 === 0 ? new Int32Array(child.buffer, child.byteOffset, child.byteLength / 4) : null;
  const view = new DataView(scratch.buffer);
  const out = new DataView(parent.buffer, parent.byteOffset, parent.byteLength);
  for (let index = from; index < to; index += 1) {
    const left = 2 * index;
    // Both children are adjacent records of the child level, so one copy moves them; a missing right child
    // is the padding record.
    const children = left + 1 < childCount ? 2 : 1;
    if (childWords === null) scratch.set(child.subarray(left * size, (left + children) * size), 4);
    else {
      const first = left * words;
      for (let word = 0; word < children * words; word += 1)
        scratchWords[1 + word] = childWords[first + word]!;
    }
    if (children === 1) scratch.set(padding, 4 + size);
    const record = index * size;
    writeDigest(out, record, hash('sha256', preimage, 'binary'));
    for (let asset = 0; asset < assetCount; asset += 1) {
      // 128-bit addition in four 32-bit limbs, least significant first.
      const leftSum = 4 + HASH_BYTES + AMOUNT_BYTES * asset;
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
  /** Per slot, the id's hash then the position + 1 of its leaf (0: empty); side by side, one cache line. */
  readonly #slots: Int32Array;
  readonly #mask: number;

  constructor(leaves: readonly LiabilityLeaf[]) {
    let capacity = 16;
    while (capacity < 2 * leaves.length) capacity *= 2;
    this.#leaves = leaves;
    this.#slots = new Int32Array(2 * capacity);
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
    const slots = this.#slots;
    for (let slot = hash & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const taken = slots[2 * slot + 1]!;
      if (taken === 0) {
        slots[2 * slot] = hash;
        slots[2 * slot + 1] = position + 1;
        return true;
      }
      if (slots[2 * slot] === hash && this.#leaves[taken - 1]!.customerId === id) return false;
    }
  }
}

/**
 * Writes a digest returned as a 'binary' (latin1) string, one character per byte, at `offset`: four
 * characters to a big-endian 32-bit word. A string digest costs about half of a Buffer digest, which
 * allocates a backing store per call; a tree of a million leaves makes two million of them.
 */
function writeDigest(target: DataView, offset: number, digest: string): void {
  for (let at = 0; at < HASH_BYTES; at += 4) {
    target.setUint32(
      offset + at,
      (digest.charCodeAt(at) << 24) |
        (digest.charCodeAt(at + 1) << 16) |
        (digest.charCodeAt(at + 2) << 8) |
        digest.charCodeAt(at + 3),
    );
  }
}

function fail(code: LiabilityTreeErrorCode, message: string, position?: number): EncodeLeavesResult {
  return { ok: false, error: position === undefined ? { code, message } : { code, message, position } };
}
