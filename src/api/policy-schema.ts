// The published schema of a withdrawal policy (docs/custody.md, "Policy language") and its translation to
// and from the core's Policy. Policy amounts are integer strings of minor units (`amountMinMinor`,
// `maxAmountMinor`): a rule may match several assets of different scales, so no single scale applies.

import { z } from '@hono/zod-openapi';
import { parseAddress } from '../core/custody/address.ts';
import type { ApproverGroup } from '../core/custody/approver-groups.ts';
import { PARTY_ROLES } from '../core/custody/parties.ts';
import type { Policy } from '../core/custody/policy.ts';
import type { PolicyRule, RuleAction, RuleMatch } from '../core/custody/policy-rules.ts';
import { VAULT_KINDS, VAULT_TEMPERATURES } from '../core/custody/vault.ts';

/** An integer amount in minor units, as a decimal string of digits (at most 39: u128). */
export const MinorUnitsSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,38})$/)
  .openapi({ description: 'Integer amount in minor units of the asset', example: '500000000' });

const ApproverGroupSchema = z
  .union([
    z.object({ id: z.string(), threshold: z.number().int(), role: z.enum(PARTY_ROLES) }).strict(),
    z.object({ id: z.string(), threshold: z.number().int(), signers: z.array(z.string()) }).strict(),
  ])
  .openapi('ApproverGroup', {
    description: '`threshold` distinct signers of `role`, or `threshold` of the listed `signers` addresses',
  });

const RuleMatchSchema = z
  .object({
    vaultKinds: z.array(z.enum(VAULT_KINDS)).optional(),
    vaultIds: z.array(z.string()).optional(),
    assets: z.array(z.string()).optional(),
    amountMinMinor: MinorUnitsSchema.optional(),
    amountMaxMinor: MinorUnitsSchema.optional(),
    destination: z.enum(['allowlisted', 'not_allowlisted']).optional(),
    temperatures: z.array(z.enum(VAULT_TEMPERATURES)).optional(),
  })
  .strict()
  .openapi('RuleMatch', { description: 'Every condition set must hold; an absent one matches anything' });

const RuleActionSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('allow'), approverGroups: z.array(ApproverGroupSchema) }).strict(),
    z
      .object({
        type: z.literal('timelock'),
        delaySeconds: z.number().int(),
        approverGroups: z.array(ApproverGroupSchema),
      })
      .strict(),
    z.object({ type: z.literal('deny') }).strict(),
  ])
  .openapi('RuleAction');

/** A first-match withdrawal policy. */
export const PolicySchema = z
  .object({
    id: z.string().openapi({ example: 'customer-withdrawals' }),
    rules: z.array(
      z
        .object({ id: z.string(), description: z.string(), match: RuleMatchSchema, action: RuleActionSchema })
        .strict(),
    ),
    allowlist: z.object({ required: z.boolean(), cooldownMs: z.number().int() }).strict().openapi({
      description: 'Allowlist settings: whether required, and the cooling-off of new entries in ms',
    }),
    amountLimits: z.array(z.object({ asset: z.string(), maxAmountMinor: MinorUnitsSchema }).strict()),
    velocityLimits: z.array(
      z
        .object({
          id: z.string(),
          asset: z.string(),
          vaultId: z.string().nullable(),
          windowMs: z.number().int(),
          maxAmountMinor: MinorUnitsSchema,
        })
        .strict(),
    ),
  })
  .strict()
  .openapi('Policy');

/** A policy as the API carries it. */
export type PolicyJson = z.infer<typeof PolicySchema>;

type GroupJson = z.infer<typeof ApproverGroupSchema>;
type ActionJson = PolicyJson['rules'][number]['action'];
type MatchJson = PolicyJson['rules'][number]['match'];

