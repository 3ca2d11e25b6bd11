// No unilateral platform access, as a checked property: a policy for a customer vault is refused when the
// platform's signers alone (including keys the platform holds under another label) could reach quorum in
// any rule that can allow a withdrawal from that vault.

import type { Address } from './address.ts';
import { type ApproverGroup, isEligibleApprover } from './approver-groups.ts';
import { platformControlledAddresses, type Signer, type SignerRegistry } from './parties.ts';
import { type Policy, type PolicyErrorCode, validatePolicy } from './policy.ts';
import type { PolicyRule } from './policy-rules.ts';
import { type Rejected, rejected } from './rejection.ts';
import { CUSTOMER_VAULT_KINDS, type Vault } from './vault.ts';

/** The rejection codes of `validatePolicyForVault`: the structural codes first, then these, in this order. */
export type PolicyForVaultErrorCode =
  | PolicyErrorCode
  | 'policy_signer_unregistered'
  | 'policy_platform_unilateral_quorum'
  | 'policy_group_unsatisfiable';

export type ValidatePolicyForVaultResult = { readonly ok: true } | Rejected<PolicyForVaultErrorCode>;

/**
 * Checks a policy before it is installed for a vault: structure; every listed signer registered (an
 * unknown key could be anyone's, the platform's included); for a customer vault, no allow or timelock rule
 * that can apply to the vault lets platform-controlled signers alone reach quorum; and every group of such a
 * rule can be satisfied by the registered signers at all.
 */
export function validatePolicyForVault(
  policy: Policy,
  vault: Vault,
  signers: SignerRegistry,
): ValidatePolicyForVaultResult {
  const structure = validatePolicy(policy);
  if (!structure.ok) return structure;
  const rules = allowingRules(policy, vault);
  for (const { rule, index } of rules) {
    for (const group of rule.approverGroups) {
      if (!('signers' in group)) continue;
      const unknown = group.signers.find((address) => !signers.signers.has(address));
      if (unknown !== undefined) {
        return rejected(
          'policy_signer_unregistered',
          `group ${group.id} of rule ${rule.id} lists unregistered ${unknown}`,
          {
            ruleIndex: index,
            ruleId: rule.id,
            groupId: group.id,
            address: unknown,
          },
        );
      }
    }
  }
  const all = [...signers.signers.values()];
  if (CUSTOMER_VAULT_KINDS.has(vault.kind)) {
    const controlled = platformControlledAddresses(signers);
    const platform = all.filter((signer) => controlled.has(signer.address));
    for (const { rule, index } of rules) {
      if (reachesQuorum(rule.approverGroups, platform, vault)) {
        return rejected(
          'policy_platform_unilateral_quorum',
          `rule ${index} (${rule.id}) would let the platform's signers alone approve a withdrawal from customer vault ${vault.id}`,
          {
            ruleIndex: index,
            ruleId: rule.id,
            platformSigners: platform.map((signer) => signer.address),
          },
        );
      }
    }
  }
  for (const { rule, index } of rules) {
    for (const group of rule.approverGroups) {
      const eligible = eligibleCount(group, all, vault);
      if (eligible < group.threshold) {
        return rejected(
          'policy_group_unsatisfiable',
          `group ${group.id} of rule ${rule.id} needs ${group.threshold} approvals but only ${eligible} registered signers are eligible`,
          { ruleIndex: index, ruleId: rule.id, groupId: group.id, threshold: group.threshold, eligible },
        );
      }
    }
  }
  return { ok: true };
}

interface AllowingRule {
  readonly index: number;
  readonly rule: { readonly id: string; readonly approverGroups: readonly ApproverGroup[] };
}

// Every allow or timelock rule whose vault-level conditions (kind, id, temperature, assets) admit this vault.
// Request-level conditions (amount, destination) are ignored: some request can always meet them.
function allowingRules(policy: Policy, vault: Vault): AllowingRule[] {
  const rules: AllowingRule[] = [];
  for (const [index, rule] of policy.rules.entries()) {
    if (rule.action.type === 'deny' || !canApplyToVault(rule, vault)) continue;
    rules.push({ index, rule: { id: rule.id, approverGroups: rule.action.approverGroups } });
  }
  return rules;
}

/** Whether a rule's vault-level conditions admit the vault (some request to it could match the rule). */
export function canApplyToVault(rule: PolicyRule, vault: Vault): boolean {
  const { match } = rule;
  return (
    (match.vaultKinds === undefined || match.vaultKinds.includes(vault.kind)) &&
    (match.vaultIds === undefined || match.vaultIds.includes(vault.id)) &&
    (match.temperatures === undefined || match.temperatures.includes(vault.temperature)) &&
    (match.assets === undefined || vault.assets.some((entry) => match.assets?.includes(entry.asset)))
  );
}

// Quorum is monotone (more approvers never hurt, and a signer counts toward every group it is eligible
// for), so the platform can reach quorum with some subset of its signers exactly when it can with all of
// them: each group needs threshold eligible platform signers.
function reachesQuorum(groups: readonly ApproverGroup[], platform: readonly Signer[], vault: Vault): boolean {
  return (
    groups.length > 0 && groups.every((group) => eligibleCount(group, platform, vault) >= group.threshold)
  );
}

// Eligible signers for a group on any request from this vault. An individual vault's requests are that
// customer's; an omnibus vault's may be any customer's, so every customer key counts (an over-count that can
// only make the check stricter).
function eligibleCount(group: ApproverGroup, signers: readonly Signer[], vault: Vault): number {
  const seen = new Set<Address>();
  for (const signer of signers) {
    const customerId = vault.kind === 'customer_individual' ? vault.customerId : signer.partyId;
    if (isEligibleApprover(group, signer, customerId)) seen.add(signer.address);
  }
  return seen.size;
}
