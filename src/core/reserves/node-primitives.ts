// Native primitives for verifying in Node: SHA-256 from node:crypto and signer recovery in libsecp256k1
// (tiny-secp256k1, as custody approvals use), about ten times the portable ones' speed. Same results.

import { hash } from 'node:crypto';
import { recoverSignerAddress } from '../custody/signatures.ts';
import { personalMessageDigest } from './personal-signature.ts';
import type { VerifyPrimitives } from './verify-primitives.ts';

/** node:crypto SHA-256 and libsecp256k1 recovery (high-s, bad v and malformed signatures recover nobody). */
export const NODE_PRIMITIVES: VerifyPrimitives = {
  sha256: (bytes) => hash('sha256', bytes, 'buffer'),
  recoverPersonalSigner(message, signature) {
    if (typeof signature !== 'string') return null;
    const recovered = recoverSignerAddress(personalMessageDigest(message), signature);
    return recovered.ok ? recovered.address : null;
  },
};
