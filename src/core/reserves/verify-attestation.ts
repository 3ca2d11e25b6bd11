// Verifies a signed reserves attestation offline: its shape, that its body hashes to the signed hash, that
// the platform signed it, that every vault counted as reserves has a threshold of its owners' signatures
// over its challenge, and that the reserve totals and coverage ratios follow from the lines. Fixed order.

import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { encodeCanonicalJson } from '../canonical-json.ts';
import { type Address, isAddress } from '../custody/address.ts';
import {
  ATTESTATION_FORMAT,
  type AttestationBody,
  attestationMessage,
  controlChallenge,
  coverageOf,
  type SignedAttestation,
  type VaultReserve,
} from './attestation.ts';
import { TREE_HEIGHT } from './tree-format.ts';
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

/** Why an attestation does not verify, in the order the checks run. */
export type AttestationFailureCode =
  | 'attestation_malformed'
  | 'attestation_format_unsupported'
  | 'attestation_body_hash_mismatch'
  | 'attestation_signature_invalid'
  | 'attestation_signer_unexpected'
  | 'attestation_control_unproven'
  | 'attestation_reserves_mismatch'
  | 'attestation_coverage_mismatch';

export interface AttestationFailure {
  readonly code: AttestationFailureCode;
  readonly message: string;
}

export type VerifyAttestationResult =
  | { readonly ok: true; readonly attestation: SignedAttestation }
  | { readonly ok: false; readonly error: AttestationFailure };

export interface VerifyAttestationOptions {
  /** The platform address the venue publishes; when given, the attestation must be signed by it. */
  readonly expectedSigner?: Address;
  /** SHA-256 and signer recovery; the portable (pure JavaScript) ones by default. */
  readonly primitives?: VerifyPrimitives;
}

/** Verifies a parsed JSON value as a signed attestation. */
export function verifyAttestation(
  value: unknown,
  options: VerifyAttestationOptions = {},
): VerifyAttestationResult {
  const read = readFields('attestation', (field) => readSignedAttestation(value, field));
  if (!read.ok) {
    return fail(
      read.kind === 'format' ? 'attestation_format_unsupported' : 'attestation_malformed',
      read.message,
    );
  }
  const attestation = read.value;
  const { body } = attestation;
  // The body as published, not as read: a field added to it changes the hash as much as a field changed.
  const primitives = options.primitives ?? PORTABLE_PRIMITIVES;
  const bodySha256 = bytesToHex(
    primitives.sha256(utf8ToBytes(encodeCanonicalJson((value as { body: unknown }).body))),
  );
  if (bodySha256 !== attestation.bodySha256) {
    return fail(
      'attestation_body_hash_mismatch',
      `the attestation body hashes to ${bodySha256}, not the signed ${attestation.bodySha256}: its content was changed`,
    );
  }
  const signer = primitives.recoverPersonalSigner(attestationMessage(bodySha256), attestation.signature);
  if (signer !== body.platformSigner) {
    return fail(
      'attestation_signature_invalid',
      `the signature is not ${body.platformSigner}'s over the attestation (recovered ${signer ?? 'nobody'})`,
    );
  }
  if (options.expectedSigner !== undefined && options.expectedSigner !== signer) {
    return fail(
      'attestation_signer_unexpected',
      `signed by ${signer}, not by the venue's published key ${options.expectedSigner}`,
    );
  }
  for (const vault of body.reserves.vaults) {
    const proven = controlSigners(body.auditId, vault, primitives).length >= vault.threshold;
    if (vault.controlProven && !proven) {
      return fail(
        'attestation_control_unproven',
        `vault ${vault.vaultId} is counted as reserves but fewer than ${vault.threshold} of its owners signed its challenge`,
      );
    }
  }
  const assetCount = body.liabilities.assets.length;
  for (let index = 0; index < assetCount; index += 1) {
    const asset = body.liabilities.assets[index]!.code;
    const reserves = body.reserves.vaults
      .filter((vault) => vault.controlProven)
      .reduce((sum, vault) => sum + BigInt(vault.balances[index]!), 0n);
    if (reserves.toString() !== body.reserves.totals[index]) {
      return fail(
        'attestation_reserves_mismatch',
        `${asset} reserves total ${body.reserves.totals[index]} is not the sum ${reserves} of the proven vaults`,
      );
    }
    const expected = coverageOf(asset, reserves, BigInt(body.liabilities.totals[index]!));
    const stated = body.coverage[index]!;
    if (stated.asset !== asset || stated.ratio !== expected.ratio || stated.covered !== expected.covered) {
      return fail(
        'attestation_coverage_mismatch',
        `${asset} coverage is ${expected.ratio ?? 'n/a'} (covered ${expected.covered}), not as stated`,
      );
    }
  }
  return { ok: true, attestation };
}

/** The distinct owners whose signatures over the vault's challenge verify. */
export function controlSigners(
  auditId: string,
  vault: VaultReserve,
  primitives: VerifyPrimitives = PORTABLE_PRIMITIVES,
): Address[] {
  const challenge = controlChallenge({
    auditId,
    vaultId: vault.vaultId,
    chainId: vault.chainId,
    address: vault.address,
    blockNumber: vault.blockNumber,
  });
  if (challenge !== vault.challenge) return [];
  const signers = new Set<Address>();
  for (const entry of vault.signatures) {
    const recovered = primitives.recoverPersonalSigner(challenge, entry.signature);
    if (recovered !== null && recovered === entry.signer && vault.owners.includes(recovered))
      signers.add(recovered);
  }
  return [...signers];
}

