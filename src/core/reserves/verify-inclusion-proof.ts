// Verifies a customer's inclusion proof offline, in a fixed order: shape, fixed height and position, range
// of every amount, the leaf hash, each level's sums and hash, then the embedded attestation and that the
// path ends at its root. Each failure names what failed (and at which level). Runs in Node and browsers.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Address } from '../custody/address.ts';
import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import type { SignedAttestation } from './attestation.ts';
import { type InclusionProofJson, PROOF_FORMAT, type ProofRecordJson } from './proof-json.ts';
import {
  encodeRecord,
  fromHex,
  LEAF_AMOUNT_MAX_MINOR,
  leafPreimage,
  nodePreimage,
  subtreeSumMaxMinor,
  TREE_HEIGHT,
} from './tree-format.ts';
import { type AttestationFailureCode, verifyAttestation } from './verify-attestation.ts';
import {
  FieldError,
  type FieldReader,
  isAmountText,
  isHexText,
  readArray,
  readFields,
  readInteger,
  readObject,
  readString,
  readTreeAssets,
} from './verify-fields.ts';

/** Why a proof does not verify, in the order the checks run (then the attestation's own codes). */
export type ProofFailureCode =
  | 'proof_malformed'
  | 'proof_format_unsupported'
  | 'proof_path_length_mismatch'
  | 'proof_position_out_of_range'
  | 'proof_leaf_balance_out_of_range'
  | 'proof_sum_out_of_range'
  | 'proof_leaf_hash_mismatch'
  | 'proof_node_sums_mismatch'
  | 'proof_node_hash_mismatch'
  | 'proof_attestation_mismatch'
  | 'proof_root_mismatch'
  | AttestationFailureCode;

export interface ProofFailure {
  readonly code: ProofFailureCode;
  readonly message: string;
  /** The tree level the failure is at (0 = the leaf), when it is at one. */
  readonly level?: number;
}

/** What a verified proof shows the customer. */
export interface VerifiedInclusionProof {
  readonly proof: InclusionProofJson;
  readonly customerId: string;
  /** The customer's balances as committed, one per asset (minor units). */
  readonly balancesMinor: readonly bigint[];
  readonly signer: Address;
}

export type VerifyInclusionProofResult =
  | { readonly ok: true; readonly verified: VerifiedInclusionProof }
  | { readonly ok: false; readonly error: ProofFailure };

export interface VerifyInclusionProofOptions {
  /** The venue's published platform address; when given, the attestation must be signed by it. */
  readonly expectedSigner?: Address;
}

/** Verifies a parsed JSON value as an inclusion proof. */
export function verifyInclusionProof(
  value: unknown,
  options: VerifyInclusionProofOptions = {},
): VerifyInclusionProofResult {
  const read = readFields('proof', (field) => readProof(value, field));
  if (!read.ok)
    return fail(read.kind === 'format' ? 'proof_format_unsupported' : 'proof_malformed', read.message);
  const proof = read.value;
  const assetCount = proof.assets.length;
  if (proof.height !== TREE_HEIGHT || proof.path.length !== TREE_HEIGHT) {
    return fail(
      'proof_path_length_mismatch',
      `a proof climbs exactly ${TREE_HEIGHT} levels (height ${proof.height}, ${proof.path.length} steps given)`,
    );
  }
  if (proof.position >= 2 ** TREE_HEIGHT) {
    return fail('proof_position_out_of_range', `position ${proof.position} is not below 2^${TREE_HEIGHT}`);
  }
  const balances = proof.leaf.balances.map(BigInt);
  if (balances.some((balance) => balance < 0n || balance > LEAF_AMOUNT_MAX_MINOR)) {
    return fail('proof_leaf_balance_out_of_range', 'a leaf balance is negative or above 2^96 - 1', 0);
  }
  for (let level = 0; level < TREE_HEIGHT; level += 1) {
    const step = proof.path[level]!;
    if (!sumsInRange(step.sibling, level)) {
      return fail('proof_sum_out_of_range', `the sibling at level ${level} has a sum out of range`, level);
    }
    if (!sumsInRange(step.parent, level + 1)) {
      return fail(
        'proof_sum_out_of_range',
        `the node at level ${level + 1} has a sum out of range`,
        level + 1,
      );
    }
  }
  const leafHash = sha256(
    leafPreimage(fromHex(proof.auditId, 16)!, fromHex(proof.leaf.salt, 32)!, proof.leaf.customerId, balances),
  );
  if (bytesToHex(leafHash) !== proof.leaf.hash) {
    return fail(
      'proof_leaf_hash_mismatch',
      'the leaf (audit id, salt, customer id or a balance) does not hash to the leaf hash',
      0,
    );
  }
  let own = encodeRecord(leafHash, balances);
  for (let level = 0; level < TREE_HEIGHT; level += 1) {
    const step = proof.path[level]!;
    const sibling = encodeRecord(fromHex(step.sibling.hash, 32)!, step.sibling.sums.map(BigInt));
    const ownSums = readSums(own, assetCount);
    const expectedSums = step.sibling.sums.map((sum, asset) => (BigInt(sum) + ownSums[asset]!).toString());
    if (expectedSums.some((sum, asset) => sum !== step.parent.sums[asset])) {
      return fail(
        'proof_node_sums_mismatch',
        `at level ${level + 1} the node's sums are not its children's sums (a sibling sum at level ${level} or a balance was changed)`,
        level + 1,
      );
    }
    const isRight = Math.floor(proof.position / 2 ** level) % 2 === 1;
    const parentHash = bytesToHex(sha256(isRight ? nodePreimage(sibling, own) : nodePreimage(own, sibling)));
    if (parentHash !== step.parent.hash) {
      return fail(
        'proof_node_hash_mismatch',
        `at level ${level + 1} the node hash does not follow from its children (the sibling hash at level ${level} or the position was changed)`,
        level + 1,
      );
    }
    own = encodeRecord(fromHex(parentHash, 32)!, step.parent.sums.map(BigInt));
  }
  const attestation = verifyAttestation(
    proof.attestation,
    options.expectedSigner === undefined ? {} : { expectedSigner: options.expectedSigner },
  );
  if (!attestation.ok) return { ok: false, error: attestation.error };
  const mismatch = attestationMismatch(proof, attestation.attestation);
  if (mismatch !== null) return fail('proof_attestation_mismatch', mismatch);
  const root = proof.path[TREE_HEIGHT - 1]!.parent;
  const liabilities = attestation.attestation.body.liabilities;
  if (
    root.hash !== liabilities.rootHash ||
    root.sums.some((sum, asset) => sum !== liabilities.totals[asset])
  ) {
    return fail(
      'proof_root_mismatch',
      'the path does not end at the attested root (its hash or its sums differ)',
      TREE_HEIGHT,
    );
  }
  return {
    ok: true,
    verified: {
      proof,
      customerId: proof.leaf.customerId,
      balancesMinor: balances,
      signer: attestation.attestation.body.platformSigner,
    },
  };
}

