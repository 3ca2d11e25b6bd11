// Customer account classes (derivatives, spot...), each its own segregated pool per asset.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';

const AccountClassSchema = z
  .object({
    code: z
      .string()
      .openapi({ example: 'derivatives', description: 'Lower snake case, at most 32 characters' }),
  })
  .openapi('AccountClass');

const AddedAccountClassSchema = AccountClassSchema.extend({
  seq: z.number().int().openapi({ description: 'Journal position; 0 when the class already existed' }),
  duplicate: z.boolean(),
}).openapi('AddedAccountClass');

const addAccountClassRoute = createRoute({
  method: 'post',
  path: '/v1/account-classes',
  tags: ['registry'],
  summary: 'Add a customer account class (idempotent)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator'),
  request: { body: { required: true, content: { 'application/json': { schema: AccountClassSchema } } } },
  responses: {
    201: { description: 'Added', content: { 'application/json': { schema: AddedAccountClassSchema } } },
    200: {
      description: 'Already configured',
      content: { 'application/json': { schema: AddedAccountClassSchema } },
    },
    ...errorResponses(400, 403, 413, 415),
  },
});

const listAccountClassesRoute = createRoute({
  method: 'get',
  path: '/v1/account-classes',
  tags: ['registry'],
  summary: 'List customer account classes',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  responses: {
    200: {
      description: 'Every configured class',
      content: { 'application/json': { schema: z.object({ accountClasses: z.array(z.string()) }) } },
    },
    ...errorResponses(),
  },
});

/** Registers the account class routes. */
export function registerAccountClassRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(addAccountClassRoute, async (c) => {
    const { code } = c.req.valid('json');
    const accepted = await submitOneOrThrow(service, { type: 'add_account_class', code });
    const body = { code, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(listAccountClassesRoute, async (c) => {
    const accountClasses = await service.read((engine) => engine.listAccountClasses());
    return c.json({ accountClasses }, 200);
  });
}
