// Property, checked by brute force: for random policies and random signer sets (platform, trustee,
// customer and recovery keys, some of them platform keys under another label), validatePolicyForVault never
// accepts a policy for a customer vault in which some subset of platform-controlled signers reaches quorum
// (evaluateQuorum, for any customer) in some rule that can allow a withdrawal; and it accepts every
// well-formed policy whose allowing rules all require the trustee.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Address } from './address.ts';
import type { ApproverGroup } from './approver-groups.ts';
import type { PartyRole, Signer, SignerRegistry } from './parties.ts';
import type { Policy } from './policy.ts';
import type { PolicyRule, RuleAction } from './policy-rules.ts';
import { evaluateQuorum } from './quorum.ts';
import { validatePolicyForVault } from './unilateral-access.ts';
import type { Vault, VaultKind } from './vault.ts';

const PLATFORM_PARTY = 'platform-co';
const address = (n: number): Address => `0x${n.toString(16).padStart(40, '0')}`;

interface SignerSpec {
  readonly role: PartyRole;
  readonly partyId: string;
}

// Platform keys share one party; customers are cust-0..2; a "disguised" key carries a non-platform role
// but the platform's party id.
const signerSpec: fc.Arbitrary<SignerSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ role: 'platform' as const, partyId: PLATFORM_PARTY }) },
  { weight: 2, arbitrary: fc.constant({ role: 'trustee' as const, partyId: 'trustee-co' }) },
  {
    weight: 2,
    arbitrary: fc
      .integer({ min: 0, max: 2 })
      .map((i) => ({ role: 'customer' as const, partyId: `cust-${i}` })),
  },
  { weight: 1, arbitrary: fc.constant({ role: 'custodian_recovery' as const, partyId: 'custodian' }) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<PartyRole>('trustee', 'customer', 'custodian_recovery')
      .map((role) => ({ role, partyId: PLATFORM_PARTY })),
  },
);

function registryOf(specs: readonly SignerSpec[]): SignerRegistry {
  const signers = new Map<Address, Signer>();
  specs.forEach((spec, index) => {
    const signerAddress = address(index + 1);
    signers.set(signerAddress, { address: signerAddress, ...spec, label: `signer ${index}` });
  });
  return { platformPartyId: PLATFORM_PARTY, signers };
}

function vaultOf(kind: VaultKind): Vault {
  return {
    id: 'v1',
    chainId: 1,
    address: address(0xabcdef),
    assets: [{ asset: 'USDC', token: 'native' }],
    kind,
    customerId: kind === 'customer_individual' ? 'cust-0' : null,
    accountClass: 'derivatives',
    temperature: 'cold',
    custodian: 'c',
    acknowledgment: { acknowledgedAtMs: 0, documentReference: 'ack' },
  };
}

// Groups over `count` registered signers, sometimes listing an unregistered address.
function groupArbitrary(count: number): fc.Arbitrary<Omit<ApproverGroup, 'id'>> {
  const role = fc.record({
    threshold: fc.integer({ min: 1, max: 3 }),
    role: fc.constantFrom<PartyRole>('platform', 'trustee', 'customer', 'custodian_recovery'),
  });
  const list = fc
    .uniqueArray(fc.integer({ min: 1, max: count + 1 }), { minLength: 1, maxLength: count + 1 })
    .chain((members) =>
      fc.record({
        threshold: fc.integer({ min: 1, max: members.length }),
        signers: fc.constant(members.map(address)),
      }),
    );
  return fc.oneof(role, list);
}

function policyArbitrary(count: number): fc.Arbitrary<Policy> {
  const groups = fc
    .array(groupArbitrary(count), { minLength: 1, maxLength: 3 })
    .map((list) => list.map((group, index) => ({ ...group, id: `g${index}` }) as ApproverGroup));
  const action: fc.Arbitrary<RuleAction> = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ type: 'deny' as const }) },
    { weight: 3, arbitrary: groups.map((approverGroups) => ({ type: 'allow' as const, approverGroups })) },
    {
      weight: 2,
      arbitrary: groups.map((approverGroups) => ({
        type: 'timelock' as const,
        delaySeconds: 60,
        approverGroups,
      })),
    },
  );
  const match = fc.record(
    {
      vaultKinds: fc.subarray<VaultKind>(
        ['customer_omnibus', 'customer_individual', 'house', 'insurance_fund'],
        {
          minLength: 1,
        },
      ),
      temperatures: fc.subarray<'hot' | 'cold'>(['hot', 'cold'], { minLength: 1 }),
      amountMinMinor: fc.bigInt({ min: 0n, max: 100n }),
    },
    { requiredKeys: [] },
  );
  const rule = fc.record({ match, action });
  return fc.array(rule, { minLength: 1, maxLength: 4 }).map((rules) => ({
    id: 'p',
    rules: rules.map((r, index): PolicyRule => ({ id: `r${index}`, description: 'random', ...r })),
    allowlist: { required: false, cooldownMs: 0 },
    amountLimits: [],
    velocityLimits: [],
  }));
}

// The oracle's own reading of which rules can allow a withdrawal from the vault.
function allowingRules(policy: Policy, vault: Vault): (readonly ApproverGroup[])[] {
  return policy.rules.flatMap((rule) => {
    if (rule.action.type === 'deny') return [];
    const { vaultKinds, temperatures } = rule.match;
    if (vaultKinds !== undefined && !vaultKinds.includes(vault.kind)) return [];
    if (temperatures !== undefined && !temperatures.includes(vault.temperature)) return [];
    return [rule.action.approverGroups];
  });
}