function attestationMismatch(proof: InclusionProofJson, attestation: SignedAttestation): string | null {
  const { body } = attestation;
  if (proof.auditId !== body.auditId)
    return `the proof is for audit ${proof.auditId}, the attestation for ${body.auditId}`;
  const same =
    proof.assets.length === body.liabilities.assets.length &&
    proof.assets.every(
      (asset, index) =>
        asset.code === body.liabilities.assets[index]!.code &&
        asset.scale === body.liabilities.assets[index]!.scale,
    );
  return same ? null : 'the proof and the attestation list different assets';
}

function sumsInRange(record: ProofRecordJson, level: number): boolean {
  const max = subtreeSumMaxMinor(level);
  return record.sums.every((sum) => {
    const value = BigInt(sum);
    return value >= 0n && value <= max;
  });
}

function readSums(record: Uint8Array, assetCount: number): bigint[] {
  const sums: bigint[] = [];
  for (let asset = 0; asset < assetCount; asset += 1) {
    sums.push(BigInt(`0x${bytesToHex(record.subarray(32 + 16 * asset, 48 + 16 * asset))}`));
  }
  return sums;
}

function readProof(value: unknown, read: FieldReader): InclusionProofJson {
  const top = readObject(value, 'proof', read);
  if (top.format !== PROOF_FORMAT) {
    throw new FieldError(
      'format',
      `unsupported proof format ${String(top.format)} (this verifier reads ${PROOF_FORMAT})`,
    );
  }
  const assets = readTreeAssets(top.assets, 'assets', read);
  const record = (item: unknown, field: string): ProofRecordJson => {
    const entry = readObject(item, field, read);
    read(isHexText(entry.hash, 32), `${field}.hash`);
    const sums = readArray(entry.sums, `${field}.sums`, read);
    read(sums.length === assets.length && sums.every(isAmountText), `${field}.sums`);
    return { hash: entry.hash as string, sums: sums as string[] };
  };
  const leaf = readObject(top.leaf, 'leaf', read);
  const customerId = readString(leaf.customerId, 'leaf.customerId', read);
  read(ENTITY_ID_PATTERN.test(customerId), 'leaf.customerId');
  read(isHexText(leaf.salt, 32), 'leaf.salt');
  read(isHexText(leaf.hash, 32), 'leaf.hash');
  const balances = readArray(leaf.balances, 'leaf.balances', read);
  read(balances.length === assets.length && balances.every(isAmountText), 'leaf.balances');
  read(isHexText(top.auditId, 16), 'auditId');
  read(top.hashFunction === 'sha256', 'hashFunction');
  return {
    format: PROOF_FORMAT,
    auditId: top.auditId as string,
    hashFunction: 'sha256',
    height: readInteger(top.height, 'height', read),
    assets,
    position: readInteger(top.position, 'position', read),
    leaf: {
      customerId,
      salt: leaf.salt as string,
      balances: balances as string[],
      hash: leaf.hash as string,
    },
    path: readArray(top.path, 'path', read).map((item, level) => {
      const step = readObject(item, `path[${level}]`, read);
      return {
        sibling: record(step.sibling, `path[${level}].sibling`),
        parent: record(step.parent, `path[${level}].parent`),
      };
    }),
    // Read (and verified) by verifyAttestation, which names its own malformed fields.
    attestation: top.attestation as SignedAttestation,
  };
}

function fail(code: ProofFailureCode, message: string, level?: number): VerifyInclusionProofResult {
  return { ok: false, error: level === undefined ? { code, message } : { code, message, level } };
}
