// GET /v1/balances: account balances now, or as of a journal position (rebuilt by replaying the journal
// up to it). A customer key sees only its own accounts.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import { matchesAccountFilter, toAccountViews } from '../../service/ledger-views.ts';
import { scopeCustomerFilter } from '../access.ts';
import { AccountSchema } from '../account-schema.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { AccountFilterSchema } from './account-routes.ts';

const BalancesQuerySchema = AccountFilterSchema.extend({
  asOf: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,14})$/)
    .optional()
    .openapi({ description: 'Journal seq to read the balances at; omit for now', example: '42' }),
});

const listBalancesRoute = createRoute({
  method: 'get',
  path: '/v1/balances',
  tags: ['balances'],
  summary: 'Account balances now or as of a journal seq',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { query: BalancesQuerySchema },
  responses: {
    200: {
      description: 'Matching accounts with their balances at `asOfSeq`',
      content: {
        'application/json': {
          schema: z
            .object({ asOfSeq: z.number().int(), accounts: z.array(AccountSchema) })
            .openapi('BalancesAsOf'),
        },
      },
    },
    ...errorResponses(400, 403, 422),
  },
});

/** Registers GET /v1/balances. */
export function registerBalanceRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(listBalancesRoute, async (c) => {
    const query = c.req.valid('query');
    const filter = {
      asset: query.asset,
      customerId: scopeCustomerFilter(c.get('principal'), query.customerId),
    };
    if (query.asOf === undefined) {
      // One read, so the balances and the seq they belong to come from the same committed state.
      const now = await service.read((engine) => ({
        asOfSeq: engine.headSeq,
        accounts: toAccountViews(
          engine,
          engine.listAccounts().filter((account) => matchesAccountFilter(account, filter)),
        ),
      }));
      return c.json(now, 200);
    }
    const headSeq = await service.read((engine) => engine.headSeq);
    const asOfSeq = Number(query.asOf);
    if (asOfSeq > headSeq) {
      throw new ApiError('as_of_beyond_head', `the journal ends at seq ${headSeq}`, { asOfSeq, headSeq });
    }
    const past = await service.accountsAsOf(asOfSeq);
    const accounts = await service.read((engine) =>
      toAccountViews(
        engine,
        past.filter((account) => matchesAccountFilter(account, filter)),
      ),
    );
    return c.json({ asOfSeq, accounts }, 200);
  });
}
