// The asset registry: POST /v1/assets registers a code with its scale, GET /v1/assets lists them.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';

const AssetSchema = z
  .object({
    code: z
      .string()
      .openapi({ example: 'BTC', description: '2-16 of A-Z 0-9 . _ -, starting with a letter' }),
    scale: z.number().int().openapi({ example: 8, description: 'Decimal places of the minor unit, 0 to 18' }),
  })
  .openapi('Asset');

const RegisteredAssetSchema = AssetSchema.extend({
  seq: z.number().int().openapi({ description: 'Journal position; 0 when the asset already existed' }),
  duplicate: z.boolean(),
}).openapi('RegisteredAsset');

const registerAssetRoute = createRoute({
  method: 'post',
  path: '/v1/assets',
  tags: ['registry'],
  summary: 'Register an asset (idempotent for the same scale)',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator'),
  request: { body: { required: true, content: { 'application/json': { schema: AssetSchema } } } },
  responses: {
    201: { description: 'Registered', content: { 'application/json': { schema: RegisteredAssetSchema } } },
    200: {
      description: 'Already registered with this scale',
      content: { 'application/json': { schema: RegisteredAssetSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415),
  },
});

const listAssetsRoute = createRoute({
  method: 'get',
  path: '/v1/assets',
  tags: ['registry'],
  summary: 'List registered assets',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  responses: {
    200: {
      description: 'Every registered asset',
      content: { 'application/json': { schema: z.object({ assets: z.array(AssetSchema) }) } },
    },
    ...errorResponses(),
  },
});

/** Registers the asset routes. */
export function registerAssetRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(registerAssetRoute, async (c) => {
    const { code, scale } = c.req.valid('json');
    const accepted = await submitOneOrThrow(service, { type: 'register_asset', code, scale });
    const body = { code, scale, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(listAssetsRoute, async (c) => {
    const assets = await service.read((engine) =>
      engine.listAssets().map(({ code, scale }) => ({ code, scale })),
    );
    return c.json({ assets }, 200);
  });
}
