// A policy rule: match conditions on the withdrawal and its vault, and an action (allow with approvers,
// timelock, deny). Matching returns the first condition a rule fails, so every skipped rule can be explained.

import type { ApproverGroup } from './approver-groups.ts';
import type { DetailValue } from './rejection.ts';
import type { Vault, VaultKind, VaultTemperature } from './vault.ts';
import type { WithdrawalRequest } from './withdrawal-request.ts';

/** Conditions a withdrawal must meet for the rule to match; an absent condition matches anything. */
export interface RuleMatch {
  readonly vaultKinds?: readonly VaultKind[];
  readonly vaultIds?: readonly string[];
  readonly assets?: readonly string[];
  /** Inclusive lower bound of the amount, minor units. */
  readonly amountMinMinor?: bigint;
  /** Inclusive upper bound of the amount, minor units. */
  readonly amountMaxMinor?: bigint;
  /** Whether the destination must be usable on the allowlist (listed and past its cooling-off) or not. */
  readonly destination?: 'allowlisted' | 'not_allowlisted';
  readonly temperatures?: readonly VaultTemperature[];
}

/** Allow once the approver groups reach quorum. */
export interface AllowAction {
  readonly type: 'allow';
  readonly approverGroups: readonly ApproverGroup[];
}

/** Allow once the approver groups reach quorum and delaySeconds have passed since the request was made. */
export interface TimelockAction {
  readonly type: 'timelock';
  readonly delaySeconds: number;
  readonly approverGroups: readonly ApproverGroup[];
}

/** Refuse. */
export interface DenyAction {
  readonly type: 'deny';
}

/** What a matching rule decides. */
export type RuleAction = AllowAction | TimelockAction | DenyAction;

/** One rule of a first-match policy. */
export interface PolicyRule {
  readonly id: string;
  readonly description: string;
  readonly match: RuleMatch;
  readonly action: RuleAction;
}

/** The facts a rule is matched against. */
export interface RuleFacts {
  readonly vault: Vault;
  readonly request: WithdrawalRequest;
  readonly destinationAllowlisted: boolean;
}

/** The conditions a rule can test, in the order `matchRule` tests them. */
export const RULE_CONDITIONS = [
  'vault_kind',
  'vault_id',
  'temperature',
  'asset',
  'amount_min',
  'amount_max',
  'destination',
] as const;
export type RuleCondition = (typeof RULE_CONDITIONS)[number];

/** Why a rule did not match: the first condition it failed, with what it wanted and what it got. */
export interface RuleMismatch {
  readonly condition: RuleCondition;
  readonly expected: DetailValue;
  readonly actual: DetailValue;
  readonly sentence: string;
}

/** Returns null when the rule matches, or the first condition (in `RULE_CONDITIONS` order) it fails. */
export function matchRule(rule: PolicyRule, facts: RuleFacts): RuleMismatch | null {
  const { match } = rule;
  const { vault, request } = facts;
  if (match.vaultKinds !== undefined && !match.vaultKinds.includes(vault.kind)) {
    return mismatch('vault_kind', [...match.vaultKinds], vault.kind, `the vault is ${vault.kind}`);
  }
  if (match.vaultIds !== undefined && !match.vaultIds.includes(vault.id)) {
    return mismatch('vault_id', [...match.vaultIds], vault.id, `vault ${vault.id} is not listed`);
  }
  if (match.temperatures !== undefined && !match.temperatures.includes(vault.temperature)) {
    return mismatch(
      'temperature',
      [...match.temperatures],
      vault.temperature,
      `the vault is ${vault.temperature}`,
    );
  }
  if (match.assets !== undefined && !match.assets.includes(request.asset)) {
    return mismatch('asset', [...match.assets], request.asset, `asset ${request.asset} is not listed`);
  }
  const amount = request.amountMinor.toString();
  if (match.amountMinMinor !== undefined && request.amountMinor < match.amountMinMinor) {
    const min = match.amountMinMinor.toString();
    return mismatch('amount_min', min, amount, `the amount ${amount} is below the rule's minimum ${min}`);
  }
  if (match.amountMaxMinor !== undefined && request.amountMinor > match.amountMaxMinor) {
    const max = match.amountMaxMinor.toString();
    return mismatch('amount_max', max, amount, `the amount ${amount} is above the rule's maximum ${max}`);
  }
  if (match.destination !== undefined) {
    const actual = facts.destinationAllowlisted ? 'allowlisted' : 'not_allowlisted';
    if (actual !== match.destination) {
      return mismatch(
        'destination',
        match.destination,
        actual,
        `the destination is ${actual.replace('_', ' ')}`,
      );
    }
  }
  return null;
}

function mismatch(
  condition: RuleCondition,
  expected: DetailValue,
  actual: DetailValue,
  sentence: string,
): RuleMismatch {
  return { condition, expected, actual, sentence };
}
