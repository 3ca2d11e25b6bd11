// Proves the no-unilateral-access check on worked examples: every way platform keys alone could reach
// quorum is refused with policy_platform_unilateral_quorum, and the other codes of validatePolicyForVault.

import { describe, expect, it } from 'vitest';
import {
  houseVault,
  parties,
  testPolicy,
  testRegistry,
  testVault,
} from '../../../test/support/custody-core.ts';
import type { ApproverGroup } from './approver-groups.ts';
import type { SignerRegistry } from './parties.ts';
import type { Policy } from './policy.ts';
import type { PolicyRule } from './policy-rules.ts';
import { validatePolicyForVault } from './unilateral-access.ts';

const registry = testRegistry();
const omnibus = testVault();
const { platform1, platform2, platform3, trustee, recovery, alice } = parties;

const allowRule = (approverGroups: ApproverGroup[], extra: Partial<PolicyRule> = {}): PolicyRule => ({
  id: 'r',
  description: 'test rule',
  match: {},
  action: { type: 'allow', approverGroups },
  ...extra,
});
const policyOf = (...rules: PolicyRule[]): Policy =>
  testPolicy({ rules: rules.map((rule, index) => ({ ...rule, id: `r${index}` })) });
const code = (policy: Policy, vault = omnibus, signers: SignerRegistry = registry) => {
  const result = validatePolicyForVault(policy, vault, signers);
  return result.ok ? 'ok' : result.error.code;
};

describe('validatePolicyForVault', () => {
  it('accepts the standard policy: every allowing rule needs the trustee', () => {
    expect(code(testPolicy())).toBe('ok');
  });

  it('refuses a role group the platform fills alone', () => {
    expect(code(policyOf(allowRule([{ id: 'ops', threshold: 2, role: 'platform' }])))).toBe(
      'policy_platform_unilateral_quorum',
    );
  });

  it('refuses an explicit list whose threshold platform keys can meet', () => {
    const group = {
      id: 'mixed',
      threshold: 2,
      signers: [platform1.address, platform2.address, trustee.address],
    };
    expect(code(policyOf(allowRule([group])))).toBe('policy_platform_unilateral_quorum');
  });

  it('refuses when every one of several groups is fillable by platform keys', () => {
    const groups: ApproverGroup[] = [
      { id: 'ops', threshold: 1, role: 'platform' },
      { id: 'list', threshold: 1, signers: [platform3.address, recovery.address] },
    ];
    expect(code(policyOf(allowRule(groups)))).toBe('policy_platform_unilateral_quorum');
  });

  it('refuses a timelock rule too, and a platform-only rule hidden below a trustee rule', () => {
    const platformOnly: ApproverGroup[] = [{ id: 'ops', threshold: 3, role: 'platform' }];
    const timelock = allowRule([], {
      action: { type: 'timelock', delaySeconds: 60, approverGroups: platformOnly },
    });
    expect(code(policyOf(timelock))).toBe('policy_platform_unilateral_quorum');
    const trusteeFirst = allowRule([{ id: 't', threshold: 1, role: 'trustee' }]);
    expect(code(policyOf(trusteeFirst, allowRule(platformOnly)))).toBe('policy_platform_unilateral_quorum');
  });

  it('refuses a "trustee" key that belongs to the platform party under another label', () => {
    const signers = new Map(registry.signers);
    signers.set(trustee.address, {
      address: trustee.address,
      role: 'trustee',
      partyId: 'ringfence-ops',
      label: 'trustee',
    });
    const groups: ApproverGroup[] = [
      { id: 'ops', threshold: 1, role: 'platform' },
      { id: 't', threshold: 1, role: 'trustee' },
    ];
    expect(code(policyOf(allowRule(groups)), omnibus, { ...registry, signers })).toBe(
      'policy_platform_unilateral_quorum',
    );
  });

  it('ignores deny rules and rules that cannot apply to the vault', () => {
    const houseOnly = allowRule([{ id: 'ops', threshold: 2, role: 'platform' }], {
      match: { vaultKinds: ['house'] },
    });
    const deny: PolicyRule = { id: 'd', description: 'deny', match: {}, action: { type: 'deny' } };
    const trusteeRule = allowRule([{ id: 't', threshold: 1, role: 'trustee' }]);
    expect(code(policyOf(houseOnly, deny, trusteeRule))).toBe('ok');
    // The same platform-only rule is fine for the house's own vault.
    expect(code(policyOf(houseOnly), houseVault())).toBe('ok');
  });

  it('accepts a customer co-signing their own individual vault with the platform', () => {
    const individual = testVault({ kind: 'customer_individual', customerId: 'alice' });
    const groups: ApproverGroup[] = [
      { id: 'ops', threshold: 1, role: 'platform' },
      { id: 'owner', threshold: 1, role: 'customer' },
    ];
    expect(code(policyOf(allowRule(groups)), individual)).toBe('ok');
  });

  it('refuses with policy_signer_unregistered a listed key the registry does not know', () => {
    const group = { id: 'list', threshold: 1, signers: [trustee.address, `0x${'99'.repeat(20)}` as const] };
    expect(code(policyOf(allowRule([group])))).toBe('policy_signer_unregistered');
  });

  it('refuses with policy_group_unsatisfiable a threshold no set of registered signers can meet', () => {
    const groups: ApproverGroup[] = [
      { id: 'ops', threshold: 1, role: 'platform' },
      { id: 't', threshold: 2, role: 'trustee' },
    ];
    expect(code(policyOf(allowRule(groups)))).toBe('policy_group_unsatisfiable');
  });

  it('returns the structural code first', () => {
    expect(code(testPolicy({ rules: [] }))).toBe('policy_rules_invalid');
  });

  it('names the rule and the platform keys in the refusal', () => {
    const result = validatePolicyForVault(
      policyOf(allowRule([{ id: 'ops', threshold: 1, role: 'platform' }])),
      omnibus,
      registry,
    );
    expect(result.ok ? null : result.error.details).toMatchObject({
      ruleIndex: 0,
      ruleId: 'r0',
      platformSigners: [platform1.address, platform2.address, platform3.address],
    });
    expect(alice.address).not.toBe(platform1.address);
  });
});
