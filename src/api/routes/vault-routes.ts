// Vaults: POST /v1/vaults registers one (validated and journaled), GET lists the registry, GET one. Every
// custody account records one registered vault; a customer vault needs the custodian's acknowledgment.

import { createRoute, z } from '@hono/zod-openapi';
import { VAULT_KINDS, VAULT_TEMPERATURES, type Vault } from '../../core/custody/vault.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';

const AcknowledgmentSchema = z
  .object({
    acknowledgedAtMs: z
      .number()
      .int()
      .openapi({ description: 'When the custodian signed, ms since the epoch' }),
    documentReference: z.string().openapi({ example: 'custodian-letter-2026-03' }),
  })
  .openapi('CustodianAcknowledgment');

const VaultSchema = z
  .object({
    id: z.string().openapi({ example: 'vault:derivatives:cold' }),
    chainId: z.number().int().openapi({ example: 1 }),
    address: z.string().openapi({ description: 'EVM address, lower case or EIP-55 checksummed' }),
    assets: z.array(
      z.object({
        asset: z.string().openapi({ example: 'USDC' }),
        token: z.string().openapi({ description: 'ERC-20 contract address, or "native" for the chain coin' }),
      }),
    ),
    kind: z.enum(VAULT_KINDS),
    customerId: z
      .string()
      .nullable()
      .openapi({ description: 'The one customer of a customer_individual vault' }),
    accountClass: z
      .string()
      .nullable()
      .openapi({ description: 'The customer account class a customer vault serves' }),
    temperature: z.enum(VAULT_TEMPERATURES),
    custodian: z.string(),
    acknowledgment: AcknowledgmentSchema.nullable().openapi({
      description:
        "The custodian's acknowledgment that the vault holds customer assets with no right of set-off",
    }),
  })
  .openapi('Vault');

const RegisteredVaultSchema = z
  .object({ id: z.string(), seq: z.number().int(), duplicate: z.boolean() })
  .openapi('RegisteredVault');

const registerVaultRoute = createRoute({
  method: 'post',
  path: '/v1/vaults',
  tags: ['vaults'],
  summary: 'Register a custody vault (idempotent for the same attributes)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator'),
  request: { body: { required: true, content: { 'application/json': { schema: VaultSchema } } } },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: RegisteredVaultSchema } } },
    200: {
      description: 'Already registered',
      content: { 'application/json': { schema: RegisteredVaultSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415, 422),
  },
});

const listVaultsRoute = createRoute({
  method: 'get',
  path: '/v1/vaults',
  tags: ['vaults'],
  summary: 'The vault registry (public to customers: it says where their collateral is held)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  responses: {
    200: {
      description: 'Vaults',
      content: { 'application/json': { schema: z.object({ vaults: z.array(VaultSchema) }) } },
    },
    ...errorResponses(),
  },
});

const getVaultRoute = createRoute({
  method: 'get',
  path: '/v1/vaults/{id}',
  tags: ['vaults'],
  summary: 'Get one vault',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The vault', content: { 'application/json': { schema: VaultSchema } } },
    ...errorResponses(403, 404),
  },
});

function toVaultView(vault: Vault) {
  return {
    ...vault,
    assets: vault.assets.map((entry) => ({ asset: entry.asset, token: entry.token })),
    acknowledgment: vault.acknowledgment === null ? null : { ...vault.acknowledgment },
  };
}

/** Registers the vault routes. */
export function registerVaultRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(registerVaultRoute, async (c) => {
    const vault = c.req.valid('json');
    const accepted = await submitOneOrThrow(service, { type: 'register_vault', vault });
    const body = { id: vault.id, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(listVaultsRoute, async (c) => {
    const vaults = await service.read((engine) => engine.listVaults().map(toVaultView));
    return c.json({ vaults }, 200);
  });

  app.openapi(getVaultRoute, async (c) => {
    const { id } = c.req.valid('param');
    const vault = await service.read((engine) => engine.getVault(id));
    if (vault === undefined) throw new ApiError('not_found', `no vault ${id}`);
    return c.json(toVaultView(vault), 200);
  });
}
