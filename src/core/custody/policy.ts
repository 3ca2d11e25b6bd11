// Withdrawal policy in the style of first-match transaction policies: an ordered list of rules, the first
// match decides (no match denies), plus cross-cutting checks every withdrawal passes: the destination
// allowlist with its cooling-off period, per-asset amount limits and velocity limits per rolling window.
// Every decision, allow or deny, names the rule that matched and why, and why each rule above it did not.

import { assert } from '../assert.ts';
import { ENTITY_ID_PATTERN } from '../ledger/patterns.ts';
import { ASSET_CODE_PATTERN } from '../money/asset.ts';
import { type Address, isAddress } from './address.ts';
import {
  APPROVER_GROUP_SIZE_MAX,
  APPROVER_GROUPS_MAX,
  type ApproverGroup,
  describeApproverGroup,
} from './approver-groups.ts';
import { PARTY_ROLES } from './parties.ts';
import { matchRule, type PolicyRule, type RuleCondition, type RuleMatch } from './policy-rules.ts';
import { type CustodyRejection, type Details, type Rejected, rejected } from './rejection.ts';
import { VAULT_KINDS, VAULT_TEMPERATURES, type Vault } from './vault.ts';
import type { WithdrawalRequest } from './withdrawal-request.ts';

/** Rules one policy may hold. */
export const POLICY_RULES_MAX = 256;

/** Longest timelock: 30 days. */
export const TIMELOCK_DELAY_SECONDS_MAX = 30 * 24 * 60 * 60;

/** Amount limits and velocity limits one policy may hold, each. */
export const POLICY_LIMITS_MAX = 64;

/** The destination allowlist settings. */
export interface AllowlistSettings {
  /** When true, every withdrawal must go to a usable allowlisted address. */
  readonly required: boolean;
  /** How long a newly added address waits before it is usable. */
  readonly cooldownMs: number;
}

/** The largest single withdrawal of an asset, in minor units. */
export interface AmountLimit {
  readonly asset: string;
  readonly maxAmountMinor: bigint;
}

/** The most one vault may send of an asset within any rolling window of windowMs (this request included). */
export interface VelocityLimit {
  readonly id: string;
  readonly asset: string;
  /** The vault it applies to; null applies it to every vault, each on its own. */
  readonly vaultId: string | null;
  readonly windowMs: number;
  readonly maxAmountMinor: bigint;
}

/** A complete policy. */
export interface Policy {
  readonly id: string;
  readonly rules: readonly PolicyRule[];
  readonly allowlist: AllowlistSettings;
  readonly amountLimits: readonly AmountLimit[];
  readonly velocityLimits: readonly VelocityLimit[];
}

/** An allowlisted destination of the vault and when it was added. */
export interface AllowlistEntry {
  readonly address: Address;
  readonly addedAtMs: number;
}

/** A withdrawal already approved or executed, for velocity limits. */
export interface RecentWithdrawal {
  readonly vaultId: string;
  readonly asset: string;
  readonly amountMinor: bigint;
  readonly createdAtMs: number;
}

/** What the policy reads besides the request: the vault, its allowlist and its recent withdrawals. */
export interface PolicyContext {
  readonly vault: Vault;
  readonly allowlist: readonly AllowlistEntry[];
  /** Withdrawals of the vault that count toward velocity (not including the request being evaluated). */
  readonly recentWithdrawals: readonly RecentWithdrawal[];
}

/** The rejection codes of `validatePolicy`, in the order they are checked. */
export type PolicyErrorCode =
  | 'policy_id_invalid'
  | 'policy_rules_invalid'
  | 'policy_rule_id_invalid'
  | 'policy_rule_id_duplicate'
  | 'policy_rule_match_invalid'
  | 'policy_rule_action_invalid'
  | 'policy_approver_groups_invalid'
  | 'policy_approver_group_invalid'
  | 'policy_allowlist_invalid'
  | 'policy_amount_limit_invalid'
  | 'policy_velocity_limit_invalid';

