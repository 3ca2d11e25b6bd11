// Accounts: POST /v1/accounts opens one, GET lists them with filters, GET one with its balances.
// A customer key sees only its own accounts.

import { createRoute, z } from '@hono/zod-openapi';
import { SEGREGATION_CLASSES } from '../../core/ledger/classes.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { matchesAccountFilter, toAccountView, toAccountViews } from '../../service/ledger-views.ts';
import { isOwnAccount, requireVisible, scopeCustomerFilter } from '../access.ts';
import { AccountSchema, OwnerSchema } from '../account-schema.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';

const OpenAccountSchema = z
  .object({
    id: z.string().openapi({ example: 'alice:derivatives:BTC' }),
    owner: OwnerSchema,
    asset: z.string().openapi({ example: 'BTC' }),
    segregationClass: z.enum(SEGREGATION_CLASSES),
    accountClass: z.string().optional().openapi({
      description: 'Required for customer-pool classes, absent otherwise',
      example: 'derivatives',
    }),
    vaultId: z.string().optional().openapi({
      description:
        'The registered vault a custody account records: required for segregated_custody, house_custody and insurance_custody, absent otherwise',
      example: 'vault:derivatives:cold',
    }),
  })
  .openapi('OpenAccount');

const OpenedAccountSchema = z
  .object({
    id: z.string(),
    seq: z.number().int().openapi({ description: 'Journal position; 0 when the account already existed' }),
    duplicate: z.boolean(),
  })
  .openapi('OpenedAccount');

const openAccountRoute = createRoute({
  method: 'post',
  path: '/v1/accounts',
  tags: ['accounts'],
  summary: 'Open an account (idempotent for the same attributes)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator'),
  request: { body: { required: true, content: { 'application/json': { schema: OpenAccountSchema } } } },
  responses: {
    201: { description: 'Opened', content: { 'application/json': { schema: OpenedAccountSchema } } },
    200: {
      description: 'Already open with these attributes',
      content: { 'application/json': { schema: OpenedAccountSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415, 422),
  },
});

/** Filters shared by the account list and the balances route. */
export const AccountFilterSchema = z.object({
  customerId: z
    .string()
    .optional()
    .openapi({ description: 'Only this customer’s accounts (forced for customer keys)' }),
  asset: z.string().optional(),
});

const listAccountsRoute = createRoute({
  method: 'get',
  path: '/v1/accounts',
  tags: ['accounts'],
  summary: 'List accounts with their balances',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: {
    query: AccountFilterSchema.extend({ segregationClass: z.enum(SEGREGATION_CLASSES).optional() }),
  },
  responses: {
    200: {
      description: 'Matching accounts, in creation order',
      content: { 'application/json': { schema: z.object({ accounts: z.array(AccountSchema) }) } },
    },
    ...errorResponses(400, 403),
  },
});

const getAccountRoute = createRoute({
  method: 'get',
  path: '/v1/accounts/{id}',
  tags: ['accounts'],
  summary: 'Get one account with its balances',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The account', content: { 'application/json': { schema: AccountSchema } } },
    ...errorResponses(400, 403, 404),
  },
});

/** Registers the account routes. */
export function registerAccountRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(openAccountRoute, async (c) => {
    const request = c.req.valid('json');
    const accepted = await submitOneOrThrow(service, {
      type: 'open_account',
      id: request.id,
      owner: request.owner,
      asset: request.asset,
      segregationClass: request.segregationClass,
      accountClass: request.accountClass ?? null,
      vaultId: request.vaultId ?? null,
    });
    const body = { id: request.id, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(listAccountsRoute, async (c) => {
    const query = c.req.valid('query');
    const filter = { ...query, customerId: scopeCustomerFilter(c.get('principal'), query.customerId) };
    const accounts = await service.read((engine) =>
      toAccountViews(
        engine,
        engine.listAccounts().filter((account) => matchesAccountFilter(account, filter)),
      ),
    );
    return c.json({ accounts }, 200);
  });

  app.openapi(getAccountRoute, async (c) => {
    const { id } = c.req.valid('param');
    const principal = c.get('principal');
    const view = await service.read((engine) => {
      const account = engine.getAccount(id);
      // A customer key learns nothing about accounts that are not its own, not even whether they exist.
      if (principal.customerId !== null)
        requireVisible(isOwnAccount(principal.customerId, account), `account ${id}`);
      if (account === undefined) throw new ApiError('not_found', `no account ${id}`);
      return toAccountView(engine, account);
    });
    return c.json(view, 200);
  });
}
