// The published schemas of insolvency resolution (docs/resolution.md): the freeze's status, a recovery, the
// distribution per estate, a customer's statement, and contagion scenarios and reports. Amounts are decimal
// strings at the asset's scale; instants ISO-8601.

import { z } from '@hono/zod-openapi';
import { list } from './segregation-schema.ts';

const Amount = z.string().openapi({ description: 'Decimal string at the asset scale', example: '2.8' });
const Instant = z.string().openapi({ description: 'ISO-8601 UTC', example: '2030-01-01T12:00:00.000Z' });

/** Where the books are frozen, with what the books did not hold themselves. */
const PinSchema = z.object({
  seq: z.number().int(),
  headHash: z.string(),
  batchTimestamp: Instant.nullable(),
  frozenAt: Instant,
  shortfalls: list(z.object({ asset: z.string(), accountClass: z.string(), amount: Amount })),
  marks: z.number().int().openapi({ description: 'Customer positions carrying an unrealised PnL mark' }),
});

/** The freeze's status. */
export const ResolutionStatusSchema = z
  .object({
    status: z.enum(['open', 'freeze_requested', 'frozen']),
    freeze: z
      .object({
        requestId: z.string(),
        reason: z.string(),
        requestedBy: z.string(),
        requestedAt: Instant,
        approvedBy: z.string().nullable(),
        approvedAt: Instant.nullable(),
        pinned: PinSchema.nullable(),
      })
      .nullable(),
    recoveries: z.number().int(),
  })
  .openapi('ResolutionStatus');

export const FreezeRequestSchema = z
  .object({ reason: z.string().openapi({ example: 'the house has failed; board resolution 2030-01-01' }) })
  .openapi('FreezeRequest');

export const RecoveryRequestSchema = z
  .object({
    customerId: z.string().openapi({ example: 'carol' }),
    asset: z.string().openapi({ example: 'BTC' }),
    accountClass: z.string().openapi({ example: 'derivatives' }),
    amount: Amount,
    reference: z
      .string()
      .openapi({ description: 'Where the payment is evidenced', example: 'wire 2030-01-02 #1' }),
  })
  .openapi('RecoveryRequest');

/** One estate's distribution. */
export const PackEstateSchema = z
  .object({
    asset: z.string(),
    accountClass: z.string(),
    held: Amount,
    recovered: Amount,
    property: Amount,
    totalClaims: Amount,
    distributed: Amount,
    shortfall: Amount,
    surplus: Amount,
    ratio: z.string().openapi({ description: 'min(1, property / claims) in lowest terms', example: '4/5' }),
    paidPercent: z.string().openapi({ example: '80.00' }),
    claimants: z.number().int(),
    debtors: z.number().int(),
    debts: Amount,
    debtsOutstanding: Amount,
  })
  .openapi('ResolutionEstate');

export const DistributionSchema = z
  .object({
    simulated: z.boolean(),
    pinnedSeq: z.number().int(),
    estates: list(PackEstateSchema),
    unsecuredTotals: list(z.object({ asset: z.string(), amount: Amount, claimants: z.number().int() })),
  })
  .openapi('ResolutionDistribution');

/** A customer's statement. */
export const CustomerResolutionSchema = z
  .object({
    pinnedSeq: z.number().int(),
    customerId: z.string(),
    estates: list(
      z.object({
        asset: z.string(),
        accountClass: z.string(),
        netEquity: Amount,
        claim: Amount,
        payout: Amount,
        unpaid: Amount,
        debt: Amount,
        recovered: Amount,
        outstanding: Amount,
      }),
    ),
    unsecured: list(z.object({ asset: z.string(), amount: Amount })),
  })
  .openapi('CustomerResolution');

const ScenarioEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('house_trading_loss'), asset: z.string(), amount: Amount }),
  z.object({ type: z.literal('hot_wallet_hack'), vaultId: z.string(), asset: z.string(), amount: Amount }),
  z.object({
    type: z.literal('customer_default'),
    customerId: z.string(),
    asset: z.string(),
    accountClass: z.string(),
    loss: Amount,
    counterpartyId: z.string(),
  }),
  z.object({
    type: z.literal('custodian_failure'),
    vaultIds: z.array(z.string().min(1)).min(1).max(1000),
    lostShare: z.string().openapi({ description: '"n/d" or a decimal fraction in (0, 1]', example: '1/3' }),
  }),
]);

/** A scenario: a built-in one by name, or events in full with the house creditors they assume. */
export const ScenarioRequestSchema = z
  .union([
    z.object({
      builtIn: z.string().openapi({
        description: 'house-loss, hot-wallet-hack, customer-default or custodian-failure',
        example: 'house-loss',
      }),
    }),
    z.object({
      name: z.string().min(1).max(200),
      events: z.array(ScenarioEventSchema).min(1).max(1000),
      houseCreditors: z
        .array(z.object({ creditorId: z.string().min(1).max(200), asset: z.string(), claim: Amount }))
        .max(1000)
        .optional(),
    }),
  ])
  .openapi('ContagionScenario');

const RecoveryRowSchema = {
  claim: Amount,
  segregated: Amount,
  segregatedPercent: z.string(),
  commingled: Amount,
  commingledPercent: z.string(),
  difference: Amount.openapi({ description: 'commingled − segregated' }),
};

/** The side-by-side recoveries of a scenario. */
export const ContagionReportSchema = z
  .object({
    scenario: z.string(),
    journalSeq: z.number().int(),
    customers: list(
      z.object({
        customerId: z.string(),
        asset: z.string(),
        segregatedFromEstates: Amount,
        segregatedFromHouseEstate: Amount,
        ...RecoveryRowSchema,
      }),
    ),
    creditors: list(z.object({ creditorId: z.string(), asset: z.string(), ...RecoveryRowSchema })),
    assets: list(
      z.object({
        asset: z.string(),
        customerProperty: Amount,
        houseProperty: Amount,
        tradingLoss: Amount,
        customerClaims: Amount,
        customersSegregated: Amount,
        customersCommingled: Amount,
        creditorClaims: Amount,
        creditorsSegregated: Amount,
        creditorsCommingled: Amount,
        houseResidualSegregated: Amount,
        houseResidualCommingled: Amount,
      }),
    ),
  })
  .openapi('ContagionReport');
