// The JSON shape of a customer's inclusion proof (format ringfence-liability-proof-v1, docs/proof-formats.md):
// their leaf, and for every level the sibling's record and the parent's record, up to the attested root.
// Types only and the format tag, so the offline verifiers import it without the builder.

import type { SignedAttestation } from './attestation.ts';
import type { TreeAsset } from './tree-format.ts';

/** The proof format this code writes and verifies. */
export const PROOF_FORMAT = 'ringfence-liability-proof-v1';

/** A node record in JSON: its hash (hex) and one sum per asset (integer minor-unit strings). */
export interface ProofRecordJson {
  readonly hash: string;
  readonly sums: readonly string[];
}

/** One step up the tree: the sibling at this level and the parent both make. */
export interface ProofStepJson {
  readonly sibling: ProofRecordJson;
  readonly parent: ProofRecordJson;
}

/** A customer's inclusion proof as published. */
export interface InclusionProofJson {
  readonly format: typeof PROOF_FORMAT;
  readonly auditId: string;
  readonly hashFunction: 'sha256';
  readonly height: number;
  readonly assets: readonly TreeAsset[];
  /** The leaf's index; bit l says whether the path is the right (1) or left (0) child at level l. */
  readonly position: number;
  readonly leaf: {
    readonly customerId: string;
    readonly salt: string;
    /** One balance per asset, integer minor units. */
    readonly balances: readonly string[];
    readonly hash: string;
  };
  /** Exactly `height` steps, from the leaf's level upwards; the last parent is the root. */
  readonly path: readonly ProofStepJson[];
  readonly attestation: SignedAttestation;
}
