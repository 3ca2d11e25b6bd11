// Fixtures for the custody core's tests: deterministic keys for every party, a signer registry, the
// standard vaults, a standard policy and request, and signing with viem (an independent implementation).

import type { Hex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import { type Address, parseAddress } from '../../src/core/custody/address.ts';
import {
  buildSignerRegistry,
  type SignerInput,
  type SignerRegistry,
} from '../../src/core/custody/parties.ts';
import type { Policy } from '../../src/core/custody/policy.ts';
import { type Vault, type VaultInput, validateVault } from '../../src/core/custody/vault.ts';
import {
  type WithdrawalDigestFields,
  withdrawalDigestHex,
} from '../../src/core/custody/withdrawal-digest.ts';
import type { WithdrawalRequest } from '../../src/core/custody/withdrawal-request.ts';

/** A private key from a small integer (test keys only). */
export function testKey(n: number): Hex {
  return `0x${n.toString(16).padStart(64, '0')}`;
}

/** One party's test key with its address and public key. */
export interface TestParty {
  readonly key: Hex;
  readonly address: Address;
  readonly publicKey: Hex;
  readonly input: SignerInput;
}

function party(n: number, role: string, partyId: string, label: string): TestParty {
  const account = privateKeyToAccount(testKey(n));
  const address = parseAddress(account.address);
  if (address === null) throw new Error('viem returned a bad address');
  return {
    key: testKey(n),
    address,
    publicKey: account.publicKey,
    input: { publicKey: account.publicKey, role, partyId, label },
  };
}

/** The platform operator's party id in the fixtures. */
export const PLATFORM_PARTY_ID = 'ringfence-ops';

/** Three platform keys, a trustee, two customers and the custodian's recovery key. */
export const parties = {
  platform1: party(1, 'platform', 'ringfence-ops', 'ops key 1'),
  platform2: party(2, 'platform', 'ringfence-ops', 'ops key 2'),
  platform3: party(3, 'platform', 'ringfence-ops', 'ops key 3'),
  trustee: party(11, 'trustee', 'trustee-co', 'trustee'),
  alice: party(21, 'customer', 'alice', 'alice'),
  bob: party(22, 'customer', 'bob', 'bob'),
  recovery: party(31, 'custodian_recovery', 'custodian', 'custodian recovery'),
} as const;

/** The registry of every fixture party. */
export function testRegistry(): SignerRegistry {
  const built = buildSignerRegistry(
    Object.values(parties).map((p) => p.input),
    PLATFORM_PARTY_ID,
  );
  if (!built.ok) throw new Error(built.error.message);
  return built.registry;
}

export const USDC_TOKEN = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' as Address;

/** A valid omnibus customer vault input; override fields to make the other kinds. */
export function vaultInput(overrides: Partial<VaultInput> = {}): VaultInput {
  return {
    id: 'vault-omnibus-cold',
    chainId: 31337,
    address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    assets: [
      { asset: 'ETH', token: 'native' },
      { asset: 'USDC', token: USDC_TOKEN },
    ],
    kind: 'customer_omnibus',
    customerId: null,
    accountClass: 'derivatives',
    temperature: 'cold',
    custodian: 'Example Custody Ltd',
    acknowledgment: { acknowledgedAtMs: 1_000, documentReference: 'ack-letter-2026-001' },
    ...overrides,
  };
}

/** Validates a vault input, throwing on failure (fixtures are valid by construction). */
export function testVault(overrides: Partial<VaultInput> = {}): Vault {
  const result = validateVault(vaultInput(overrides));
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.vault;
}

/** A house vault. */
export function houseVault(): Vault {
  return testVault({
    id: 'vault-house',
    address: '0x000000000000000000000000000000000000beef',
    kind: 'house',
    accountClass: null,
    acknowledgment: null,
    temperature: 'hot',
  });
}

/** A USDC withdrawal of `amountMinor` from the omnibus vault to an outside address, nonce 7. */
export function testRequest(vault: Vault, overrides: Partial<WithdrawalRequest> = {}): WithdrawalRequest {
  return {
    requestId: `0x${'42'.repeat(32)}`,
    vaultId: vault.id,
    chainId: vault.chainId,
    vault: vault.address,
    asset: 'USDC',
    token: USDC_TOKEN,
    amountMinor: 1_000_000n,
    destination: '0x00000000000000000000000000000000000d0d0d',
    nonce: 7n,
    createdAtMs: 100_000,
    expiresAtSeconds: 3_600n,
    customerId: 'alice',
    ...overrides,
  };
}

/** Signs the request's digest with a fixture key through viem (v = 27/28). */
export async function signRequest(request: WithdrawalRequest, who: TestParty): Promise<string> {
  return sign({ hash: withdrawalDigestHex(request), privateKey: who.key, to: 'hex' });
}

/** A well-formed policy: small amounts need platform + trustee, large ones add a timelock, the rest is denied. */
export function testPolicy(overrides: Partial<Policy> = {}): Policy {
  return {
    id: 'customer-withdrawals',
    rules: [
      {
        id: 'block-hot-large',
        description: 'hot vaults never send more than 10 000 USDC at once',
        match: { temperatures: ['hot'], amountMinMinor: 10_000_000_001n },
        action: { type: 'deny' },
      },
      {
        id: 'small-allowlisted',
        description: 'up to 10 000 USDC to allowlisted addresses',
        match: { amountMaxMinor: 10_000_000_000n, destination: 'allowlisted' },
        action: {
          type: 'allow',
          approverGroups: [
            { id: 'ops', threshold: 1, role: 'platform' },
            { id: 'trustee', threshold: 1, role: 'trustee' },
          ],
        },
      },
      {
        id: 'large-timelocked',
        description: 'above 10 000 USDC to allowlisted addresses waits a day',
        match: { amountMinMinor: 10_000_000_001n, destination: 'allowlisted' },
        action: {
          type: 'timelock',
          delaySeconds: 86_400,
          approverGroups: [
            { id: 'ops', threshold: 2, role: 'platform' },
            { id: 'trustee', threshold: 1, role: 'trustee' },
          ],
        },
      },
    ],
    allowlist: { required: false, cooldownMs: 86_400_000 },
    amountLimits: [{ asset: 'USDC', maxAmountMinor: 1_000_000_000_000n }],
    velocityLimits: [
      {
        id: 'usdc-daily',
        asset: 'USDC',
        vaultId: null,
        windowMs: 86_400_000,
        maxAmountMinor: 100_000_000_000n,
      },
    ],
    ...overrides,
  };
}

/** The request as viem typed data, built from the type definition rather than our encoder. */
export function viemTypedData(fields: WithdrawalDigestFields) {
  return {
    domain: { name: 'Ringfence', version: '1', chainId: fields.chainId, verifyingContract: fields.vault },
    types: {
      RingfenceWithdrawal: [
        { name: 'requestId', type: 'bytes32' },
        { name: 'vault', type: 'address' },
        { name: 'asset', type: 'address' },
        { name: 'amount', type: 'uint256' },
        { name: 'destination', type: 'address' },
        { name: 'nonce', type: 'uint256' },
        { name: 'expiresAt', type: 'uint64' },
      ],
    },
    primaryType: 'RingfenceWithdrawal',
    message: {
      requestId: fields.requestId,
      vault: fields.vault,
      asset: fields.token,
      amount: fields.amountMinor,
      destination: fields.destination,
      nonce: fields.nonce,
      expiresAt: fields.expiresAtSeconds,
    },
  } as const;
}
