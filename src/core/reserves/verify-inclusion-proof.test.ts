// Proves each way a proof or its attestation can be wrong is caught by the check named after it: one test per
// failure code, each starting from a proof that verifies and changing one thing.

import { beforeAll, describe, expect, it } from 'vitest';
import {
  PLATFORM_KEY,
  RECOVERY_KEY,
  type SignedFixture,
  signedFixture,
  testKey,
} from '../../../test/support/reserves-fixture.ts';
import { attestationBodyHash, attestationMessage } from './attestation.ts';
import { signPersonalMessage } from './personal-signature.ts';
import { LEAF_AMOUNT_MAX_MINOR } from './tree-format.ts';
import { verifyAttestation } from './verify-attestation.ts';
import { verifyInclusionProof } from './verify-inclusion-proof.ts';
import { verifyProofFile } from './verify-proof-file.ts';

const ASSETS = [
  { code: 'BTC', scale: 8 },
  { code: 'ETH', scale: 18 },
  { code: 'USDC', scale: 6 },
];
const CUSTOMERS = [
  { customerId: 'alice', balancesMinor: [150_000_000n, 0n, 2_500_000_000n] },
  { customerId: 'bob', balancesMinor: [0n, 3_000_000_000_000_000_000n, 0n] },
  { customerId: 'carol', balancesMinor: [1n, 1n, 1n] },
  { customerId: 'dave', balancesMinor: [0n, 0n, 0n] },
  { customerId: 'erin', balancesMinor: [75_000_000n, 10n ** 20n, 99_000_000n] },
];

let fixture: SignedFixture;
beforeAll(async () => {
  fixture = await signedFixture(ASSETS, CUSTOMERS);
});

// biome-ignore lint/suspicious/noExplicitAny: tests edit proof JSON freely, as an attacker would.
type Json = any;

function proof(position = 1): Json {
  return JSON.parse(JSON.stringify(fixture.proofAt(position)));
}

/** Re-signs an edited attestation body with `key`, so only the edit itself can make it fail. */
function resign(attestation: Json, key = PLATFORM_KEY): Json {
  const bodySha256 = attestationBodyHash(attestation.body);
  return {
    ...attestation,
    bodySha256,
    signature: signPersonalMessage(attestationMessage(bodySha256), key.privateKey),
  };
}

function codeOf(value: Json, options = {}): string | null {
  const result = verifyInclusionProof(value, options);
  return result.ok ? null : result.error.code;
}

describe('verifyInclusionProof', () => {
  it('verifies every customer and shows their committed balances', () => {
    for (const [position, customer] of CUSTOMERS.entries()) {
      const result = verifyInclusionProof(proof(position), { expectedSigner: PLATFORM_KEY.address });
      expect(result.ok && result.verified.customerId).toBe(customer.customerId);
      expect(result.ok && result.verified.balancesMinor).toEqual(customer.balancesMinor);
    }
  });

  it('proof_malformed: a missing or mistyped field is named', () => {
    const value = proof();
    delete value.leaf.salt;
    const result = verifyInclusionProof(value);
    expect(result.ok ? null : result.error).toMatchObject({
      code: 'proof_malformed',
      message: expect.stringContaining('leaf.salt'),
    });
    expect(codeOf('not json at all')).toBe('proof_malformed');
  });

  it('proof_format_unsupported: another format tag', () => {
    const value = proof();
    value.format = 'ringfence-liability-proof-v9';
    expect(codeOf(value)).toBe('proof_format_unsupported');
  });

  it('proof_path_length_mismatch: a path shorter than the fixed height', () => {
    const value = proof();
    value.path.pop();
    expect(codeOf(value)).toBe('proof_path_length_mismatch');
    const taller = proof();
    taller.height = 31;
    expect(codeOf(taller)).toBe('proof_path_length_mismatch');
  });

  it('proof_position_out_of_range: a position past 2^32', () => {
    const value = proof();
    value.position = 2 ** 32;
    expect(codeOf(value)).toBe('proof_position_out_of_range');
  });

  it('proof_leaf_balance_out_of_range: a negative or oversized leaf balance', () => {
    const negative = proof();
    negative.leaf.balances[0] = '-1';
    expect(codeOf(negative)).toBe('proof_leaf_balance_out_of_range');
    const oversized = proof();
    oversized.leaf.balances[0] = (LEAF_AMOUNT_MAX_MINOR + 1n).toString();
    expect(codeOf(oversized)).toBe('proof_leaf_balance_out_of_range');
  });

  it('proof_sum_out_of_range: a negative sibling sum (a dummy leaf cancelling liabilities)', () => {
    const value = proof();
    value.path[0].sibling.sums[2] = '-2500000000';
    const result = verifyInclusionProof(value);
    expect(result.ok ? null : result.error).toMatchObject({ code: 'proof_sum_out_of_range', level: 0 });
  });

  it('proof_leaf_hash_mismatch: a changed balance, salt or customer id', () => {
    for (const edit of [
      (value: Json) => {
        value.leaf.balances[2] = '2500000001';
      },
      (value: Json) => {
        value.leaf.salt = `${value.leaf.salt.startsWith('0') ? '1' : '0'}${value.leaf.salt.slice(1)}`;
      },
      (value: Json) => {
        value.leaf.customerId = 'mallory';
      },
    ]) {
      const value = proof(0);
      edit(value);
      expect(codeOf(value)).toBe('proof_leaf_hash_mismatch');
    }
  });

  it('proof_node_sums_mismatch: a sibling showing a smaller sum (the Maxwell equivocation)', () => {
    const value = proof(0);
    value.path[0].sibling.sums[1] = '0';
    const result = verifyInclusionProof(value);
    expect(result.ok ? null : result.error).toMatchObject({ code: 'proof_node_sums_mismatch', level: 1 });
  });

  it('proof_node_sums_mismatch: even when the parent sums are lowered to match, the hash catches it', () => {
    const value = proof(0);
    value.path[0].sibling.sums[1] = '0';
    value.path[0].parent.sums[1] = value.leaf.balances[1];
    const result = verifyInclusionProof(value);
    expect(result.ok ? null : result.error).toMatchObject({ code: 'proof_node_hash_mismatch', level: 1 });
  });

  it('proof_node_hash_mismatch: a changed sibling hash, or the position', () => {
    const value = proof(2);
    value.path[5].sibling.hash = 'f'.repeat(64);
    expect(verifyInclusionProof(value)).toMatchObject({
      ok: false,
      error: { code: 'proof_node_hash_mismatch', level: 6 },
    });
    const moved = proof(2);
    moved.position = 3;
    expect(verifyInclusionProof(moved)).toMatchObject({
      ok: false,
      error: { code: 'proof_node_hash_mismatch', level: 1 },
    });
  });

  it('proof_attestation_mismatch: a proof joined to another audit', async () => {
    const other = await signedFixture(ASSETS, CUSTOMERS, { seed: 'another audit' });
    const value = proof();
    value.attestation = JSON.parse(JSON.stringify(other.attestation));
    expect(codeOf(value)).toBe('proof_attestation_mismatch');
  });

  it('proof_root_mismatch: a path whose root is not the attested one', () => {
    const value = proof();
    value.attestation.body.liabilities.rootHash = 'a'.repeat(64);
    value.attestation = resign(value.attestation);
    expect(codeOf(value)).toBe('proof_root_mismatch');
  });
});