/** The core's policy from its JSON form; listed signer addresses are brought to lower case when well-formed. */
export function policyFromJson(json: PolicyJson): Policy {
  return {
    id: json.id,
    rules: json.rules.map(
      (rule): PolicyRule => ({
        id: rule.id,
        description: rule.description,
        match: matchFromJson(rule.match),
        action: actionFromJson(rule.action),
      }),
    ),
    allowlist: { required: json.allowlist.required, cooldownMs: json.allowlist.cooldownMs },
    amountLimits: json.amountLimits.map((limit) => ({
      asset: limit.asset,
      maxAmountMinor: BigInt(limit.maxAmountMinor),
    })),
    velocityLimits: json.velocityLimits.map((limit) => ({
      id: limit.id,
      asset: limit.asset,
      vaultId: limit.vaultId,
      windowMs: limit.windowMs,
      maxAmountMinor: BigInt(limit.maxAmountMinor),
    })),
  };
}

/** The JSON form of a core policy. */
export function policyToJson(policy: Policy): PolicyJson {
  return {
    id: policy.id,
    rules: policy.rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      match: matchToJson(rule.match),
      action: actionToJson(rule.action),
    })),
    allowlist: { ...policy.allowlist },
    amountLimits: policy.amountLimits.map((limit) => ({
      asset: limit.asset,
      maxAmountMinor: limit.maxAmountMinor.toString(),
    })),
    velocityLimits: policy.velocityLimits.map((limit) => ({
      ...limit,
      maxAmountMinor: limit.maxAmountMinor.toString(),
    })),
  };
}

function matchFromJson(json: MatchJson): RuleMatch {
  // Only conditions that are set are copied: an absent condition matches anything, and canonical equality of
  // a re-installed policy must not depend on how the client spelled "absent".
  const match: { -readonly [K in keyof RuleMatch]: RuleMatch[K] } = {};
  if (json.vaultKinds !== undefined) match.vaultKinds = json.vaultKinds;
  if (json.vaultIds !== undefined) match.vaultIds = json.vaultIds;
  if (json.assets !== undefined) match.assets = json.assets;
  if (json.amountMinMinor !== undefined) match.amountMinMinor = BigInt(json.amountMinMinor);
  if (json.amountMaxMinor !== undefined) match.amountMaxMinor = BigInt(json.amountMaxMinor);
  if (json.destination !== undefined) match.destination = json.destination;
  if (json.temperatures !== undefined) match.temperatures = json.temperatures;
  return match;
}

function matchToJson(match: RuleMatch): MatchJson {
  const json: MatchJson = {};
  if (match.vaultKinds !== undefined) json.vaultKinds = [...match.vaultKinds];
  if (match.vaultIds !== undefined) json.vaultIds = [...match.vaultIds];
  if (match.assets !== undefined) json.assets = [...match.assets];
  if (match.amountMinMinor !== undefined) json.amountMinMinor = match.amountMinMinor.toString();
  if (match.amountMaxMinor !== undefined) json.amountMaxMinor = match.amountMaxMinor.toString();
  if (match.destination !== undefined) json.destination = match.destination;
  if (match.temperatures !== undefined) json.temperatures = [...match.temperatures];
  return json;
}

function groupFromJson(json: GroupJson): ApproverGroup {
  if ('signers' in json) {
    // A malformed address is passed on as written, so the core refuses it with policy_approver_group_invalid.
    const signers = json.signers.map((text) => parseAddress(text) ?? (text as `0x${string}`));
    return { id: json.id, threshold: json.threshold, signers };
  }
  return { id: json.id, threshold: json.threshold, role: json.role };
}

function actionFromJson(json: ActionJson): RuleAction {
  if (json.type === 'deny') return { type: 'deny' };
  const approverGroups = json.approverGroups.map(groupFromJson);
  if (json.type === 'allow') return { type: 'allow', approverGroups };
  return { type: 'timelock', delaySeconds: json.delaySeconds, approverGroups };
}

function actionToJson(action: RuleAction): ActionJson {
  if (action.type === 'deny') return { type: 'deny' };
  const approverGroups = action.approverGroups.map((group) =>
    'signers' in group
      ? { id: group.id, threshold: group.threshold, signers: [...group.signers] }
      : { id: group.id, threshold: group.threshold, role: group.role },
  );
  if (action.type === 'allow') return { type: 'allow', approverGroups };
  return { type: 'timelock', delaySeconds: action.delaySeconds, approverGroups };
}
