// Builds signed liability trees for tests: leaves from plain data, deterministic salts and keys, one vault
// whose two owners sign its challenge, and a platform key; everything a proof or attestation test needs.

import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { ChainAdapter } from '../../src/chain/chain-adapter.ts';
import type { Address } from '../../src/core/custody/address.ts';
import { addressFromPublicKey } from '../../src/core/custody/address.ts';
import {
  assembleAttestation,
  signAttestation,
  type VaultReading,
} from '../../src/core/reserves/assemble-attestation.ts';
import type { SignedAttestation } from '../../src/core/reserves/attestation.ts';
import { controlChallenge } from '../../src/core/reserves/attestation.ts';
import { createInclusionProof } from '../../src/core/reserves/inclusion-proof.ts';
import { buildLiabilityTree, type LiabilityTree } from '../../src/core/reserves/liability-tree.ts';
import { signPersonalMessage } from '../../src/core/reserves/personal-signature.ts';
import type { InclusionProofJson } from '../../src/core/reserves/proof-json.ts';
import type { TreeAsset } from '../../src/core/reserves/tree-format.ts';
import type { PersonalSigner } from '../../src/service/reserves/reserves-service.ts';

/** A deterministic test key and its address. */
export interface TestKey {
  readonly privateKey: Uint8Array;
  readonly address: Address;
}

/** The key derived from `label` (SHA-256 of it), for tests only. */
export function testKey(label: string): TestKey {
  const privateKey = createHash('sha256').update(label).digest();
  return { privateKey, address: addressFromPublicKey(secp256k1.getPublicKey(privateKey, false)) };
}

export const PLATFORM_KEY = testKey('platform');
export const TRUSTEE_KEY = testKey('trustee');
export const RECOVERY_KEY = testKey('recovery');

/** One customer's balances by asset code. */
export interface FixtureCustomer {
  readonly customerId: string;
  readonly balancesMinor: readonly bigint[];
}

export interface SignedFixture {
  readonly tree: LiabilityTree;
  readonly attestation: SignedAttestation;
  proofAt(position: number): InclusionProofJson;
}

/** Deterministic 16-byte audit id and 32-byte salts from a seed. */
export function fixtureBytes(seed: string, length: number): Uint8Array {
  return createHash('sha256').update(seed).digest().subarray(0, length);
}

/** Builds, attests (one vault holding `reservesMinor`, signed by two of its three owners) and signs a tree. */
export async function signedFixture(
  assets: readonly TreeAsset[],
  customers: readonly FixtureCustomer[],
  options: { readonly reservesMinor?: readonly bigint[]; readonly seed?: string } = {},
): Promise<SignedFixture> {
  const seed = options.seed ?? 'fixture';
  const auditId = fixtureBytes(`${seed}:audit`, 16);
  const built = buildLiabilityTree({
    auditId,
    assets,
    leaves: customers.map((customer) => ({
      customerId: customer.customerId,
      salt: fixtureBytes(`${seed}:salt:${customer.customerId}`, 32),
      balancesMinor: customer.balancesMinor,
    })),
  });
  if (!built.ok) throw new Error(`fixture tree refused: ${built.error.code}`);
  const tree = built.tree;
  const reserves =
    options.reservesMinor ??
    assets.map((_, index) => customers.reduce((sum, customer) => sum + customer.balancesMinor[index]!, 0n));
  const attestation = await attestFixtureTree(tree, reserves);
  return { tree, attestation, proofAt: (position) => createInclusionProof(tree, position, attestation) };
}

/**
 * Attests a built tree as a venue would: one 2-of-3 vault (platform, trustee, recovery) holding `reservesMinor`,
 * whose platform and trustee owners sign its challenge, and the attestation signed by the platform key.
 */
export async function attestFixtureTree(
  tree: LiabilityTree,
  reservesMinor: readonly bigint[],
): Promise<SignedAttestation> {
  const vaultAddress: Address = `0x${'ab'.repeat(20)}`;
  const challenge = controlChallenge({
    auditId: Buffer.from(tree.auditId).toString('hex'),
    vaultId: 'vault-1',
    chainId: 31337,
    address: vaultAddress,
    blockNumber: '42',
  });
  const vault: VaultReading = {
    vaultId: 'vault-1',
    chainId: 31337,
    address: vaultAddress,
    blockNumber: '42',
    blockHash: 'cd'.repeat(32),
    balances: reservesMinor.map(String),
    owners: [PLATFORM_KEY.address, TRUSTEE_KEY.address, RECOVERY_KEY.address],
    threshold: 2,
    challenge,
    signatures: [PLATFORM_KEY, TRUSTEE_KEY].map((key) => ({
      signer: key.address,
      signature: signPersonalMessage(challenge, key.privateKey),
    })),
  };
  const body = assembleAttestation({
    tree,
    deficitsMinor: tree.assets.map(() => 0n),
    vaults: [vault],
    asOf: '2026-11-30T12:00:00.000Z',
    journal: { seq: 7, headHash: 'ef'.repeat(32) },
    platformSigner: PLATFORM_KEY.address,
  });
  return signAttestation(body, async (message) => signPersonalMessage(message, PLATFORM_KEY.privateKey));
}

/** A personal-message signer over a test key. */
export function testPersonalSigner(key: TestKey): PersonalSigner {
  return {
    address: key.address,
    signMessage: async (message) => signPersonalMessage(message, key.privateKey),
  };
}

/**
 * A chain (id 31337) where every vault is a 2-of-3 Safe (platform, trustee, recovery) holding `balances`
 * (keyed "address/asset") at block 99.
 */
export function fakeReservesChain(balances: ReadonlyMap<string, bigint>): ChainAdapter {
  return {
    chainId: 31_337,
    readHeadBlockNumber: async () => 99n,
    readVaultBalances: async (input) => ({
      chainId: 31_337,
      blockNumber: 99n,
      blockHash: `0x${'12'.repeat(32)}`,
      balances: input.vaults.flatMap((vault) =>
        input.assets.map((asset) => ({
          vault,
          assetId: asset.assetId,
          balanceMinor: balances.get(`${vault}/${asset.assetId}`) ?? 0n,
        })),
      ),
    }),
    readVaultControl: async () => ({
      kind: 'safe',
      owners: [PLATFORM_KEY.address, TRUSTEE_KEY.address, RECOVERY_KEY.address],
      threshold: 2,
    }),
  };
}
