// The published schemas of the segregation views (src/service/segregation/segregation-views.ts): statements,
// diffs, the pro-forma, targets, reconciliations, breaks, top-ups, residual-interest withdrawals, regulator
// notices and alerts. Amounts are decimal strings at the asset's scale; instants are ISO-8601 beside their ms.

import { z } from '@hono/zod-openapi';
import { BREAK_DIRECTIONS, RECONCILIATION_SOURCES } from '../core/segregation/reconcile.ts';
import { AmountSchema } from './account-schema.ts';

/** An array the views build once and never change (the views type their lists `readonly`). */
export function list<T extends z.ZodType>(item: T) {
  return z.array(item).readonly();
}

const Instant = z.string().openapi({ description: 'ISO-8601 UTC', example: '2030-01-01T17:00:00.000Z' });
const Ms = z.number().int().openapi({ description: 'Milliseconds since the epoch' });
const SEGMENT_STATUSES = ['deficient', 'below_target', 'compliant'] as const;
const STATEMENT_STATUSES = ['draft', 'final', 'superseded'] as const;
const REGIMES = ['cftc', 'uk_cass'] as const;
const VAULT_INELIGIBILITIES = [
  'vault_not_registered',
  'vault_not_customer',
  'vault_not_acknowledged',
  'vault_class_mismatch',
] as const;

/** One segment's lines: per asset and customer account class, never netted across either. */
export const StatementSegmentSchema = z
  .object({
    asset: z.string(),
    accountClass: z.string(),
    customers: z.number().int(),
    customersInDeficit: z.number().int(),
    netLedgerBalance: AmountSchema,
    unrealisedPnl: AmountSchema,
    netEquity: AmountSchema,
    deficitsAddedBack: AmountSchema,
    requirement: AmountSchema.openapi({ description: 'Σ max(0, net equity of each customer)' }),
    fundsHeld: AmountSchema.openapi({ description: 'Registered, acknowledged customer vaults only' }),
    fundsNotEligible: AmountSchema,
    unresolvedShortfall: AmountSchema.openapi({ description: 'Open unfavourable reconciliation breaks' }),
    fundsHeldNet: AmountSchema,
    excess: AmountSchema.openapi({ description: 'Residual interest; a deficiency when negative' }),
    targetResidualInterest: AmountSchema,
    excessOverTarget: AmountSchema,
    undermargined: AmountSchema,
    topUpRequired: AmountSchema,
    residualInterestLedger: AmountSchema,
    status: z.enum(SEGMENT_STATUSES),
    vaults: list(
      z.object({
        vaultId: z.string(),
        balance: AmountSchema,
        eligible: z.boolean(),
        ineligibility: z.enum(VAULT_INELIGIBILITIES).nullable(),
      }),
    ),
  })
  .openapi('SegregationSegment');

const ClientMoneySchema = z
  .object({
    asset: z.string(),
    accountClass: z.string(),
    approach: z.enum(['normal', 'alternative']),
    requirement: AmountSchema,
    debtorBalancesExcluded: AmountSchema,
    marginedTransactionRequirement: AmountSchema,
    resource: AmountSchema,
    prudentSegregation: AmountSchema,
    transfer: AmountSchema,
    outcome: z.enum(['balanced', 'shortfall', 'excess']),
    dueAtMs: Ms,
    dueAt: Instant,
  })
  .openapi('ClientMoneyCalculation');

/** A statement in full. */
export const StatementSchema = z
  .object({
    version: z.literal(1),
    id: z.string().openapi({ example: 'seg-2030-01-01-1' }),
    regime: z.enum(REGIMES),
    businessDate: z.string().openapi({ example: '2030-01-01' }),
    status: z.enum(STATEMENT_STATUSES),
    cutoff: z.object({
      seq: z.number().int(),
      headHash: z.string(),
      batchTimestampMs: Ms,
      batchTimestamp: Instant.nullable(),
    }),
    computedAtMs: Ms,
    computedAt: Instant,
    computedBy: z.string().openapi({ description: 'The API key id that computed it' }),
    finalisedAtMs: Ms.nullable(),
    finalisedAt: Instant.nullable(),
    finalisedBy: z.string().nullable(),
    hash: z.string().nullable().openapi({ description: 'The seal (SHA-256 hex); null for a draft' }),
    supersedes: z.object({ id: z.string(), hash: z.string() }).nullable(),
    segments: list(StatementSegmentSchema),
    clientMoney: list(ClientMoneySchema),
    supersededBy: z.string().nullable().openapi({ description: 'The finalised correction that replaced it' }),
    sealVerified: z
      .boolean()
      .nullable()
      .openapi({ description: 'The seal recomputed from the content matches; null for a draft' }),
  })
  .openapi('SegregationStatement');