/** Reads a signed attestation through `read` (a FieldError of kind 'format' for another format). */
function readSignedAttestation(value: unknown, read: FieldReader): SignedAttestation {
  const top = readObject(value, 'attestation', read);
  const body = readObject(top.body, 'body', read);
  if (body.format !== ATTESTATION_FORMAT) {
    throw new FieldError(
      'format',
      `unsupported attestation format ${String(body.format)} (this verifier reads ${ATTESTATION_FORMAT})`,
    );
  }
  const liabilities = readObject(body.liabilities, 'body.liabilities', read);
  const assets = readTreeAssets(liabilities.assets, 'body.liabilities.assets', read);
  const amounts = (field: unknown, name: string): string[] => {
    const list = readArray(field, name, read).map((item) => readString(item, name, read));
    read(list.length === assets.length && list.every(isAmountText), name);
    return list;
  };
  const journal = readObject(body.journal, 'body.journal', read);
  const reserves = readObject(body.reserves, 'body.reserves', read);
  const vaults = readArray(reserves.vaults, 'body.reserves.vaults', read).map((item, index) => {
    const name = `body.reserves.vaults[${index}]`;
    const vault = readObject(item, name, read);
    const owners = readArray(vault.owners, `${name}.owners`, read);
    read(owners.every(isAddress), `${name}.owners`);
    const signatures = readArray(vault.signatures, `${name}.signatures`, read).map((entry, at) => {
      const signature = readObject(entry, `${name}.signatures[${at}]`, read);
      read(isAddress(signature.signer), `${name}.signatures[${at}].signer`);
      return {
        signer: signature.signer as Address,
        signature: readString(signature.signature, `${name}.signatures[${at}].signature`, read),
      };
    });
    read(isAddress(vault.address), `${name}.address`);
    read(typeof vault.controlProven === 'boolean', `${name}.controlProven`);
    const reserve: VaultReserve = {
      vaultId: readString(vault.vaultId, `${name}.vaultId`, read),
      chainId: readInteger(vault.chainId, `${name}.chainId`, read),
      address: vault.address as Address,
      blockNumber: readString(vault.blockNumber, `${name}.blockNumber`, read),
      blockHash: readString(vault.blockHash, `${name}.blockHash`, read),
      balances: amounts(vault.balances, `${name}.balances`),
      owners: owners as Address[],
      threshold: readInteger(vault.threshold, `${name}.threshold`, read),
      challenge: readString(vault.challenge, `${name}.challenge`, read),
      signatures,
      controlProven: vault.controlProven as boolean,
    };
    read(reserve.threshold >= 1, `${name}.threshold`);
    return reserve;
  });
  const coverage = readArray(body.coverage, 'body.coverage', read).map((item, index) => {
    const entry = readObject(item, `body.coverage[${index}]`, read);
    read(entry.ratio === null || typeof entry.ratio === 'string', `body.coverage[${index}].ratio`);
    read(typeof entry.covered === 'boolean', `body.coverage[${index}].covered`);
    return {
      asset: readString(entry.asset, `body.coverage[${index}].asset`, read),
      ratio: entry.ratio as string | null,
      covered: entry.covered as boolean,
    };
  });
  read(coverage.length === assets.length, 'body.coverage');
  read(isAddress(body.platformSigner), 'body.platformSigner');
  read(liabilities.hashFunction === 'sha256', 'body.liabilities.hashFunction');
  read(liabilities.height === TREE_HEIGHT, 'body.liabilities.height');
  const rootHash = readString(liabilities.rootHash, 'body.liabilities.rootHash', read);
  read(isHexText(rootHash, 32), 'body.liabilities.rootHash');
  const auditId = readString(body.auditId, 'body.auditId', read);
  read(isHexText(auditId, 16), 'body.auditId');
  const attestationBody: AttestationBody = {
    format: ATTESTATION_FORMAT,
    auditId,
    asOf: readString(body.asOf, 'body.asOf', read),
    journal: {
      seq: readInteger(journal.seq, 'body.journal.seq', read),
      headHash: readString(journal.headHash, 'body.journal.headHash', read),
    },
    liabilities: {
      hashFunction: 'sha256',
      height: TREE_HEIGHT,
      rootHash,
      customers: readInteger(liabilities.customers, 'body.liabilities.customers', read),
      assets,
      totals: amounts(liabilities.totals, 'body.liabilities.totals'),
      deficits: amounts(liabilities.deficits, 'body.liabilities.deficits'),
    },
    reserves: { vaults, totals: amounts(reserves.totals, 'body.reserves.totals') },
    coverage,
    platformSigner: body.platformSigner as Address,
  };
  const bodySha256 = readString(top.bodySha256, 'bodySha256', read);
  read(isHexText(bodySha256, 32), 'bodySha256');
  return { body: attestationBody, bodySha256, signature: readString(top.signature, 'signature', read) };
}

function fail(code: AttestationFailureCode, message: string): VerifyAttestationResult {
  return { ok: false, error: { code, message } };
}
