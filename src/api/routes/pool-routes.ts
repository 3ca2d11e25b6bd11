// GET /v1/pools: the segregation position of every pool. Per pool, custody (where the coins are) equals
// claims (whom they belong to); for customer pools also the positive customer claims, the house's
// residual interest and the excess of available custody over those claims, which must never be negative.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import { toPoolViews } from '../../service/ledger-views.ts';
import { AmountSchema } from '../account-schema.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';

const PoolSchema = z
  .object({
    key: z.string().openapi({ example: 'customer:BTC:derivatives' }),
    pool: z.enum(['customer', 'house', 'insurance']),
    asset: z.string(),
    accountClass: z.string().nullable(),
    custody: AmountSchema.openapi({ description: 'Posted custody (debit-normal side)' }),
    custodyAvailable: AmountSchema.openapi({ description: 'Custody less pending outflows' }),
    claims: AmountSchema.openapi({ description: 'Posted claims (credit-normal side); equals custody' }),
    customerClaimsPositive: AmountSchema.nullable().openapi({
      description: 'Customer pools: sum of positive available customer claims (deficits never netted)',
    }),
    residualInterest: AmountSchema.nullable().openapi({
      description: 'Customer pools: the house money held inside segregation',
    }),
    excess: AmountSchema.nullable().openapi({
      description: 'Customer pools: custodyAvailable - customerClaimsPositive, never negative',
    }),
  })
  .openapi('Pool');

const listPoolsRoute = createRoute({
  method: 'get',
  path: '/v1/pools',
  tags: ['segregation'],
  summary: 'The segregation position of every pool',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor'),
  responses: {
    200: {
      description: 'Every pool',
      content: { 'application/json': { schema: z.object({ pools: z.array(PoolSchema) }) } },
    },
    ...errorResponses(403),
  },
});

/** Registers GET /v1/pools. */
export function registerPoolRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(listPoolsRoute, async (c) => {
    const pools = await service.read(toPoolViews);
    return c.json({ pools }, 200);
  });
}