/** Checks a policy's structure; policies are validated when installed, before any evaluation. */
export function validatePolicy(policy: Policy): { readonly ok: true } | Rejected<PolicyErrorCode> {
  if (!ENTITY_ID_PATTERN.test(policy.id))
    return rejected('policy_id_invalid', `policy ids match ${ENTITY_ID_PATTERN}`);
  if (policy.rules.length === 0 || policy.rules.length > POLICY_RULES_MAX) {
    return rejected('policy_rules_invalid', `a policy has 1 to ${POLICY_RULES_MAX} rules`, {
      count: policy.rules.length,
    });
  }
  const ruleIds = new Set<string>();
  for (const [index, rule] of policy.rules.entries()) {
    const at = { ruleIndex: index, ruleId: rule.id };
    if (!ENTITY_ID_PATTERN.test(rule.id))
      return rejected('policy_rule_id_invalid', `rule ids match ${ENTITY_ID_PATTERN}`, at);
    if (ruleIds.has(rule.id))
      return rejected('policy_rule_id_duplicate', `rule id ${rule.id} is used twice`, at);
    ruleIds.add(rule.id);
    const matchProblem = checkRuleMatch(rule.match);
    if (matchProblem !== null) return rejected('policy_rule_match_invalid', matchProblem, at);
    const action = checkRuleAction(rule);
    if (action !== null) return rejected(action.code, action.message, { ...at, ...action.details });
  }
  const { allowlist } = policy;
  if (!Number.isSafeInteger(allowlist.cooldownMs) || allowlist.cooldownMs < 0) {
    return rejected(
      'policy_allowlist_invalid',
      'the allowlist cooling-off is a non-negative whole number of ms',
    );
  }
  const limits = checkLimits(policy);
  if (limits !== null) return limits;
  return { ok: true };
}

function checkRuleMatch(match: RuleMatch): string | null {
  const lists: [string, readonly string[] | undefined, readonly string[] | null][] = [
    ['vaultKinds', match.vaultKinds, VAULT_KINDS],
    ['vaultIds', match.vaultIds, null],
    ['assets', match.assets, null],
    ['temperatures', match.temperatures, VAULT_TEMPERATURES],
  ];
  for (const [name, list, allowed] of lists) {
    if (list === undefined) continue;
    // An empty list would match nothing, which is never what its author meant: omit the condition instead.
    if (list.length === 0) return `${name} is absent or lists at least one value`;
    if (allowed !== null && list.some((value) => !allowed.includes(value))) {
      return `${name} takes only ${allowed.join(', ')}`;
    }
  }
  const { amountMinMinor: min, amountMaxMinor: max } = match;
  if (
    (min !== undefined && min < 0n) ||
    (max !== undefined && max < 0n) ||
    (min !== undefined && max !== undefined && min > max)
  ) {
    return 'amount bounds are non-negative and the minimum is at most the maximum';
  }
  if (
    match.destination !== undefined &&
    match.destination !== 'allowlisted' &&
    match.destination !== 'not_allowlisted'
  ) {
    return 'destination is allowlisted or not_allowlisted';
  }
  return null;
}

function checkRuleAction(rule: PolicyRule): CustodyRejection<PolicyErrorCode> | null {
  const { action } = rule;
  const fail = (code: PolicyErrorCode, message: string, details: Details = {}) => ({
    code,
    message,
    details,
  });
  if (action.type === 'deny') return null;
  if (action.type !== 'allow' && action.type !== 'timelock') {
    return fail('policy_rule_action_invalid', 'a rule action is allow, timelock or deny');
  }
  if (
    action.type === 'timelock' &&
    (!Number.isInteger(action.delaySeconds) ||
      action.delaySeconds < 1 ||
      action.delaySeconds > TIMELOCK_DELAY_SECONDS_MAX)
  ) {
    return fail(
      'policy_rule_action_invalid',
      `a timelock delay is 1 to ${TIMELOCK_DELAY_SECONDS_MAX} whole seconds`,
    );
  }
  const groups = action.approverGroups;
  // No allow without approvers: an approval-free rule would let whoever submits the transaction move the coins.
  if (groups.length === 0 || groups.length > APPROVER_GROUPS_MAX) {
    return fail(
      'policy_approver_groups_invalid',
      `an allow or timelock rule requires 1 to ${APPROVER_GROUPS_MAX} approver groups`,
    );
  }
  const groupIds = new Set<string>();
  for (const [groupIndex, group] of groups.entries()) {
    if (groupIds.has(group.id))
      return fail('policy_approver_groups_invalid', `group id ${group.id} is used twice`);
    groupIds.add(group.id);
    const problem = checkGroup(group);
    if (problem !== null)
      return fail('policy_approver_group_invalid', problem, { groupIndex, groupId: group.id });
  }
  return null;
}

