// Creates a customer's inclusion proof from a built tree: their leaf, and for every level the sibling's and
// the parent's records, up to the attested root (format in proof-json.ts).

import { assert } from '../assert.ts';
import type { SignedAttestation } from './attestation.ts';
import { type LiabilityTree, leafCustomerId, levelCount, paddingRecord } from './liability-tree.ts';
import {
  type InclusionProofJson,
  PROOF_FORMAT,
  type ProofRecordJson,
  type ProofStepJson,
} from './proof-json.ts';
import {
  AUDIT_ID_BYTES,
  HASH_BYTES,
  recordBytes,
  recordSums,
  SALT_BYTES,
  TREE_HEIGHT,
  toHex,
} from './tree-format.ts';

/** Builds the inclusion proof of the leaf at `position`. */
export function createInclusionProof(
  tree: LiabilityTree,
  position: number,
  attestation: SignedAttestation,
): InclusionProofJson {
  const { leaves, assets } = tree;
  assert(Number.isInteger(position) && position >= 0 && position < leaves.count, 'the position holds a leaf');
  const assetCount = assets.length;
  const size = recordBytes(assetCount);
  const start = leaves.offsets[position]!;
  const customerId = leafCustomerId(leaves, position);
  const recordAt = (level: number, index: number): Uint8Array =>
    index < levelCount(leaves.count, level)
      ? tree.levels[level]!.subarray(index * size, (index + 1) * size)
      : paddingRecord(tree.auditId, level, assetCount);
  const leafRecord = recordAt(0, position);
  const path: ProofStepJson[] = [];
  for (let level = 0; level < TREE_HEIGHT; level += 1) {
    const index = Math.floor(position / 2 ** level);
    path.push({
      sibling: recordJson(recordAt(level, index % 2 === 0 ? index + 1 : index - 1), assetCount),
      parent: recordJson(recordAt(level + 1, Math.floor(index / 2)), assetCount),
    });
  }
  return {
    format: PROOF_FORMAT,
    auditId: toHex(tree.auditId),
    hashFunction: 'sha256',
    height: TREE_HEIGHT,
    assets: assets.map((asset) => ({ code: asset.code, scale: asset.scale })),
    position,
    leaf: {
      customerId,
      salt: toHex(
        leaves.preimages.subarray(start + 1 + AUDIT_ID_BYTES, start + 1 + AUDIT_ID_BYTES + SALT_BYTES),
      ),
      balances: recordSums(leafRecord, assetCount).map(String),
      hash: toHex(leafRecord.subarray(0, HASH_BYTES)),
    },
    path,
    attestation,
  };
}

function recordJson(record: Uint8Array, assetCount: number): ProofRecordJson {
  return { hash: toHex(record.subarray(0, HASH_BYTES)), sums: recordSums(record, assetCount).map(String) };
}
