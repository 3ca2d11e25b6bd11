// Proves first-match policy evaluation on worked examples — every outcome names the matched rule and why
// the rules above it did not match — and one test per validation and denial code.

import { describe, expect, it } from 'vitest';
import { testPolicy, testRequest, testVault } from '../../../test/support/custody-core.ts';
import {
  checkTimelockCancellable,
  checkTimelockElapsed,
  evaluatePolicy,
  POLICY_RULES_MAX,
  type Policy,
  type PolicyContext,
  validatePolicy,
} from './policy.ts';
import type { PolicyRule } from './policy-rules.ts';

const NOW_MS = 200_000_000;
const vault = testVault();
const hotVault = testVault({ id: 'vault-omnibus-hot', temperature: 'hot' });
const destination = '0x00000000000000000000000000000000000d0d0d' as const;
const request = testRequest(vault);
const context = (overrides: Partial<PolicyContext> = {}): PolicyContext => ({
  vault,
  allowlist: [{ address: destination, addedAtMs: 0 }],
  recentWithdrawals: [],
  ...overrides,
});

describe('evaluatePolicy: worked examples', () => {
  it('allows a small withdrawal to an allowlisted address with platform + trustee, naming rule 1', () => {
    const decision = evaluatePolicy(testPolicy(), request, context(), NOW_MS);
    expect(decision.outcome).toBe('allow');
    expect(decision.explanation.matchedRule).toEqual({
      index: 1,
      id: 'small-allowlisted',
      description: 'up to 10 000 USDC to allowlisted addresses',
    });
    expect(decision.explanation.skippedRules).toEqual([
      { index: 0, id: 'block-hot-large', condition: 'temperature', sentence: 'the vault is cold' },
    ]);
    expect(decision.explanation.reason).toBe(
      'allowed by rule 1 (small-allowlisted: up to 10 000 USDC to allowlisted addresses) once approved by 1 platform signer (group ops) and 1 trustee signer (group trustee); the 1 rules above it did not match',
    );
    expect(decision.ok && decision.approverGroups.map((g) => g.id)).toEqual(['ops', 'trustee']);
  });

  it('timelocks a large withdrawal for a day after the request, cancellable until then', () => {
    const large = testRequest(vault, { amountMinor: 50_000_000_000n });
    const decision = evaluatePolicy(testPolicy(), large, context(), NOW_MS);
    expect(decision.outcome).toBe('timelock');
    expect(decision.explanation.matchedRule?.id).toBe('large-timelocked');
    expect(decision.explanation.skippedRules.map((s) => s.condition)).toEqual(['temperature', 'amount_max']);
    const executableAtMs = decision.outcome === 'timelock' ? decision.executableAtMs : 0;
    expect(executableAtMs).toBe(large.createdAtMs + 86_400_000);
    expect(checkTimelockElapsed(executableAtMs, executableAtMs - 1)).toMatchObject({
      ok: false,
      error: { code: 'policy_timelock_pending' },
    });
    expect(checkTimelockElapsed(executableAtMs, executableAtMs)).toEqual({ ok: true });
    expect(checkTimelockCancellable(executableAtMs, executableAtMs - 1)).toEqual({ ok: true });
    expect(checkTimelockCancellable(executableAtMs, executableAtMs)).toMatchObject({
      ok: false,
      error: { code: 'policy_timelock_elapsed' },
    });
  });

  it('treats an address in its cooling-off period as not allowlisted when matching rules', () => {
    const cooling = context({ allowlist: [{ address: destination, addedAtMs: NOW_MS - 1_000 }] });
    const decision = evaluatePolicy(testPolicy(), request, cooling, NOW_MS);
    expect(decision.outcome).toBe('deny');
    expect(decision.explanation.details.destinationStatus).toBe('cooling_off');
    expect(decision.explanation.skippedRules.at(-1)).toMatchObject({
      id: 'large-timelocked',
      condition: 'amount_min',
    });
  });
});

