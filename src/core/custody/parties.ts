// The parties to a withdrawal and the keys that sign for them: the platform, an independent trustee,
// customers and the custodian's recovery key. The signer registry maps each EVM address (derived from a
// secp256k1 public key) to exactly one role and party.

import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import { type Address, addressFromPublicKeyHex, parseAddress } from './address.ts';
import { type Rejected, rejected } from './rejection.ts';

/** Who a signer signs for. */
export const PARTY_ROLES = ['platform', 'trustee', 'customer', 'custodian_recovery'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Signers one registry may hold. */
export const SIGNERS_MAX = 256;

/** One registered key: its address, the role it signs in and the party (person, firm, customer id) it belongs to. */
export interface Signer {
  readonly address: Address;
  readonly role: PartyRole;
  readonly partyId: string;
  readonly label: string;
}

/** The signers by address (internal lower-case form), and the platform's own party id. Build it with `buildSignerRegistry`. */
export interface SignerRegistry {
  /** The party id of the platform operator: every key of this party is platform-controlled, whatever its role. */
  readonly platformPartyId: string;
  readonly signers: ReadonlyMap<Address, Signer>;
}

/** A signer as submitted: by public key (preferred, the address is derived) or by address. */
export type SignerInput = {
  readonly role: string;
  readonly partyId: string;
  readonly label: string;
} & ({ readonly publicKey: string } | { readonly address: string });

/** The rejection codes of `buildSignerRegistry`, in the order they are checked (entry by entry). */
export type SignerErrorCode =
  | 'signers_too_many'
  | 'signer_public_key_invalid'
  | 'signer_address_invalid'
  | 'signer_role_unknown'
  | 'signer_party_id_invalid'
  | 'signer_address_duplicate'
  | 'signer_party_role_conflict';

export type BuildSignerRegistryResult =
  | { readonly ok: true; readonly registry: SignerRegistry }
  | Rejected<SignerErrorCode>;

/**
 * Builds the registry. An address may appear once, a party has one role, and platform keys belong to the
 * platform's party and no other: the same key or party under a second role would let the platform pass as a
 * trustee or a customer.
 */
export function buildSignerRegistry(
  inputs: readonly SignerInput[],
  platformPartyId: string,
): BuildSignerRegistryResult {
  if (!ENTITY_ID_PATTERN.test(platformPartyId)) {
    return rejected('signer_party_id_invalid', `the platform's party id matches ${ENTITY_ID_PATTERN}`, {
      index: null,
    });
  }
  if (inputs.length > SIGNERS_MAX) {
    return rejected('signers_too_many', `a registry holds at most ${SIGNERS_MAX} signers`, {
      count: inputs.length,
    });
  }
  const signers = new Map<Address, Signer>();
  const roleOfParty = new Map<string, PartyRole>();
  for (const [index, input] of inputs.entries()) {
    let address: Address | null;
    if ('publicKey' in input) {
      address = addressFromPublicKeyHex(input.publicKey);
      if (address === null) {
        return rejected(
          'signer_public_key_invalid',
          'a public key is a 33- or 65-byte secp256k1 point in hex',
          {
            index,
          },
        );
      }
    } else {
      address = parseAddress(input.address);
      if (address === null) {
        return rejected(
          'signer_address_invalid',
          'a signer address is 0x and 40 hex digits (EIP-55 if mixed case)',
          {
            index,
            address: input.address,
          },
        );
      }
    }
    if (!(PARTY_ROLES as readonly string[]).includes(input.role)) {
      return rejected('signer_role_unknown', `signer roles are ${PARTY_ROLES.join(', ')}`, {
        index,
        role: input.role,
      });
    }
    const role = input.role as PartyRole;
    if (!ENTITY_ID_PATTERN.test(input.partyId)) {
      return rejected('signer_party_id_invalid', `party ids match ${ENTITY_ID_PATTERN}`, { index });
    }
    if (signers.has(address)) {
      return rejected('signer_address_duplicate', `address ${address} is registered twice`, {
        index,
        address,
      });
    }
    const knownRole = input.partyId === platformPartyId ? 'platform' : roleOfParty.get(input.partyId);
    if (
      (knownRole !== undefined && knownRole !== role) ||
      (role === 'platform' && input.partyId !== platformPartyId)
    ) {
      return rejected(
        'signer_party_role_conflict',
        `party ${input.partyId} is registered as ${knownRole ?? 'not the platform'}, so it cannot sign as ${role}`,
        { index, partyId: input.partyId, role, knownRole: knownRole ?? null },
      );
    }
    roleOfParty.set(input.partyId, role);
    signers.set(address, { address, role, partyId: input.partyId, label: input.label });
  }
  return { ok: true, registry: { platformPartyId, signers } };
}

/**
 * The addresses the platform controls: every platform signer, every key of the platform's party, and every
 * key of a party that also has a platform key. The last two matter only for registries built by hand, which
 * `buildSignerRegistry` would have refused; the unilateral-access check does not trust the labels.
 */
export function platformControlledAddresses(registry: SignerRegistry): ReadonlySet<Address> {
  const platformParties = new Set<string>([registry.platformPartyId]);
  for (const signer of registry.signers.values()) {
    if (signer.role === 'platform') platformParties.add(signer.partyId);
  }
  const controlled = new Set<Address>();
  for (const signer of registry.signers.values()) {
    if (signer.role === 'platform' || platformParties.has(signer.partyId)) controlled.add(signer.address);
  }
  return controlled;
}
