// The published reserves attestation: the liability tree's root and totals, the reserves held per asset in
// segregated vaults with each vault's proof of control, coverage and deficits, pinned to a journal head;
// signed by the platform key as an EIP-191 message over the SHA-256 of its canonical JSON.

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { encodeCanonicalJson } from '../canonical-json.ts';
import type { Address } from '../custody/address.ts';
import { divFloor, formatAmount } from '../money/amount.ts';
import type { TreeAsset } from './tree-format.ts';

/** The attestation format this code writes and verifies. */
export const ATTESTATION_FORMAT = 'ringfence-reserves-attestation-v1';

/** Decimal places of coverage ratios, which are rounded down. */
export const COVERAGE_DECIMALS = 4;

/** One signature over a vault's proof-of-control challenge. */
export interface ControlSignature {
  readonly signer: Address;
  /** 0x{r}{s}{v}, EIP-191 personal signature over the challenge text. */
  readonly signature: string;
}

/** One segregated vault's balances at a pinned block, with its owners' signatures over a fresh challenge. */
export interface VaultReserve {
  readonly vaultId: string;
  readonly chainId: number;
  readonly address: Address;
  readonly blockNumber: string;
  readonly blockHash: string;
  /** Per tree asset, in the attestation's asset order: the vault's on-chain balance in minor units. */
  readonly balances: readonly string[];
  /** The vault's owners and threshold as read on chain at `blockNumber`. */
  readonly owners: readonly Address[];
  readonly threshold: number;
  /** The challenge text (see `controlChallenge`) and the owners' signatures over it. */
  readonly challenge: string;
  readonly signatures: readonly ControlSignature[];
  /** True when at least `threshold` distinct owners signed the challenge; only such vaults count as reserves. */
  readonly controlProven: boolean;
}

/** Per-asset coverage: reserves ÷ liabilities rounded down to 4 places; null when there are no liabilities. */
export interface AssetCoverage {
  readonly asset: string;
  readonly ratio: string | null;
  readonly covered: boolean;
}

/** What the platform signs. Amounts are integer minor-unit strings, one per asset in `liabilities.assets` order. */
export interface AttestationBody {
  readonly format: typeof ATTESTATION_FORMAT;
  readonly auditId: string;
  /** When the books were cut (ISO 8601 UTC). */
  readonly asOf: string;
  readonly journal: { readonly seq: number; readonly headHash: string };
  readonly liabilities: {
    readonly hashFunction: 'sha256';
    readonly height: number;
    readonly rootHash: string;
    /** Leaves in the tree (customers with an account). */
    readonly customers: number;
    readonly assets: readonly TreeAsset[];
    /** The root's sums: Σ over customers of max(0, balance) per account class. */
    readonly totals: readonly string[];
    /** Σ of customer deficits, reported separately and never netted against the totals. */
    readonly deficits: readonly string[];
  };
  readonly reserves: {
    readonly vaults: readonly VaultReserve[];
    /** Σ balances of the vaults whose control is proven. */
    readonly totals: readonly string[];
  };
  readonly coverage: readonly AssetCoverage[];
  /** The address whose EIP-191 signature makes this attestation the venue's. */
  readonly platformSigner: Address;
}

/** A signed attestation as published. */
export interface SignedAttestation {
  readonly body: AttestationBody;
  /** SHA-256 of the body's canonical JSON, lower-case hex. */
  readonly bodySha256: string;
  /** EIP-191 personal signature by `body.platformSigner` over `attestationMessage(bodySha256)`. */
  readonly signature: string;
}

/** SHA-256 (hex) of the body's canonical JSON: keys sorted at every level, no whitespace. */
export function attestationBodyHash(body: AttestationBody): string {
  return bytesToHex(sha256(utf8ToBytes(encodeCanonicalJson(body))));
}

/** The text the platform personal-signs for an attestation whose body hashes to `bodySha256`. */
export function attestationMessage(bodySha256: string): string {
  return `Ringfence reserves attestation\nbody sha256: ${bodySha256}`;
}

/** The text each vault owner personal-signs to prove control of a vault for one audit. */
export function controlChallenge(input: {
  readonly auditId: string;
  readonly vaultId: string;
  readonly chainId: number;
  readonly address: Address;
  readonly blockNumber: string;
}): string {
  return [
    'Ringfence proof of control',
    `audit: ${input.auditId}`,
    `vault: ${input.vaultId}`,
    `chain: ${input.chainId}`,
    `address: ${input.address}`,
    `block: ${input.blockNumber}`,
  ].join('\n');
}

/** Coverage of one asset: floor(reserves × 10^4 ÷ liabilities) as a 4-place decimal; null without liabilities. */
export function coverageOf(asset: string, reservesMinor: bigint, liabilitiesMinor: bigint): AssetCoverage {
  if (liabilitiesMinor === 0n) return { asset, ratio: null, covered: true };
  // Rounds down, so a ratio of "1.0000" is never shown for reserves even one minor unit short.
  const scaled = divFloor(reservesMinor * 10n ** BigInt(COVERAGE_DECIMALS), liabilitiesMinor);
  const digits = formatAmount(scaled, COVERAGE_DECIMALS);
  const [whole, fraction = ''] = digits.split('.');
  return {
    asset,
    ratio: `${whole}.${fraction.padEnd(COVERAGE_DECIMALS, '0')}`,
    covered: reservesMinor >= liabilitiesMinor,
  };
}