describe('evaluatePolicy: denial codes', () => {
  const denial = (policy: Policy, ctx: PolicyContext, req = request) => {
    const decision = evaluatePolicy(policy, req, ctx, NOW_MS);
    return decision.ok
      ? null
      : { code: decision.error.code, matched: decision.explanation.matchedRule?.id ?? null };
  };

  it('refuses with policy_destination_not_allowlisted when the allowlist is required', () => {
    const policy = testPolicy({ allowlist: { required: true, cooldownMs: 1_000 } });
    expect(denial(policy, context({ allowlist: [] }))).toEqual({
      code: 'policy_destination_not_allowlisted',
      matched: null,
    });
  });

  it('refuses with policy_destination_cooling_off for a recently added address', () => {
    const policy = testPolicy({ allowlist: { required: true, cooldownMs: 1_000 } });
    const ctx = context({ allowlist: [{ address: destination, addedAtMs: NOW_MS - 999 }] });
    const decision = evaluatePolicy(policy, request, ctx, NOW_MS);
    expect(decision.ok ? null : [decision.error.code, decision.error.details.usableAtMs]).toEqual([
      'policy_destination_cooling_off',
      NOW_MS + 1,
    ]);
    // One millisecond later the cooling-off is over.
    expect(evaluatePolicy(policy, request, ctx, NOW_MS + 1).outcome).toBe('allow');
  });

  it('refuses with policy_amount_limit_exceeded above the per-asset maximum, still naming the matched rule', () => {
    const huge = testRequest(vault, { amountMinor: 1_000_000_000_001n });
    expect(denial(testPolicy(), context(), huge)).toEqual({
      code: 'policy_amount_limit_exceeded',
      matched: 'large-timelocked',
    });
  });

  it('refuses with policy_velocity_exceeded when the rolling window would overflow', () => {
    const recent = [
      { vaultId: vault.id, asset: 'USDC', amountMinor: 99_999_000_001n, createdAtMs: NOW_MS - 86_399_999 },
      // Exactly one window old: no longer counted.
      { vaultId: vault.id, asset: 'USDC', amountMinor: 50_000_000_000n, createdAtMs: NOW_MS - 86_400_000 },
      // Another vault and another asset never count.
      { vaultId: 'other', asset: 'USDC', amountMinor: 50_000_000_000n, createdAtMs: NOW_MS },
      { vaultId: vault.id, asset: 'ETH', amountMinor: 50_000_000_000n, createdAtMs: NOW_MS },
    ];
    expect(denial(testPolicy(), context({ recentWithdrawals: recent }))).toEqual({
      code: 'policy_velocity_exceeded',
      matched: 'small-allowlisted',
    });
    const atLimit = testRequest(vault, { amountMinor: 1_000_000n - 1n });
    expect(
      evaluatePolicy(testPolicy(), atLimit, context({ recentWithdrawals: recent }), NOW_MS).outcome,
    ).toBe('allow');
  });

  it('refuses with policy_no_rule_matched by default, explaining every rule', () => {
    const decision = evaluatePolicy(testPolicy(), request, context({ allowlist: [] }), NOW_MS);
    expect(decision.ok ? null : decision.error.code).toBe('policy_no_rule_matched');
    expect(decision.explanation.matchedRule).toBeNull();
    expect(decision.explanation.skippedRules.map((s) => [s.id, s.sentence])).toEqual([
      ['block-hot-large', 'the vault is cold'],
      ['small-allowlisted', 'the destination is not allowlisted'],
      ['large-timelocked', "the amount 1000000 is below the rule's minimum 10000000001"],
    ]);
  });

  it('refuses with policy_rule_denied when a deny rule matches first', () => {
    const large = testRequest(hotVault, { amountMinor: 20_000_000_000n });
    const decision = evaluatePolicy(testPolicy(), large, context({ vault: hotVault }), NOW_MS);
    expect(decision.ok ? null : decision.error.code).toBe('policy_rule_denied');
    expect(decision.explanation.matchedRule?.index).toBe(0);
    expect(decision.explanation.reason).toBe(
      'denied by rule 0 (block-hot-large: hot vaults never send more than 10 000 USDC at once); it is the first rule',
    );
  });
});

describe('validatePolicy', () => {
  const allow = testPolicy().rules[1]!;
  const withRule = (rule: Partial<PolicyRule>): Policy => testPolicy({ rules: [{ ...allow, ...rule }] });
  const CASES: [code: string, policy: Policy][] = [
    ['policy_id_invalid', testPolicy({ id: '' })],
    ['policy_rules_invalid', testPolicy({ rules: [] })],
    [
      'policy_rules_invalid',
      testPolicy({
        rules: Array.from({ length: POLICY_RULES_MAX + 1 }, (_, i) => ({ ...allow, id: `r${i}` })),
      }),
    ],
    ['policy_rule_id_invalid', withRule({ id: '' })],
    ['policy_rule_id_duplicate', testPolicy({ rules: [allow, allow] })],
    ['policy_rule_match_invalid', withRule({ match: { assets: [] } })],
    ['policy_rule_match_invalid', withRule({ match: { amountMinMinor: 5n, amountMaxMinor: 4n } })],
    ['policy_rule_match_invalid', withRule({ match: { vaultKinds: ['exchange' as never] } })],
    [
      'policy_rule_action_invalid',
      withRule({ action: { type: 'timelock', delaySeconds: 0, approverGroups: [] } }),
    ],
    ['policy_approver_groups_invalid', withRule({ action: { type: 'allow', approverGroups: [] } })],
    [
      'policy_approver_groups_invalid',
      withRule({
        action: {
          type: 'allow',
          approverGroups: [
            { id: 'x', threshold: 1, role: 'trustee' },
            { id: 'x', threshold: 1, role: 'platform' },
          ],
        },
      }),
    ],
    [
      'policy_approver_group_invalid',
      withRule({ action: { type: 'allow', approverGroups: [{ id: 'x', threshold: 0, role: 'trustee' }] } }),
    ],
    [
      'policy_approver_group_invalid',
      withRule({
        action: { type: 'allow', approverGroups: [{ id: 'x', threshold: 2, signers: [destination] }] },
      }),
    ],
    [
      'policy_approver_group_invalid',
      withRule({
        action: { type: 'allow', approverGroups: [{ id: 'x', threshold: 1, signers: ['0xABC' as never] }] },
      }),
    ],
    ['policy_allowlist_invalid', testPolicy({ allowlist: { required: true, cooldownMs: -1 } })],
    ['policy_amount_limit_invalid', testPolicy({ amountLimits: [{ asset: 'USDC', maxAmountMinor: 0n }] })],
    [
      'policy_velocity_limit_invalid',
      testPolicy({
        velocityLimits: [{ id: 'v', asset: 'USDC', vaultId: null, windowMs: 0, maxAmountMinor: 1n }],
      }),
    ],
  ];
  for (const [code, policy] of CASES) {
    it(`refuses with ${code}`, () => {
      const result = validatePolicy(policy);
      expect(result.ok ? null : result.error.code).toBe(code);
    });
  }

  it('accepts the standard policy', () => {
    expect(validatePolicy(testPolicy())).toEqual({ ok: true });
  });
});
