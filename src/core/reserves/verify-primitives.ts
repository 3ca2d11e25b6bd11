// The two primitives the offline verifiers need, SHA-256 and EIP-191 signer recovery. The portable ones are
// pure JavaScript (noble), which the browser page bundles; Node passes faster native ones
// (node-primitives.ts). Both compute the same functions, so a file verifies identically everywhere.

import { sha256 } from '@noble/hashes/sha2.js';
import type { Address } from '../custody/address.ts';
import { recoverPersonalSigner } from './personal-signature.ts';

/** SHA-256 and personal-signature recovery, as the verifiers call them. */
export interface VerifyPrimitives {
  sha256(bytes: Uint8Array): Uint8Array;
  /** The address that personal-signed `message`, or null (see personal-signature.ts for what is refused). */
  recoverPersonalSigner(message: string, signature: unknown): Address | null;
}

/** Pure-JavaScript primitives: what the browser runs, and the default. */
export const PORTABLE_PRIMITIVES: VerifyPrimitives = { sha256, recoverPersonalSigner };