/** A statement in a list. */
export const StatementSummarySchema = z
  .object({
    id: z.string(),
    businessDate: z.string(),
    regime: z.enum(REGIMES),
    status: z.enum(STATEMENT_STATUSES),
    supersedes: z.string().nullable(),
    supersededBy: z.string().nullable(),
    hash: z.string().nullable(),
    cutoffSeq: z.number().int(),
    computedAtMs: Ms,
    computedAt: Instant,
    computedBy: z.string(),
    finalisedAtMs: Ms.nullable(),
    finalisedAt: Instant.nullable(),
    finalisedBy: z.string().nullable(),
    segments: list(
      z.object({
        asset: z.string(),
        accountClass: z.string(),
        status: z.enum(SEGMENT_STATUSES),
        requirement: AmountSchema,
        excess: AmountSchema,
      }),
    ),
  })
  .openapi('SegregationStatementSummary');

/** The lines that changed between two statements. */
export const StatementDiffSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    differences: list(
      z.object({
        asset: z.string(),
        accountClass: z.string(),
        line: z.string().openapi({ description: 'The segment key in SegregationSegment' }),
        label: z.string(),
        from: AmountSchema,
        to: AmountSchema,
        change: AmountSchema,
      }),
    ),
  })
  .openapi('SegregationStatementDiff');

/** The statement lines at the journal head (not recorded). */
export const ProFormaSchema = z
  .object({ computedAtMs: Ms, computedAt: Instant, segments: list(StatementSegmentSchema) })
  .openapi('SegregationProForma');

const TargetSchema = z
  .object({
    asset: z.string(),
    accountClass: z.string(),
    amount: AmountSchema,
    approvalReference: z.string(),
    setBy: z.string(),
    setAtMs: Ms,
    setAt: Instant,
    seq: z.number().int(),
  })
  .openapi('SegregationTarget');

/** The targets in force and every version set. */
export const TargetsSchema = z
  .object({ targets: list(TargetSchema), history: list(TargetSchema) })
  .openapi('SegregationTargets');

const RunBreakShape = {
  id: z.string(),
  source: z.enum(RECONCILIATION_SOURCES),
  vaultId: z.string(),
  asset: z.string(),
  accountClass: z.string(),
  direction: z.enum(BREAK_DIRECTIONS).openapi({ description: 'observed_below_ledger is a shortfall' }),
  amount: AmountSchema,
  firstSeenAtMs: Ms,
  firstSeenAt: Instant,
  lastSeenAtMs: Ms,
  lastSeenAt: Instant,
  firstSeenRunId: z.string(),
  lastSeenRunId: z.string(),
  ageMs: z.number().int(),
};

/** A break as it stands. */
export const BreakSchema = z
  .object({
    ...RunBreakShape,
    status: z.enum(['open', 'resolved', 'cleared']),
    resolution: z.string().nullable(),
    resolvedBy: z.string().nullable().openapi({ description: 'The API key id that resolved it' }),
    resolvedAtMs: Ms.nullable(),
    resolvedAt: Instant.nullable(),
    clearedByRunId: z.string().nullable(),
  })
  .openapi('SegregationBreak');

/** A top-up instruction: house -> the short segregated vault. */
export const TopUpSchema = z
  .object({
    id: z.string(),
    breakId: z.string(),
    asset: z.string(),
    accountClass: z.string(),
    vaultId: z.string(),
    from: z.literal('house'),
    amount: AmountSchema,
    dueAtMs: Ms,
    dueAt: Instant,
  })
  .openapi('SegregationTopUp');