describe('verifyAttestation', () => {
  function attestation(): Json {
    return JSON.parse(JSON.stringify(fixture.attestation));
  }

  function attestationCode(value: Json, options = {}): string | null {
    const result = verifyAttestation(value, options);
    return result.ok ? null : result.error.code;
  }

  it('verifies the published attestation, and as a file on its own', () => {
    expect(verifyAttestation(attestation(), { expectedSigner: PLATFORM_KEY.address }).ok).toBe(true);
    expect(verifyProofFile(attestation())).toMatchObject({
      ok: true,
      file: { kind: 'ringfence_attestation' },
    });
  });

  it('attestation_malformed and attestation_format_unsupported', () => {
    const value = attestation();
    value.body.liabilities.totals = ['1'];
    expect(attestationCode(value)).toBe('attestation_malformed');
    const other = attestation();
    other.body.format = 'someone-else-v1';
    expect(attestationCode(other)).toBe('attestation_format_unsupported');
  });

  it('attestation_body_hash_mismatch: a changed total, even an added field', () => {
    const value = attestation();
    value.body.liabilities.totals[0] = '1';
    expect(attestationCode(value)).toBe('attestation_body_hash_mismatch');
    const added = attestation();
    added.body.note = 'unsigned';
    expect(attestationCode(added)).toBe('attestation_body_hash_mismatch');
  });

  it('attestation_signature_invalid: signed by a key other than the platform signer it names', () => {
    expect(attestationCode(resign(attestation(), testKey('someone else')))).toBe(
      'attestation_signature_invalid',
    );
    const value = attestation();
    value.signature = `0x${'00'.repeat(65)}`;
    expect(attestationCode(value)).toBe('attestation_signature_invalid');
  });

  it('attestation_signer_unexpected: not the key the venue publishes', () => {
    expect(attestationCode(attestation(), { expectedSigner: RECOVERY_KEY.address })).toBe(
      'attestation_signer_unexpected',
    );
  });

  it('attestation_control_unproven: a vault counted with one owner signature of two', () => {
    const value = attestation();
    value.body.reserves.vaults[0].signatures.pop();
    expect(attestationCode(resign(value))).toBe('attestation_control_unproven');
    const stranger = attestation();
    stranger.body.reserves.vaults[0].owners = [RECOVERY_KEY.address, testKey('x').address];
    expect(attestationCode(resign(stranger))).toBe('attestation_control_unproven');
  });

  it('attestation_reserves_mismatch: reserves that do not add up', () => {
    const value = attestation();
    value.body.reserves.totals[1] = (BigInt(value.body.reserves.totals[1]) + 1n).toString();
    expect(attestationCode(resign(value))).toBe('attestation_reserves_mismatch');
  });

  it('attestation_coverage_mismatch: a coverage ratio rounded up or a false covered flag', () => {
    const value = attestation();
    value.body.coverage[0].ratio = '1.0001';
    expect(attestationCode(resign(value))).toBe('attestation_coverage_mismatch');
  });

  it('verifyProofFile: file_format_unknown for anything else', () => {
    expect(verifyProofFile({ hello: 'world' })).toMatchObject({
      ok: false,
      error: { code: 'file_format_unknown' },
    });
  });
});
