// Approval signatures: 65-byte {r}{s}{v} secp256k1 signatures over the withdrawal digest, v = 27 or 28 as
// Safe's ECDSA owners use. Verification recovers the signer's address, refuses malleable high-s
// signatures, and checks the request (expiry, nonce) and each approval in a fixed order.

import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import * as ecc from 'tiny-secp256k1';
import { type Address, addressFromPublicKey } from './address.ts';
import { type ApproverGroup, describeApproverGroup, isEligibleApprover } from './approver-groups.ts';
import type { Signer, SignerRegistry } from './parties.ts';
import { type Rejected, rejected } from './rejection.ts';
import { withdrawalDigest } from './withdrawal-digest.ts';
import type { WithdrawalRequest } from './withdrawal-request.ts';

/** Bytes of one signature: r (32), s (32), v (1). */
export const SIGNATURE_LENGTH_BYTES = 65;

/** Approvals one call may verify. */
export const APPROVALS_MAX = 64;

// secp256k1 group order; signatures with s above n/2 are refused (EIP-2), so each approval has one encoding.
const CURVE_ORDER = secp256k1.Point.CURVE().n;
const HALF_CURVE_ORDER = CURVE_ORDER >> 1n;

export type RecoverSignerResult =
  | { readonly ok: true; readonly address: Address }
  | Rejected<'signature_invalid'>;

/** Recovers the address that signed a 32-byte digest, refusing bad lengths, v, r, s (incl. high s). */
export function recoverSignerAddress(digest: Uint8Array, signature: string): RecoverSignerResult {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) {
    return rejected('signature_invalid', 'a signature is 65 bytes {r}{s}{v} as 0x and 130 hex digits');
  }
  const bytes = hexToBytes(signature.slice(2));
  const r = BigInt(`0x${bytesToHex(bytes.subarray(0, 32))}`);
  const s = BigInt(`0x${bytesToHex(bytes.subarray(32, 64))}`);
  const v = bytes[64]!;
  if (v !== 27 && v !== 28) return rejected('signature_invalid', 'v must be 27 or 28', { v });
  if (r === 0n || r >= CURVE_ORDER || s === 0n || s >= CURVE_ORDER) {
    return rejected('signature_invalid', 'r and s must lie in [1, n - 1]');
  }
  if (s > HALF_CURVE_ORDER) {
    return rejected(
      'signature_invalid',
      'high-s signatures are malleable and refused (EIP-2): s must be <= n/2',
    );
  }
  // Recovery runs in libsecp256k1 (tiny-secp256k1, WebAssembly): about five times noble's pure-JS speed
  // here, which is what lets one core check the 5,000 approvals per second the custody benchmark asks for.
  const recovered = ecc.recover(digest, bytes.subarray(0, 64), (v - 27) as 0 | 1, false);
  if (recovered === null) return rejected('signature_invalid', 'no public key recovers from this signature');
  return { ok: true, address: addressFromPublicKey(recovered) };
}

/** The replay key of a signature: its r and s in lower-case hex (v only picks between two keys). */
export function approvalKey(signature: string): string {
  return signature.slice(2, 130).toLowerCase();
}

/** An approval where it was first counted, so the same signature is never counted for another request. */
export interface CountedApproval {
  readonly requestId: string;
  readonly nonce: bigint;
}

/** What approvals are checked against. */
export interface ApprovalContext {
  readonly request: WithdrawalRequest;
  /** The vault's next unused withdrawal nonce. */
  readonly expectedNonce: bigint;
  readonly registry: SignerRegistry;
  /** The approver groups of the policy decision; only their eligible signers may approve. */
  readonly approverGroups: readonly ApproverGroup[];
  /** Every approval already counted anywhere, by `approvalKey`. */
  readonly countedApprovals: ReadonlyMap<string, CountedApproval>;
  readonly nowMs: number;
}

/** An approval whose signature recovered to a registered, allowed signer. */
export interface VerifiedApproval {
  readonly signer: Signer;
  readonly key: string;
}