function* subsets<T>(items: readonly T[]): Generator<T[]> {
  for (let mask = 1; mask < 1 << items.length; mask += 1)
    yield items.filter((_, index) => (mask >> index) & 1);
}

const signersAndPolicy = fc
  .array(signerSpec, { minLength: 1, maxLength: 7 })
  .chain((specs) => fc.tuple(fc.constant(specs), policyArbitrary(specs.length)));

describe('no unilateral platform access', () => {
  it('never accepts a policy some subset of platform signers can satisfy (brute force)', () => {
    let accepted = 0;
    let refusedUnilateral = 0;
    fc.assert(
      fc.property(
        signersAndPolicy,
        fc.constantFrom<VaultKind>('customer_omnibus', 'customer_individual'),
        ([specs, policy], kind) => {
          const registry = registryOf(specs);
          const vault = vaultOf(kind);
          const result = validatePolicyForVault(policy, vault, registry);
          if (!result.ok) {
            if (result.error.code === 'policy_platform_unilateral_quorum') refusedUnilateral += 1;
            return;
          }
          accepted += 1;
          const platform = [...registry.signers.values()].filter(
            (signer) => signer.role === 'platform' || signer.partyId === PLATFORM_PARTY,
          );
          const customers =
            kind === 'customer_individual'
              ? ['cust-0']
              : [null, 'cust-0', 'cust-1', 'cust-2', PLATFORM_PARTY];
          for (const groups of allowingRules(policy, vault)) {
            for (const subset of subsets(platform)) {
              for (const customerId of customers) {
                expect(evaluateQuorum(groups, subset, customerId).reached).toBe(false);
              }
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
    // The property is not vacuous: policies are both accepted and refused for unilateral quorum.
    expect(accepted).toBeGreaterThan(20);
    expect(refusedUnilateral).toBeGreaterThan(20);
  });

  it('accepts every well-formed policy whose allowing rules require the trustee', () => {
    // Honest registries: 1-3 platform keys, 1-2 trustees, 0-2 customers, 0-1 recovery key.
    const honest = fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 1 }),
      )
      .map(([platform, trustees, customers, recovery]) => [
        ...Array.from({ length: platform }, () => ({ role: 'platform' as const, partyId: PLATFORM_PARTY })),
        ...Array.from({ length: trustees }, () => ({ role: 'trustee' as const, partyId: 'trustee-co' })),
        ...Array.from({ length: customers }, (_, i) => ({ role: 'customer' as const, partyId: `cust-${i}` })),
        ...Array.from({ length: recovery }, () => ({
          role: 'custodian_recovery' as const,
          partyId: 'custodian',
        })),
      ]);
    const wellFormed = honest.chain((specs) => {
      const count = (role: PartyRole) => specs.filter((spec) => spec.role === role).length;
      const roleGroup = fc
        .constantFrom<PartyRole>('platform', 'custodian_recovery')
        .filter((role) => count(role) > 0)
        .chain((role) =>
          fc.record({ role: fc.constant(role), threshold: fc.integer({ min: 1, max: count(role) }) }),
        );
      const listGroup = fc
        .uniqueArray(fc.integer({ min: 1, max: specs.length }), { minLength: 1, maxLength: specs.length })
        .chain((members) =>
          fc.record({
            threshold: fc.integer({ min: 1, max: members.length }),
            signers: fc.constant(members.map(address)),
          }),
        );
      const trusteeGroup = fc.record({
        role: fc.constant<PartyRole>('trustee'),
        threshold: fc.integer({ min: 1, max: count('trustee') }),
      });
      const groups = fc
        .tuple(trusteeGroup, fc.array(fc.oneof(roleGroup, listGroup), { maxLength: 2 }))
        .chain(([trustee, others]) =>
          fc.shuffledSubarray([trustee, ...others], { minLength: others.length + 1 }),
        )
        .map((list) => list.map((group, index) => ({ ...group, id: `g${index}` }) as ApproverGroup));
      const action: fc.Arbitrary<RuleAction> = fc.oneof(
        fc.constant({ type: 'deny' as const }),
        groups.map((approverGroups) => ({ type: 'allow' as const, approverGroups })),
        groups.map((approverGroups) => ({ type: 'timelock' as const, delaySeconds: 3_600, approverGroups })),
      );
      return fc.tuple(
        fc.constant(specs),
        fc.array(action, { minLength: 1, maxLength: 4 }).map(
          (actions): Policy => ({
            id: 'p',
            rules: actions.map((a, index) => ({
              id: `r${index}`,
              description: 'well-formed',
              match: {},
              action: a,
            })),
            allowlist: { required: false, cooldownMs: 0 },
            amountLimits: [],
            velocityLimits: [],
          }),
        ),
      );
    });
    fc.assert(
      fc.property(
        wellFormed,
        fc.constantFrom<VaultKind>('customer_omnibus', 'customer_individual'),
        ([specs, policy], kind) => {
          const result = validatePolicyForVault(policy, vaultOf(kind), registryOf(specs));
          expect(result.ok ? 'ok' : result.error.code).toBe('ok');
        },
      ),
      { numRuns: 500 },
    );
  });
});