function checkGroup(group: ApproverGroup): string | null {
  if (!ENTITY_ID_PATTERN.test(group.id)) return `group ids match ${ENTITY_ID_PATTERN}`;
  if (
    !Number.isInteger(group.threshold) ||
    group.threshold < 1 ||
    group.threshold > APPROVER_GROUP_SIZE_MAX
  ) {
    return `a threshold is 1 to ${APPROVER_GROUP_SIZE_MAX}`;
  }
  if ('signers' in group) {
    if (group.signers.length === 0 || group.signers.length > APPROVER_GROUP_SIZE_MAX) {
      return `a signer list holds 1 to ${APPROVER_GROUP_SIZE_MAX} addresses`;
    }
    if (!group.signers.every(isAddress))
      return 'listed signers are addresses in lower-case form (0x and 40 hex digits)';
    if (new Set(group.signers).size !== group.signers.length) return 'a signer is listed twice';
    if (group.threshold > group.signers.length) return 'the threshold exceeds the listed signers';
    return null;
  }
  if (!(PARTY_ROLES as readonly string[]).includes(group.role))
    return `group roles are ${PARTY_ROLES.join(', ')}`;
  return null;
}

function checkLimits(policy: Policy): Rejected<PolicyErrorCode> | null {
  if (policy.amountLimits.length > POLICY_LIMITS_MAX) {
    return rejected('policy_amount_limit_invalid', `at most ${POLICY_LIMITS_MAX} amount limits`);
  }
  const assets = new Set<string>();
  for (const [index, limit] of policy.amountLimits.entries()) {
    if (!ASSET_CODE_PATTERN.test(limit.asset) || assets.has(limit.asset) || limit.maxAmountMinor <= 0n) {
      return rejected(
        'policy_amount_limit_invalid',
        'an amount limit names a distinct asset and a positive maximum',
        {
          index,
        },
      );
    }
    assets.add(limit.asset);
  }
  if (policy.velocityLimits.length > POLICY_LIMITS_MAX) {
    return rejected('policy_velocity_limit_invalid', `at most ${POLICY_LIMITS_MAX} velocity limits`);
  }
  const ids = new Set<string>();
  for (const [index, limit] of policy.velocityLimits.entries()) {
    if (
      !ENTITY_ID_PATTERN.test(limit.id) ||
      ids.has(limit.id) ||
      !ASSET_CODE_PATTERN.test(limit.asset) ||
      (limit.vaultId !== null && !ENTITY_ID_PATTERN.test(limit.vaultId)) ||
      !Number.isSafeInteger(limit.windowMs) ||
      limit.windowMs <= 0 ||
      limit.maxAmountMinor <= 0n
    ) {
      return rejected(
        'policy_velocity_limit_invalid',
        'a velocity limit has a distinct id, an asset, a vault id or null, a positive window and a positive maximum',
        { index },
      );
    }
    ids.add(limit.id);
  }
  return null;
}

/** The codes a denial carries, in the order the checks run (after the rule is matched). */
export type PolicyDenialCode =
  | 'policy_destination_not_allowlisted'
  | 'policy_destination_cooling_off'
  | 'policy_amount_limit_exceeded'
  | 'policy_velocity_exceeded'
  | 'policy_no_rule_matched'
  | 'policy_rule_denied';

/** A rule above the match (or any rule, when none matched) and the first condition it failed. */
export interface SkippedRule {
  readonly index: number;
  readonly id: string;
  readonly condition: RuleCondition;
  readonly sentence: string;
}

/** Why the decision is what it is: the matched rule (null only when none matched), a sentence, details. */
export interface PolicyExplanation {
  readonly matchedRule: { readonly index: number; readonly id: string; readonly description: string } | null;
  readonly reason: string;
  readonly details: Details;
  readonly skippedRules: readonly SkippedRule[];
}

/** The outcome of evaluating a policy: allow or timelock with the approvers required, or deny with a code. */
export type PolicyDecision =
  | {
      readonly ok: true;
      readonly outcome: 'allow';
      readonly approverGroups: readonly ApproverGroup[];
      readonly executableAtMs: null;
      readonly explanation: PolicyExplanation;
    }
  | {
      readonly ok: true;
      readonly outcome: 'timelock';
      readonly approverGroups: readonly ApproverGroup[];
      /** The request may execute from this time on, and may be cancelled until then. */
      readonly executableAtMs: number;
      readonly explanation: PolicyExplanation;
    }
  | {
      readonly ok: false;
      readonly outcome: 'deny';
      readonly error: CustodyRejection<PolicyDenialCode>;
      readonly explanation: PolicyExplanation;
    };

