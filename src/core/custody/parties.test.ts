// Proves the signer registry derives addresses from public keys, and refuses each broken rule with its code.

import { describe, expect, it } from 'vitest';
import { PLATFORM_PARTY_ID, parties, testRegistry } from '../../../test/support/custody-core.ts';
import {
  buildSignerRegistry,
  platformControlledAddresses,
  SIGNERS_MAX,
  type SignerInput,
} from './parties.ts';

const base = parties.trustee.input;

const CASES: [code: string, inputs: SignerInput[]][] = [
  ['signers_too_many', Array.from({ length: SIGNERS_MAX + 1 }, () => base)],
  ['signer_public_key_invalid', [{ ...base, publicKey: '0x1234' }]],
  ['signer_address_invalid', [{ role: 'trustee', partyId: 't', label: 't', address: '0x12' }]],
  ['signer_role_unknown', [{ ...base, role: 'admin' }]],
  ['signer_party_id_invalid', [{ ...base, partyId: '' }]],
  [
    'signer_address_duplicate',
    [base, { role: 'trustee', partyId: 'trustee-co', label: 'again', address: parties.trustee.address }],
  ],
  [
    'signer_party_role_conflict',
    [parties.platform1.input, { ...parties.trustee.input, partyId: 'ringfence-ops' }],
  ],
];

// Each shape of party conflict: a second role for a party, a non-platform key of the platform's party (even
// with no platform key registered yet), and a platform key outside the platform's party.
const CONFLICTS: [name: string, inputs: SignerInput[]][] = [
  [
    'a customer party signing as trustee',
    [parties.alice.input, { ...parties.trustee.input, partyId: 'alice' }],
  ],
  ["the platform's party signing as trustee", [{ ...parties.trustee.input, partyId: PLATFORM_PARTY_ID }]],
  ['a platform key of another party', [{ ...parties.platform1.input, partyId: 'trustee-co' }]],
];

describe('buildSignerRegistry', () => {
  for (const [code, inputs] of CASES) {
    it(`refuses with ${code}`, () => {
      const result = buildSignerRegistry(inputs, PLATFORM_PARTY_ID);
      expect(result.ok ? null : result.error.code).toBe(code);
    });
  }

  for (const [name, inputs] of CONFLICTS) {
    it(`refuses ${name} with signer_party_role_conflict`, () => {
      const result = buildSignerRegistry(inputs, PLATFORM_PARTY_ID);
      expect(result.ok ? null : result.error.code).toBe('signer_party_role_conflict');
    });
  }

  it('refuses an invalid platform party id with signer_party_id_invalid', () => {
    const result = buildSignerRegistry([], '');
    expect(result.ok ? null : result.error.code).toBe('signer_party_id_invalid');
  });

  it('maps each address derived from a public key to its role and party', () => {
    const registry = testRegistry();
    expect(registry.signers.size).toBe(7);
    expect(registry.signers.get(parties.trustee.address)).toMatchObject({
      role: 'trustee',
      partyId: 'trustee-co',
    });
    expect(registry.signers.get(parties.alice.address)).toMatchObject({ role: 'customer', partyId: 'alice' });
  });

  it('counts a hand-built signer of a platform party as platform-controlled, whatever its role label', () => {
    const registry = testRegistry();
    const signers = new Map(registry.signers);
    const { address } = parties.trustee;
    signers.set(address, { address, role: 'trustee', partyId: PLATFORM_PARTY_ID, label: 'trustee?' });
    const platform = [parties.platform1.address, parties.platform2.address, parties.platform3.address];
    // Caught through the registry's platform party id, and through the party's platform keys alone.
    for (const platformPartyId of [PLATFORM_PARTY_ID, 'someone-else']) {
      const controlled = platformControlledAddresses({ platformPartyId, signers });
      expect([...controlled].sort()).toEqual([...platform, address].sort());
    }
  });
});