/** The rejection codes of `verifyApprovals`, in the order they are checked. */
export type SignatureErrorCode =
  | 'withdrawal_request_expired'
  | 'withdrawal_nonce_mismatch'
  | 'approvals_too_many'
  | 'approval_replayed'
  | 'signature_invalid'
  | 'signature_signer_unknown'
  | 'signature_duplicate_signer'
  | 'signature_wrong_signer';

export type VerifyApprovalsResult =
  | { readonly ok: true; readonly approvals: readonly VerifiedApproval[] }
  | Rejected<SignatureErrorCode>;

/**
 * Verifies new signatures for a request, on top of approvals already verified for it. The request is
 * checked first (expiry, then nonce), then each signature in order: replay, validity, signer known, not a
 * second approval by the same signer, signer eligible for some required group. The first failure is the
 * result (with `details.index`); on success the approvals are returned, already-verified ones first.
 */
export function verifyApprovals(
  context: ApprovalContext,
  signatures: readonly string[],
  alreadyVerified: readonly VerifiedApproval[] = [],
): VerifyApprovalsResult {
  const { request } = context;
  if (BigInt(context.nowMs) >= request.expiresAtSeconds * 1000n) {
    return rejected('withdrawal_request_expired', `request ${request.requestId} has expired`, {
      expiresAtSeconds: request.expiresAtSeconds.toString(),
      nowMs: context.nowMs,
    });
  }
  if (request.nonce !== context.expectedNonce) {
    return rejected(
      'withdrawal_nonce_mismatch',
      `the vault's next nonce is ${context.expectedNonce}, not ${request.nonce}`,
      {
        nonce: request.nonce.toString(),
        expectedNonce: context.expectedNonce.toString(),
      },
    );
  }
  if (alreadyVerified.length + signatures.length > APPROVALS_MAX) {
    return rejected('approvals_too_many', `a request takes at most ${APPROVALS_MAX} approvals`);
  }
  const digest = withdrawalDigest(request);
  const approvals = [...alreadyVerified];
  for (const [index, signature] of signatures.entries()) {
    const verified = verifyOne(context, digest, signature, approvals, index);
    if (!verified.ok) return verified;
    approvals.push(verified.approval);
  }
  return { ok: true, approvals };
}

function verifyOne(
  context: ApprovalContext,
  digest: Uint8Array,
  signature: string,
  approvals: readonly VerifiedApproval[],
  index: number,
): { ok: true; approval: VerifiedApproval } | Rejected<SignatureErrorCode> {
  const { request } = context;
  const key = approvalKey(signature);
  const counted = context.countedApprovals.get(key);
  // Checked before recovery: a signature over another request recovers to a random address, and
  // "unknown signer" would hide what actually happened.
  if (counted !== undefined && (counted.requestId !== request.requestId || counted.nonce !== request.nonce)) {
    return rejected('approval_replayed', 'this signature was already counted for another request or nonce', {
      index,
      countedForRequestId: counted.requestId,
      countedForNonce: counted.nonce.toString(),
    });
  }
  const recovered = recoverSignerAddress(digest, signature);
  if (!recovered.ok)
    return rejected(recovered.error.code, recovered.error.message, { ...recovered.error.details, index });
  const signer = context.registry.signers.get(recovered.address);
  if (signer === undefined) {
    return rejected('signature_signer_unknown', `${recovered.address} is not a registered signer`, {
      index,
      address: recovered.address,
    });
  }
  if (approvals.some((approval) => approval.signer.address === signer.address)) {
    return rejected(
      'signature_duplicate_signer',
      `${signer.label} (${signer.address}) has already approved`,
      {
        index,
        address: signer.address,
      },
    );
  }
  if (!context.approverGroups.some((group) => isEligibleApprover(group, signer, request.customerId))) {
    const groups = context.approverGroups.map(describeApproverGroup).join('; ');
    return rejected(
      'signature_wrong_signer',
      `${signer.label} (${signer.role}) is in none of the required approver groups: ${groups}`,
      { index, address: signer.address, role: signer.role },
    );
  }
  return { ok: true, approval: { signer, key } };
}