/** Whether a destination is usable now, listed but still cooling off, or not listed. */
export type DestinationStatus =
  | { readonly status: 'allowlisted' }
  | { readonly status: 'cooling_off'; readonly usableAtMs: number }
  | { readonly status: 'not_listed' };

/** An address is usable only cooldownMs after it was added (the earliest entry counts). */
export function destinationStatus(
  allowlist: readonly AllowlistEntry[],
  destination: Address,
  cooldownMs: number,
  nowMs: number,
): DestinationStatus {
  let addedAtMs: number | null = null;
  for (const entry of allowlist) {
    if (entry.address === destination && (addedAtMs === null || entry.addedAtMs < addedAtMs))
      addedAtMs = entry.addedAtMs;
  }
  if (addedAtMs === null) return { status: 'not_listed' };
  const usableAtMs = addedAtMs + cooldownMs;
  return nowMs >= usableAtMs ? { status: 'allowlisted' } : { status: 'cooling_off', usableAtMs };
}

/**
 * Evaluates a validated policy for a validated request of `context.vault`. The first matching rule is found
 * first, so that every outcome can name it; then the cross-cutting checks run (allowlist, amount limit,
 * velocity); then the rule's action decides. No matching rule denies.
 */
export function evaluatePolicy(
  policy: Policy,
  request: WithdrawalRequest,
  context: PolicyContext,
  nowMs: number,
): PolicyDecision {
  assert(validatePolicy(policy).ok, 'policies are validated before they are evaluated');
  const { vault } = context;
  assert(
    request.vaultId === vault.id && request.vault === vault.address,
    'the request belongs to the context vault',
  );
  const destination = destinationStatus(
    context.allowlist,
    request.destination,
    policy.allowlist.cooldownMs,
    nowMs,
  );
  const facts = { vault, request, destinationAllowlisted: destination.status === 'allowlisted' };
  const skippedRules: SkippedRule[] = [];
  let matchedIndex = -1;
  for (const [index, rule] of policy.rules.entries()) {
    const mismatch = matchRule(rule, facts);
    if (mismatch === null) {
      matchedIndex = index;
      break;
    }
    skippedRules.push({ index, id: rule.id, condition: mismatch.condition, sentence: mismatch.sentence });
  }
  const rule = policy.rules[matchedIndex];
  const matchedRule =
    rule === undefined ? null : { index: matchedIndex, id: rule.id, description: rule.description };
  const baseDetails: Details = {
    policyId: policy.id,
    requestId: request.requestId,
    vaultId: vault.id,
    asset: request.asset,
    amountMinor: request.amountMinor.toString(),
    destination: request.destination,
    destinationStatus: destination.status,
    matchedRuleIndex: matchedRule?.index ?? null,
    matchedRuleId: matchedRule?.id ?? null,
  };
  const deny = (code: PolicyDenialCode, reason: string, details: Details = {}): PolicyDecision => {
    const all = { ...baseDetails, ...details };
    return {
      ok: false,
      outcome: 'deny',
      error: { code, message: reason, details: all },
      explanation: { matchedRule, reason, details: all, skippedRules },
    };
  };
  const ruleName = matchedRule === null ? 'no rule' : `rule ${matchedRule.index} (${matchedRule.id})`;

  if (policy.allowlist.required && destination.status === 'not_listed') {
    return deny(
      'policy_destination_not_allowlisted',
      `denied: the policy requires allowlisted destinations and ${request.destination} is not on the allowlist (${ruleName} matched)`,
    );
  }
  if (policy.allowlist.required && destination.status === 'cooling_off') {
    return deny(
      'policy_destination_cooling_off',
      `denied: ${request.destination} was allowlisted recently and is usable from ${destination.usableAtMs} ms (${ruleName} matched)`,
      { usableAtMs: destination.usableAtMs },
    );
  }
  const amountLimit = policy.amountLimits.find((limit) => limit.asset === request.asset);
  if (amountLimit !== undefined && request.amountMinor > amountLimit.maxAmountMinor) {
    return deny(
      'policy_amount_limit_exceeded',
      `denied: ${request.amountMinor} exceeds the single-withdrawal limit of ${amountLimit.maxAmountMinor} ${request.asset} minor units (${ruleName} matched)`,
      { maxAmountMinor: amountLimit.maxAmountMinor.toString() },
    );
  }
  for (const limit of policy.velocityLimits) {
    if (limit.asset !== request.asset || (limit.vaultId !== null && limit.vaultId !== vault.id)) continue;
    // The window is (nowMs - windowMs, nowMs]: a withdrawal exactly windowMs old no longer counts.
    let windowSumMinor = request.amountMinor;
    for (const past of context.recentWithdrawals) {
      if (
        past.vaultId === vault.id &&
        past.asset === request.asset &&
        past.createdAtMs > nowMs - limit.windowMs
      ) {
        windowSumMinor += past.amountMinor;
      }
    }
    if (windowSumMinor > limit.maxAmountMinor) {
      return deny(
        'policy_velocity_exceeded',
        `denied: velocity limit ${limit.id} allows ${limit.maxAmountMinor} ${request.asset} minor units per ${limit.windowMs} ms from vault ${vault.id}, and this request would bring the window to ${windowSumMinor} (${ruleName} matched)`,
        {
          velocityLimitId: limit.id,
          windowMs: limit.windowMs,
          windowSumMinor: windowSumMinor.toString(),
          maxAmountMinor: limit.maxAmountMinor.toString(),
        },
      );
    }
  }
  if (rule === undefined || matchedRule === null) {
    return deny(
      'policy_no_rule_matched',
      `denied by default: none of the ${policy.rules.length} rules matched (see skippedRules for why each did not)`,
    );
  }
  const matchedBecause =
    skippedRules.length === 0
      ? 'it is the first rule'
      : `the ${skippedRules.length} rules above it did not match`;
  if (rule.action.type === 'deny') {
    return deny(
      'policy_rule_denied',
      `denied by rule ${matchedRule.index} (${rule.id}: ${rule.description}); ${matchedBecause}`,
    );
  }
  const approvers = rule.action.approverGroups.map(describeApproverGroup).join(' and ');
  const details = { ...baseDetails, approverGroups: rule.action.approverGroups.map(describeApproverGroup) };
  if (rule.action.type === 'timelock') {
    const executableAtMs = request.createdAtMs + rule.action.delaySeconds * 1000;
    const reason = `timelocked by rule ${matchedRule.index} (${rule.id}: ${rule.description}): needs ${approvers}, and executes no earlier than ${executableAtMs} ms (${rule.action.delaySeconds} s after the request), cancellable until then; ${matchedBecause}`;
    return {
      ok: true,
      outcome: 'timelock',
      approverGroups: rule.action.approverGroups,
      executableAtMs,
      explanation: { matchedRule, reason, details: { ...details, executableAtMs }, skippedRules },
    };
  }
  const reason = `allowed by rule ${matchedRule.index} (${rule.id}: ${rule.description}) once approved by ${approvers}; ${matchedBecause}`;
  return {
    ok: true,
    outcome: 'allow',
    approverGroups: rule.action.approverGroups,
    executableAtMs: null,
    explanation: { matchedRule, reason, details, skippedRules },
  };
}

/** Execution of a timelocked request: refused with `policy_timelock_pending` before executableAtMs. */
export function checkTimelockElapsed(
  executableAtMs: number,
  nowMs: number,
): { ok: true } | Rejected<'policy_timelock_pending'> {
  if (nowMs >= executableAtMs) return { ok: true };
  return rejected('policy_timelock_pending', `the timelock runs until ${executableAtMs} ms`, {
    executableAtMs,
    nowMs,
  });
}

/** Cancellation of a timelocked request: allowed until executableAtMs, then `policy_timelock_elapsed`. */
export function checkTimelockCancellable(
  executableAtMs: number,
  nowMs: number,
): { ok: true } | Rejected<'policy_timelock_elapsed'> {
  if (nowMs < executableAtMs) return { ok: true };
  return rejected(
    'policy_timelock_elapsed',
    `the timelock ended at ${executableAtMs} ms; the request can no longer be cancelled`,
    {
      executableAtMs,
      nowMs,
    },
  );
}
