// Assembles the attestation body from a built liability tree, the deficits the tree leaves out, and the
// vaults read on chain with their owners' signatures; then signs it. Which vaults count as reserves is
// decided here exactly as the verifiers decide it (controlSigners), so a published body always verifies.

import type { Address } from '../custody/address.ts';
import {
  ATTESTATION_FORMAT,
  type AttestationBody,
  attestationBodyHash,
  attestationMessage,
  coverageOf,
  type SignedAttestation,
  type VaultReserve,
} from './attestation.ts';
import type { LiabilityTree } from './liability-tree.ts';
import { HASH_BYTES, recordSums, TREE_HEIGHT, toHex } from './tree-format.ts';
import { controlSigners } from './verify-attestation.ts';

/** A vault as read on chain, before deciding whether its control is proven. */
export type VaultReading = Omit<VaultReserve, 'controlProven'>;

export interface AssembleAttestationInput {
  readonly tree: LiabilityTree;
  /** Per tree asset, Σ of customer deficits (minor units). */
  readonly deficitsMinor: readonly bigint[];
  readonly vaults: readonly VaultReading[];
  readonly asOf: string;
  readonly journal: { readonly seq: number; readonly headHash: string };
  readonly platformSigner: Address;
}

/** The body: root and totals from the tree, reserves = Σ balances of vaults whose control is proven. */
export function assembleAttestation(input: AssembleAttestationInput): AttestationBody {
  const { tree } = input;
  const auditId = toHex(tree.auditId);
  const assetCount = tree.assets.length;
  const vaults: VaultReserve[] = input.vaults.map((vault) => ({
    ...vault,
    controlProven: controlSigners(auditId, { ...vault, controlProven: false }).length >= vault.threshold,
  }));
  const liabilities = recordSums(tree.root, assetCount);
  const reserves = tree.assets.map((_, index) =>
    vaults
      .filter((vault) => vault.controlProven)
      .reduce((sum, vault) => sum + BigInt(vault.balances[index]!), 0n),
  );
  return {
    format: ATTESTATION_FORMAT,
    auditId,
    asOf: input.asOf,
    journal: { seq: input.journal.seq, headHash: input.journal.headHash },
    liabilities: {
      hashFunction: 'sha256',
      height: TREE_HEIGHT,
      rootHash: toHex(tree.root.subarray(0, HASH_BYTES)),
      customers: tree.leaves.count,
      assets: tree.assets.map((asset) => ({ code: asset.code, scale: asset.scale })),
      totals: liabilities.map(String),
      deficits: input.deficitsMinor.map(String),
    },
    reserves: { vaults, totals: reserves.map(String) },
    coverage: tree.assets.map((asset, index) =>
      coverageOf(asset.code, reserves[index]!, liabilities[index]!),
    ),
    platformSigner: input.platformSigner,
  };
}

/** Signs a body: `signMessage` personal-signs text with the platform key (a wallet, a KMS, a test key). */
export async function signAttestation(
  body: AttestationBody,
  signMessage: (message: string) => Promise<string>,
): Promise<SignedAttestation> {
  const bodySha256 = attestationBodyHash(body);
  return { body, bodySha256, signature: await signMessage(attestationMessage(bodySha256)) };
}
