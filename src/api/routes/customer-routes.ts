// Customers: POST /v1/customers creates one, GET lists them (a customer key sees only itself), GET one.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import { scopeCustomerFilter } from '../access.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';

const CustomerSchema = z
  .object({
    id: z
      .string()
      .openapi({ example: 'alice', description: 'Lower-case letters, digits and :._- (at most 128)' }),
    name: z.string().openapi({ example: 'Alice Ltd', description: '1-200 characters' }),
  })
  .openapi('Customer');

const CreatedCustomerSchema = CustomerSchema.extend({
  seq: z.number().int().openapi({ description: 'Journal position; 0 when the customer already existed' }),
  duplicate: z.boolean(),
}).openapi('CreatedCustomer');

const createCustomerRoute = createRoute({
  method: 'post',
  path: '/v1/customers',
  tags: ['customers'],
  summary: 'Create a customer (idempotent for the same name)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator'),
  request: { body: { required: true, content: { 'application/json': { schema: CustomerSchema } } } },
  responses: {
    201: { description: 'Created', content: { 'application/json': { schema: CreatedCustomerSchema } } },
    200: {
      description: 'Already exists with this name',
      content: { 'application/json': { schema: CreatedCustomerSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415),
  },
});

const listCustomersRoute = createRoute({
  method: 'get',
  path: '/v1/customers',
  tags: ['customers'],
  summary: 'List customers (a customer key sees only its own record)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  responses: {
    200: {
      description: 'Customers',
      content: { 'application/json': { schema: z.object({ customers: z.array(CustomerSchema) }) } },
    },
    ...errorResponses(),
  },
});

const getCustomerRoute = createRoute({
  method: 'get',
  path: '/v1/customers/{id}',
  tags: ['customers'],
  summary: 'Get one customer',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The customer', content: { 'application/json': { schema: CustomerSchema } } },
    ...errorResponses(400, 403, 404),
  },
});

/** Registers the customer routes. */
export function registerCustomerRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(createCustomerRoute, async (c) => {
    const { id, name } = c.req.valid('json');
    const accepted = await submitOneOrThrow(service, { type: 'create_customer', id, name });
    const body = { id, name, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(listCustomersRoute, async (c) => {
    const only = scopeCustomerFilter(c.get('principal'), undefined);
    const customers = await service.read((engine) =>
      engine.listCustomers().filter((customer) => only === undefined || customer.id === only),
    );
    return c.json({ customers }, 200);
  });

  app.openapi(getCustomerRoute, async (c) => {
    const { id } = c.req.valid('param');
    scopeCustomerFilter(c.get('principal'), id);
    const customer = await service.read((engine) =>
      engine.listCustomers().find((candidate) => candidate.id === id),
    );
    if (customer === undefined) throw new ApiError('not_found', `no customer ${id}`);
    return c.json(customer, 200);
  });
}
