// The published schema of a withdrawal request and everything that happened to it, and the translation of
// the service's WithdrawalView into it: the amount as a decimal string at the asset's scale, nonces as
// decimal strings, times as ISO-8601.

import { z } from '@hono/zod-openapi';
import { formatAmount } from '../core/money/amount.ts';
import { WITHDRAWAL_STATES } from '../service/custody/custody-state.ts';
import type { WithdrawalView } from '../service/custody/withdrawal-view.ts';
import { AmountSchema } from './account-schema.ts';

const DetailsSchema = z.record(z.string(), z.unknown());

/** Why the policy decided what it did: the matched rule, a sentence, details and every skipped rule. */
export const PolicyExplanationSchema = z
  .object({
    matchedRule: z
      .object({ index: z.number().int(), id: z.string(), description: z.string() })
      .nullable()
      .openapi({ description: 'The first rule that matched; null when none did (denied by default)' }),
    reason: z.string().openapi({ description: 'Why, in one sentence' }),
    details: DetailsSchema,
    skippedRules: z.array(
      z.object({ index: z.number().int(), id: z.string(), condition: z.string(), sentence: z.string() }),
    ),
  })
  .openapi('PolicyExplanation');

/** One withdrawal request, its state and its history. */
export const WithdrawalSchema = z
  .object({
    requestId: z.string().openapi({ description: '0x and 64 lower-case hex digits' }),
    vaultId: z.string(),
    chainId: z.number().int(),
    vault: z.string().openapi({ description: 'The vault address (lower case)' }),
    customerId: z.string().nullable(),
    asset: z.string(),
    token: z.string().openapi({ description: 'The token contract the digest binds (zero for native)' }),
    amount: AmountSchema,
    destination: z.string(),
    nonce: z.string().openapi({ description: "The vault's withdrawal nonce this request consumes" }),
    createdAt: z.string(),
    expiresAt: z.string().openapi({ description: 'Whole seconds; the digest binds them as expiresAt' }),
    state: z.enum(WITHDRAWAL_STATES),
    digest: z.string().openapi({ description: 'The EIP-712 RingfenceWithdrawal digest approvers sign' }),
    holdId: z
      .string()
      .openapi({ description: "The ledger hold on the customer's claim (GET /v1/holds/{id})" }),
    decision: z
      .object({
        outcome: z.enum(['allow', 'timelock', 'deny']),
        policyId: z.string(),
        code: z.string().nullable().openapi({ description: 'The denial code; null when allowed' }),
        executableAt: z
          .string()
          .nullable()
          .openapi({ description: 'A timelocked request executes from then' }),
        explanation: PolicyExplanationSchema,
      })
      .nullable(),
    approvals: z.array(
      z.object({ signer: z.string(), role: z.string().nullable(), label: z.string().nullable() }),
    ),
    missingApprovals: z
      .array(z.object({ groupId: z.string(), missing: z.number().int() }))
      .openapi({ description: 'Per approver group, the approvals still missing' }),
    execution: z
      .object({
        safeAddress: z.string(),
        safeNonce: z.string(),
        safeTxHash: z.string(),
        transactionHash: z.string().nullable(),
      })
      .nullable(),
    failure: z.object({ code: z.string(), reason: z.string() }).nullable(),
    cancelledBy: z.string().nullable(),
    history: z.array(z.object({ state: z.enum(WITHDRAWAL_STATES), seq: z.number().int(), at: z.string() })),
  })
  .openapi('Withdrawal');

/** A withdrawal as the API returns it. */
export type WithdrawalJson = z.infer<typeof WithdrawalSchema>;

/** What a withdrawal write answers: the request's current view, and whether nothing new happened. */
export const WithdrawalResultSchema = z
  .object({
    withdrawal: WithdrawalSchema,
    duplicate: z.boolean().openapi({ description: 'True when the call repeated one already applied' }),
  })
  .openapi('WithdrawalResult');

const iso = (ms: number): string => new Date(ms).toISOString();

/** Formats a withdrawal view for the API; `scale` is the scale of the view's asset. */
export function toWithdrawalJson(view: WithdrawalView, scale: number): WithdrawalJson {
  const { decision, execution } = view;
  return {
    requestId: view.requestId,
    vaultId: view.vaultId,
    chainId: view.chainId,
    vault: view.vault,
    customerId: view.customerId,
    asset: view.asset,
    token: view.token,
    amount: formatAmount(view.amountMinor, scale),
    destination: view.destination,
    nonce: view.nonce.toString(),
    createdAt: iso(view.createdAtMs),
    expiresAt: iso(Number(view.expiresAtSeconds * 1000n)),
    state: view.state,
    digest: view.digest,
    holdId: view.holdId,
    decision:
      decision === null
        ? null
        : {
            outcome: decision.outcome,
            policyId: decision.policyId,
            code: decision.code,
            executableAt: decision.executableAtMs === null ? null : iso(decision.executableAtMs),
            explanation: {
              matchedRule:
                decision.explanation.matchedRule === null ? null : { ...decision.explanation.matchedRule },
              reason: decision.explanation.reason,
              details: { ...decision.explanation.details },
              skippedRules: decision.explanation.skippedRules.map((rule) => ({ ...rule })),
            },
          },
    approvals: view.approvals.map((approval) => ({ ...approval })),
    missingApprovals: view.missingApprovals.map((group) => ({ ...group })),
    execution:
      execution === null
        ? null
        : {
            safeAddress: execution.safeAddress,
            safeNonce: execution.safeNonce.toString(),
            safeTxHash: execution.safeTxHash,
            transactionHash: execution.transactionHash,
          },
    failure: view.failure === null ? null : { ...view.failure },
    cancelledBy: view.cancelledBy,
    history: view.history.map((step) => ({ state: step.state, seq: step.seq, at: iso(step.atMs) })),
  };
}