/** One reconciliation run in full. */
export const ReconciliationSchema = z
  .object({
    id: z.string(),
    atMs: Ms,
    at: Instant,
    by: z.string(),
    ledgerSeq: z.number().int(),
    source: z.enum(RECONCILIATION_SOURCES),
    sourceReference: z.string(),
    custodianStatement: z.object({ custodian: z.string(), statementDate: z.string() }).nullable(),
    internal: list(
      z.object({
        asset: z.string(),
        accountClass: z.string(),
        segregatedCustody: AmountSchema,
        customerClaims: AmountSchema,
        residualInterest: AmountSchema,
        difference: AmountSchema,
        balanced: z.boolean(),
      }),
    ),
    external: list(
      z.object({
        vaultId: z.string(),
        asset: z.string(),
        accountClass: z.string(),
        ledger: AmountSchema,
        observed: AmountSchema,
        difference: AmountSchema.openapi({ description: 'observed − ledger' }),
      }),
    ),
    notCovered: list(
      z.object({ vaultId: z.string(), asset: z.string(), accountClass: z.string(), ledger: AmountSchema }),
    ),
    breaks: list(z.object(RunBreakShape)),
    cleared: list(z.string()),
    carriedOver: list(z.string()),
    shortfalls: list(z.object({ asset: z.string(), accountClass: z.string(), shortfall: AmountSchema })),
    topUps: list(TopUpSchema),
    totals: list(
      z.object({ asset: z.string(), ledger: AmountSchema, observed: AmountSchema, difference: AmountSchema }),
    ),
  })
  .openapi('SegregationReconciliation');

/** A reconciliation run in a list. */
export const ReconciliationSummarySchema = z
  .object({
    id: z.string(),
    atMs: Ms,
    at: Instant,
    by: z.string(),
    ledgerSeq: z.number().int(),
    source: z.enum(RECONCILIATION_SOURCES),
    sourceReference: z.string(),
    lines: z.number().int(),
    breaks: z.number().int(),
    topUps: z.number().int(),
    internalBalanced: z.boolean(),
  })
  .openapi('SegregationReconciliationSummary');

/** A residual-interest withdrawal and what became of it. */
export const ResidualInterestWithdrawalSchema = z
  .object({
    id: z.string().openapi({ example: 'riw-1' }),
    status: z.enum(['awaiting_approvals', 'executed', 'refused']),
    asset: z.string(),
    accountClass: z.string(),
    amount: AmountSchema,
    reason: z.string(),
    recipient: z.string(),
    requestedBy: z.string(),
    requestedAtMs: Ms,
    requestedAt: Instant,
    accounts: z.object({
      residualInterestAccountId: z.string(),
      houseEquityAccountId: z.string(),
      segregatedCustodyAccountId: z.string(),
      houseCustodyAccountId: z.string(),
    }),
    transferId: z.string(),
    approvals: list(z.object({ officerKeyId: z.string(), atMs: Ms, at: Instant })),
    execution: z.object({ transferId: z.string(), seq: z.number().int(), atMs: Ms, at: Instant }).nullable(),
    refusal: z.object({ code: z.string(), message: z.string() }).nullable(),
    noticeId: z.string().nullable(),
  })
  .openapi('ResidualInterestWithdrawal');

/** A notice to the regulator. */
export const NoticeSchema = z
  .object({
    id: z.string(),
    requestId: z.string(),
    issuedAtMs: Ms,
    issuedAt: Instant,
    asset: z.string(),
    accountClass: z.string(),
    amount: AmountSchema,
    reason: z.string(),
    recipient: z.string(),
    approvers: list(z.string()),
    referenceStatementId: z.string(),
    referenceResidualInterest: AmountSchema,
    cumulativeWithdrawn: AmountSchema,
    remainingResidualInterest: AmountSchema,
    certification: z.string(),
  })
  .openapi('RegulatorNotice');

/** An alert. */
export const AlertSchema = z
  .object({
    seq: z.number().int(),
    key: z.string(),
    code: z.string().openapi({
      description:
        'segregation_deficiency, residual_interest_below_target, statement_finalisation_late or reconciliation_shortfall',
    }),
    severity: z.enum(['critical', 'warning']),
    message: z.string(),
    asset: z.string().nullable(),
    accountClass: z.string().nullable(),
    businessDate: z.string().nullable(),
    statementId: z.string().nullable(),
    amount: AmountSchema.nullable(),
    raisedAtMs: Ms,
    raisedAt: Instant,
  })
  .openapi('SegregationAlert');
