// One entry point for every JSON file a customer may hand the verifier: a Ringfence inclusion proof, a
// Ringfence attestation, or another exchange's published format (OKX's Merkle proof v1 and user info v2);
// dispatches on the file's own format marker or, for OKX, its shape.

import type { Address } from '../custody/address.ts';
import { ATTESTATION_FORMAT, type SignedAttestation } from './attestation.ts';
import {
  detectOkxFormat,
  type OkxError,
  type VerifiedOkxMerkleProof,
  type VerifiedOkxUserInfo,
  verifyOkxMerkleProof,
  verifyOkxUserInfo,
} from './okx/index.ts';
import { PROOF_FORMAT } from './proof-json.ts';
import { type AttestationFailure, verifyAttestation } from './verify-attestation.ts';
import {
  type ProofFailure,
  type VerifiedInclusionProof,
  verifyInclusionProof,
} from './verify-inclusion-proof.ts';
import type { VerifyPrimitives } from './verify-primitives.ts';

/** What a verified file was and what it showed. */
export type VerifiedProofFile =
  | { readonly kind: 'ringfence_inclusion_proof'; readonly proof: VerifiedInclusionProof }
  | { readonly kind: 'ringfence_attestation'; readonly attestation: SignedAttestation }
  | { readonly kind: 'okx_merkle_v1'; readonly okx: VerifiedOkxMerkleProof }
  | { readonly kind: 'okx_user_info_v2'; readonly okx: VerifiedOkxUserInfo };

/** Why a file did not verify; `file_format_unknown` when no supported format recognises it. */
export type ProofFileFailure =
  | ProofFailure
  | AttestationFailure
  | OkxError<string>
  | { readonly code: 'file_format_unknown'; readonly message: string };

export type VerifyProofFileResult =
  | { readonly ok: true; readonly file: VerifiedProofFile }
  | { readonly ok: false; readonly error: ProofFileFailure };

export interface VerifyProofFileOptions {
  /** The venue's published platform address, checked against Ringfence attestations. */
  readonly expectedSigner?: Address;
  /** SHA-256 and signer recovery for Ringfence files; the portable ones by default. */
  readonly primitives?: VerifyPrimitives;
}

/** Verifies a parsed JSON file of any supported format. */
export function verifyProofFile(value: unknown, options: VerifyProofFileOptions = {}): VerifyProofFileResult {
  const format = formatOf(value);
  if (format === PROOF_FORMAT) {
    const result = verifyInclusionProof(value, options);
    return result.ok
      ? { ok: true, file: { kind: 'ringfence_inclusion_proof', proof: result.verified } }
      : result;
  }
  if (format === ATTESTATION_FORMAT) {
    const result = verifyAttestation(value, options);
    return result.ok
      ? { ok: true, file: { kind: 'ringfence_attestation', attestation: result.attestation } }
      : result;
  }
  switch (detectOkxFormat(value)) {
    case 'okx-merkle-v1': {
      const result = verifyOkxMerkleProof(value);
      return result.ok ? { ok: true, file: { kind: 'okx_merkle_v1', okx: result } } : result;
    }
    case 'okx-user-info-v2': {
      const result = verifyOkxUserInfo(value);
      return result.ok ? { ok: true, file: { kind: 'okx_user_info_v2', okx: result } } : result;
    }
    default:
      return {
        ok: false,
        error: {
          code: 'file_format_unknown',
          message: `not a supported proof file (supported: ${PROOF_FORMAT}, ${ATTESTATION_FORMAT}, OKX Merkle proof v1 and user info v2)`,
        },
      };
  }
}

function formatOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as { format?: unknown; body?: { format?: unknown } };
  return (
    record.format ??
    (record.body !== null && typeof record.body === 'object' ? record.body.format : undefined)
  );
}
