// Verifies a customer's inclusion proof offline, in a fixed order: shape, fixed height and position, range
// of every amount, the leaf hash, each level's sums and hash, then the embedded attestation and that the
// path ends at its root. Each failure names what failed (and at which level). Runs in Node and browsers.

import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { encodeCanonicalJson } from '../canonical-json.ts';
import type { Address } from '../custody/address.ts';
import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import type { SignedAttestation } from './attestation.ts';
import { type InclusionProofJson, PROOF_FORMAT, type ProofRecordJson } from './proof-json.ts';
import {
  AMOUNT_BYTES,
  fromHex,
  HASH_BYTES,
  HASH_TAG,
  LEAF_AMOUNT_MAX_MINOR,
  leafPreimage,
  recordBytes,
  subtreeSumMaxMinor,
  TREE_HEIGHT,
  writeAmount,
} from './tree-format.ts';
import {
  type AttestationFailureCode,
  type VerifyAttestationResult,
  verifyAttestation,
} from './verify-attestation.ts';
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
import { PORTABLE_PRIMITIVES, type VerifyPrimitives } from './verify-primitives.ts';

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
  /** SHA-256 and signer recovery; the portable (pure JavaScript) ones by default. */
  readonly primitives?: VerifyPrimitives;
  /**
   * An attestation this caller already verified (verifyAttestation): the proof's embedded attestation must then
   * be that one — same signed body hash and signature, and its body must hash to it — instead of having its
   * signatures recovered again. What a verifier checking many proofs of one audit passes.
   */
  readonly verifiedAttestation?: SignedAttestation;
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
  // Every sum parsed once: siblingSums[l] and parentSums[l] belong to path[l].
  const siblingSums: bigint[][] = [];
  const parentSums: bigint[][] = [];
  for (let level = 0; level < TREE_HEIGHT; level += 1) {
    const step = proof.path[level]!;
    const sibling = step.sibling.sums.map(BigInt);
    const parent = step.parent.sums.map(BigInt);
    if (!sumsInRange(sibling, level)) {
      return fail('proof_sum_out_of_range', `the sibling at level ${level} has a sum out of range`, level);
    }
    if (!sumsInRange(parent, level + 1)) {
      return fail(
        'proof_sum_out_of_range',
        `the node at level ${level + 1} has a sum out of range`,
        level + 1,
      );
    }
    siblingSums.push(sibling);
    parentSums.push(parent);
  }
  const primitives = options.primitives ?? PORTABLE_PRIMITIVES;
  let ownHash = primitives.sha256(
    leafPreimage(fromHex(proof.auditId, 16)!, fromHex(proof.leaf.salt, 32)!, proof.leaf.customerId, balances),
  );
  if (bytesToHex(ownHash) !== proof.leaf.hash) {
    return fail(
      'proof_leaf_hash_mismatch',
      'the leaf (audit id, salt, customer id or a balance) does not hash to the leaf hash',
      0,
    );
  }
  let ownSums: readonly bigint[] = balances;
  const size = recordBytes(assetCount);
  const preimage = new Uint8Array(1 + 2 * size);
  preimage[0] = HASH_TAG.node;
  for (let level = 0; level < TREE_HEIGHT; level += 1) {
    const step = proof.path[level]!;
    const sibling = siblingSums[level]!;
    const parent = parentSums[level]!;
    if (parent.some((sum, asset) => sum !== ownSums[asset]! + sibling[asset]!)) {
      return fail(
        'proof_node_sums_mismatch',
        `at level ${level + 1} the node's sums are not its children's sums (a sibling sum at level ${level} or a balance was changed)`,
        level + 1,
      );
    }
    // Bit `level` of the position: 1 means the path is the right child here.
    const isRight = Math.floor(proof.position / 2 ** level) % 2 === 1;
    writeRecord(preimage, isRight ? 1 + size : 1, ownHash, ownSums);
    writeRecord(preimage, isRight ? 1 : 1 + size, fromHex(step.sibling.hash, 32)!, sibling);
    const parentHash = primitives.sha256(preimage);
    if (bytesToHex(parentHash) !== step.parent.hash) {
      return fail(
        'proof_node_hash_mismatch',
        `at level ${level + 1} the node hash does not follow from its children (the sibling hash at level ${level} or the position was changed)`,
        level + 1,
      );
    }
    ownHash = parentHash;
    ownSums = parent;
  }
  const attestation =
    options.verifiedAttestation === undefined
      ? verifyAttestation(proof.attestation, {
          primitives,
          ...(options.expectedSigner === undefined ? {} : { expectedSigner: options.expectedSigner }),
        })
      : sameAttestation(proof.attestation, options.verifiedAttestation, primitives);
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

/** The embedded attestation is the already verified one: same signed hash and signature, body unchanged. */
function sameAttestation(
  embedded: unknown,
  verified: SignedAttestation,
  primitives: VerifyPrimitives,
): VerifyAttestationResult {
  const candidate = embedded as Partial<SignedAttestation> | null;
  const same =
    candidate !== null &&
    typeof candidate === 'object' &&
    candidate.bodySha256 === verified.bodySha256 &&
    candidate.signature === verified.signature &&
    bytesToHex(primitives.sha256(utf8ToBytes(encodeCanonicalJson(candidate.body)))) === verified.bodySha256;
  return same
    ? { ok: true, attestation: verified }
    : {
        ok: false,
        error: {
          code: 'attestation_body_hash_mismatch',
          message: 'the attestation in the proof is not the verified attestation of this audit',
        },
      };
}

function sumsInRange(sums: readonly bigint[], level: number): boolean {
  const max = subtreeSumMaxMinor(level);
  return sums.every((sum) => sum >= 0n && sum <= max);
}

/** Writes a record (hash ‖ one 16-byte sum per asset) into a node preimage at `offset`. */
function writeRecord(target: Uint8Array, offset: number, hash: Uint8Array, sums: readonly bigint[]): void {
  target.set(hash, offset);
  for (const [asset, sum] of sums.entries())
    writeAmount(target, offset + HASH_BYTES + AMOUNT_BYTES * asset, sum);
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
