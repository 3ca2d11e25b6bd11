// Deposits the crediting process could not attribute to a customer: listed for an operator (never credited
// to anyone) and resolved by naming the customer; the next poll credits it exactly once.

import { createRoute, z } from '@hono/zod-openapi';
import type { Deposit } from '../../chain/deposit-watcher.ts';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import { formatAmount } from '../../core/money/amount.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { type CustodyApiServices, depositsOf, requireCustody } from '../custody-services.ts';
import { errorResponses } from '../error-schema.ts';
import { normaliseTransferIdOrThrow } from '../transfer-id.ts';

const UnattributedDepositSchema = z
  .object({
    transferId: z.string().openapi({ description: 'The ledger transfer id its credit will have' }),
    chainId: z.number().int(),
    vault: z.string(),
    token: z.string(),
    from: z.string(),
    asset: z
      .string()
      .nullable()
      .openapi({ description: 'The ledger asset of the token; null when no vault records it' }),
    amount: z
      .string()
      .nullable()
      .openapi({ description: 'Decimal string at the asset scale; null without an asset' }),
    amountMinor: z.string().openapi({ description: 'The logged value in token units' }),
    blockNumber: z.string(),
    transactionHash: z.string(),
    logIndex: z.number().int(),
    reason: z.enum([
      'sender_unregistered',
      'customer_unknown',
      'claim_account_missing',
      'asset_not_recorded',
    ]),
    customerId: z.string().nullable(),
  })
  .openapi('UnattributedDeposit');

const listRoute = createRoute({
  method: 'get',
  path: '/v1/deposits/unattributed',
  tags: ['deposits'],
  summary: 'Confirmed deposits that could not be credited to a customer',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor')] as const,
  responses: {
    200: {
      description: 'Unattributed deposits, in chain order',
      content: { 'application/json': { schema: z.object({ deposits: z.array(UnattributedDepositSchema) }) } },
    },
    ...errorResponses(403),
  },
});

const assignRoute = createRoute({
  method: 'post',
  path: '/v1/deposits/{transferId}/assign',
  tags: ['deposits'],
  summary: 'Name the customer an unattributed deposit belongs to; the next poll credits it',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: {
    params: z.object({ transferId: z.string() }),
    body: {
      required: true,
      content: {
        'application/json': { schema: z.object({ customerId: z.string() }).openapi('DepositAssignment') },
      },
    },
  },
  responses: {
    200: {
      description: 'Assigned',
      content: {
        'application/json': { schema: z.object({ transferId: z.string(), customerId: z.string() }) },
      },
    },
    ...errorResponses(400, 403, 413, 415, 422),
  },
});

/** Registers the deposit routes; without deposit crediting they answer 503 `custody_unavailable`. */
export function registerDepositRoutes(
  app: ApiApp,
  service: LedgerService,
  custody: CustodyApiServices | undefined,
): void {
  app.use('/v1/deposits/*', requireCustody(custody, 'deposits'));

  app.openapi(listRoute, async (c) => {
    const listed = depositsOf(custody).listUnattributed();
    const deposits = await service.read((engine) =>
      listed.map((entry) => ({
        ...depositJson(engine, entry.deposit),
        reason: entry.reason,
        customerId: entry.customerId,
      })),
    );
    return c.json({ deposits }, 200);
  });

  app.openapi(assignRoute, async (c) => {
    const transferId = normaliseTransferIdOrThrow(c.req.valid('param').transferId, 'transferId');
    const { customerId } = c.req.valid('json');
    const result = depositsOf(custody).assign(transferId, customerId);
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.details);
    return c.json({ transferId, customerId }, 200);
  });
}

// The asset is the one a registered vault at the deposit's address records for its token.
function depositJson(engine: LedgerEngine, deposit: Deposit) {
  const vault = engine
    .listVaults()
    .find((candidate) => candidate.chainId === deposit.chainId && candidate.address === deposit.vault);
  const entry = vault?.assets.find((candidate) => candidate.token === deposit.token);
  const asset = entry === undefined ? undefined : engine.getAsset(entry.asset);
  return {
    transferId: deposit.transferId,
    chainId: deposit.chainId,
    vault: deposit.vault,
    token: deposit.token,
    from: deposit.from,
    asset: asset?.code ?? null,
    amount: asset === undefined ? null : formatAmount(deposit.amountMinor, asset.scale),
    amountMinor: deposit.amountMinor.toString(),
    blockNumber: deposit.blockNumber.toString(),
    transactionHash: deposit.transactionHash,
    logIndex: deposit.logIndex,
  };
}
