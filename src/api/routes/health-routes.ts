// GET /healthz: liveness without authentication, with the journal head so probes can see progress.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import type { ApiApp } from '../app-env.ts';
import { ErrorSchema } from '../error-schema.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness and journal head (no authentication)',
  responses: {
    200: {
      description: 'The service reads committed state',
      content: {
        'application/json': { schema: z.object({ status: z.literal('ok'), headSeq: z.number().int() }) },
      },
    },
    503: {
      description: 'service_unavailable: storage failed or the writer stopped',
      content: { 'application/json': { schema: ErrorSchema } },
    },
  },
});

/** Registers GET /healthz. */
export function registerHealthRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(healthRoute, async (c) => {
    const headSeq = await service.read((engine) => engine.headSeq);
    return c.json({ status: 'ok' as const, headSeq }, 200);
  });
}
