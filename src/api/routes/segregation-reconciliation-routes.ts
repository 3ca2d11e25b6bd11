// Reconciliation under /v1/segregation: run one against the chain (every customer vault at one block) or an
// imported custodian statement (the CSV itself as the body), list and show runs as JSON or CSV, the breaks
// with their age and status, the audited resolution of a break, and the top-up instructions still due.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import {
  breakView,
  readScales,
  reconciliationCsv,
  reconciliationInternalCsv,
  reconciliationSummaryView,
  reconciliationView,
  topUpView,
} from '../../service/segregation/segregation-views.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import {
  BreakSchema,
  list,
  ReconciliationSchema,
  ReconciliationSummarySchema,
  TopUpSchema,
} from '../segregation-schema.ts';
import {
  chainOf,
  nowOf,
  SEGREGATION_READERS,
  type SegregationApiServices,
  segregationOf,
  valueOrThrow,
} from '../segregation-services.ts';

const TAGS = ['segregation'];

const reconciliationResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ReconciliationSchema } },
});

const chainRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/reconciliations/chain',
  tags: TAGS,
  summary: 'Reconcile the books with the chain: every customer vault of the served chain at one block',
  description:
    'Answers 503 chain_unavailable when the server reads no chain. An unfavourable break raises a shortfall alert and a top-up instruction.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  responses: {
    201: reconciliationResponse('The recorded run'),
    ...errorResponses(403),
  },
});

const custodianRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/reconciliations/custodian-statements',
  tags: TAGS,
  summary: 'Import a custodian or bank statement (CSV format v1) and reconcile the covered vaults against it',
  description:
    'The body is the CSV itself (content type text/csv): the header custodian,statement_date,vault_id,asset,balance, then one row per vault and asset (docs/reconciliation.md). A refused file records nothing.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: {
    body: {
      required: true,
      content: {
        'text/csv': {
          schema: z.string().openapi({
            example:
              'custodian,statement_date,vault_id,asset,balance\nAcme Trust,2030-01-01,vault:derivatives,BTC,6\n',
          }),
        },
      },
    },
  },
  responses: {
    201: reconciliationResponse('The recorded run'),
    ...errorResponses(400, 403, 413, 415, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/reconciliations',
  tags: TAGS,
  summary: 'Every reconciliation run, newest first',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'Runs',
      content: {
        'application/json': { schema: z.object({ reconciliations: list(ReconciliationSummarySchema) }) },
      },
    },
    ...errorResponses(403),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/reconciliations/{id}',
  tags: TAGS,
  summary: 'One run as JSON, or its external (default) or internal lines as CSV',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  request: {
    params: z.object({ id: z.string().openapi({ example: 'rec-1' }) }),
    query: z.object({
      format: z.enum(['json', 'csv']).optional(),
      lines: z
        .enum(['external', 'internal'])
        .optional()
        .openapi({ description: 'CSV only: which lines (default external)' }),
    }),
  },
  responses: {
    200: {
      description: 'The run',
      content: {
        'application/json': { schema: ReconciliationSchema },
        'text/csv': {
          schema: z.string().openapi({
            description:
              'external: reconciliation_id,source,source_reference,vault_id,asset,account_class,ledger,observed,difference,break_id,direction; internal: reconciliation_id,asset,account_class,segregated_custody,customer_claims,residual_interest,difference,balanced',
          }),
        },
      },
    },
    ...errorResponses(400, 403, 404),
  },
});

const breaksRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/breaks',
  tags: TAGS,
  summary: 'Every break: open (unfavourable ones count as shortfalls), resolved or cleared',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  request: { query: z.object({ status: z.enum(['open', 'resolved', 'cleared']).optional() }) },
  responses: {
    200: {
      description: 'Breaks, by id',
      content: { 'application/json': { schema: z.object({ breaks: list(BreakSchema) }) } },
    },
    ...errorResponses(400, 403),
  },
});

const resolveRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/breaks/{id}/resolve',
  tags: TAGS,
  summary: 'Resolve an open break (audited: the resolver is the API key); it stops counting as a shortfall',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'officer')] as const,
  request: {
    params: z.object({ id: z.string().openapi({ example: 'rec-1:vault:derivatives:BTC' }) }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              resolution: z.string().openapi({ description: 'What explains or corrected the difference' }),
            })
            .openapi('SegregationBreakResolution'),
        },
      },
    },
  },
  responses: {
    200: { description: 'The resolved break', content: { 'application/json': { schema: BreakSchema } } },
    ...errorResponses(400, 403, 404, 415, 422),
  },
});

const topUpsRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/top-ups',
  tags: TAGS,
  summary:
    'Top-up instructions for every open unfavourable break: house -> the short vault, due the same day',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'Instructions',
      content: { 'application/json': { schema: z.object({ topUps: list(TopUpSchema) }) } },
    },
    ...errorResponses(403),
  },
});

/** Registers the reconciliation, break and top-up routes (behind `requireSegregation`). */
export function registerSegregationReconciliationRoutes(
  app: ApiApp,
  ledger: LedgerService,
  segregation: SegregationApiServices | undefined,
): void {
  const services = () => segregationOf(segregation);

  app.openapi(chainRoute, async (c) => {
    const segregationServices = services();
    const chain = chainOf(segregationServices);
    const run = valueOrThrow(
      await segregationServices.service.reconcileChain(chain, c.get('principal').keyId),
    );
    return c.json(reconciliationView(run, await readScales(ledger)), 201);
  });

  app.openapi(custodianRoute, async (c) => {
    const contentType = c.req.header('content-type') ?? '';
    if (!/^text\/csv(\s*;|$)/i.test(contentType)) {
      throw new ApiError('media_type_unsupported', 'send the custodian statement as text/csv', {
        contentType,
      });
    }
    const csv = await c.req.text();
    const run = valueOrThrow(
      await services().service.importCustodianStatement(csv, c.get('principal').keyId),
    );
    return c.json(reconciliationView(run, await readScales(ledger)), 201);
  });

  app.openapi(listRoute, async (c) => {
    const reconciliations = services().service.listReconciliations().map(reconciliationSummaryView);
    return c.json({ reconciliations }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { format = 'json', lines = 'external' } = c.req.valid('query');
    const run = services().service.getReconciliation(id);
    if (run === undefined) throw new ApiError('reconciliation_unknown', `no reconciliation ${id}`, { id });
    const scaleOf = await readScales(ledger);
    if (format === 'csv') {
      const csv =
        lines === 'internal' ? reconciliationInternalCsv(run, scaleOf) : reconciliationCsv(run, scaleOf);
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${run.id}-${lines}.csv"`,
      });
    }
    return c.json(reconciliationView(run, scaleOf), 200);
  });

  app.openapi(breaksRoute, async (c) => {
    const { status } = c.req.valid('query');
    const segregationServices = services();
    const { service } = segregationServices;
    const scaleOf = await readScales(ledger);
    const nowMs = nowOf(segregationServices);
    const breaks = service
      .listBreaks()
      .filter((record) => status === undefined || record.status === status)
      .map((record) => breakView(record, scaleOf, nowMs, service.state));
    return c.json({ breaks }, 200);
  });

  app.openapi(resolveRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { resolution } = c.req.valid('json');
    const segregationServices = services();
    const { service } = segregationServices;
    const record = valueOrThrow(await service.resolveBreak(id, resolution, c.get('principal').keyId));
    const view = breakView(record, await readScales(ledger), nowOf(segregationServices), service.state);
    return c.json(view, 200);
  });

  app.openapi(topUpsRoute, async (c) => {
    const scaleOf = await readScales(ledger);
    const topUps = services()
      .service.topUps()
      .map((topUp) => topUpView(topUp, scaleOf));
    return c.json({ topUps }, 200);
  });
}
