// The daily segregation statement under /v1/segregation: compute a draft, finalise (seal) it, list, show as
// JSON, CSV or the printable HTML a compliance officer signs, diff two statements, the pro-forma at the journal
// head, and the board's targeted residual interest. Registers the reconciliation, residual-interest and alert
// routes too; without segregation services every one of them answers 503 `segregation_unavailable`.

import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { diffCsv, statementCsv, statementHtml } from '../../core/segregation/statement-report.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import {
  proFormaView,
  readScales,
  statementDiffView,
  statementSummaryView,
  statementView,
  targetsView,
} from '../../service/segregation/segregation-views.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp, AppEnv } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { parseSegregationAmount } from '../segregation-amount.ts';
import {
  list,
  ProFormaSchema,
  StatementDiffSchema,
  StatementSchema,
  StatementSummarySchema,
  TargetsSchema,
} from '../segregation-schema.ts';
import {
  nowOf,
  requireSegregation,
  SEGREGATION_READERS,
  type SegregationApiServices,
  segregationOf,
  valueOrThrow,
} from '../segregation-services.ts';
import { registerResidualInterestRoutes } from './residual-interest-routes.ts';
import { registerSegregationAlertRoutes } from './segregation-alert-routes.ts';
import { registerSegregationReconciliationRoutes } from './segregation-reconciliation-routes.ts';

const TAGS = ['segregation'];

const IdParamsSchema = z.object({ id: z.string().openapi({ example: 'seg-2030-01-01-1' }) });

const ComputeSchema = z
  .object({
    businessDate: z
      .string()
      .optional()
      .openapi({ description: 'The business day (YYYY-MM-DD) reported; default today (UTC)' }),
    cutoffSeq: z.number().int().min(0).optional().openapi({
      description: "The journal position to compute at; default the last batch before the day's close",
    }),
    supersedes: z
      .string()
      .optional()
      .openapi({ description: 'The finalised statement this one corrects (same business date)' }),
  })
  .openapi('SegregationComputeRequest');

const TargetRequestSchema = z
  .object({
    asset: z.string().openapi({ example: 'BTC' }),
    accountClass: z.string().openapi({ example: 'derivatives' }),
    amount: z
      .string()
      .openapi({ description: 'Decimal string at the asset scale; zero allowed', example: '0.5' }),
    approvalReference: z
      .string()
      .openapi({ description: 'Where the board approved it', example: 'minute 4' }),
  })
  .openapi('SegregationTargetRequest');

const statementResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: StatementSchema } },
});

const computeRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/statements',
  tags: TAGS,
  summary: 'Compute a draft statement per asset and account class, as of a cut-off',
  description:
    "The cut-off is the journal position `cutoffSeq`, or the last batch before the business day's close. A second statement for a finalised day must name the one it corrects in `supersedes`. Raises alerts (deficiency, below target).",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'officer')] as const,
  request: { body: { required: false, content: { 'application/json': { schema: ComputeSchema } } } },
  responses: {
    201: statementResponse('The draft'),
    ...errorResponses(400, 403, 404, 415, 422),
  },
});

const finaliseRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/statements/{id}/finalise',
  tags: TAGS,
  summary: 'Finalise and seal a draft: hash-linked to the journal head at its cut-off, never changed again',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'officer')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: statementResponse('The sealed statement'),
    ...errorResponses(403, 404, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/statements',
  tags: TAGS,
  summary: 'Every statement, newest business date first',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'Statements',
      content: { 'application/json': { schema: z.object({ statements: list(StatementSummarySchema) }) } },
    },
    ...errorResponses(403),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/statements/{id}',
  tags: TAGS,
  summary: 'One statement as JSON (with the seal checked), CSV, or the printable HTML document',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  request: {
    params: IdParamsSchema,
    query: z.object({ format: z.enum(['json', 'csv', 'html']).optional() }),
  },
  responses: {
    200: {
      description: 'The statement',
      content: {
        'application/json': { schema: StatementSchema },
        'text/csv': {
          schema: z.string().openapi({
            description:
              'statement_id,business_date,status,hash,cutoff_seq,asset,account_class,line,label,amount',
          }),
        },
        'text/html': {
          schema: z.string().openapi({ description: 'A self-contained printable A4 document' }),
        },
      },
    },
    ...errorResponses(400, 403, 404),
  },
});

const diffRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/statements/{id}/diff/{otherId}',
  tags: TAGS,
  summary: 'The lines that differ from statement {id} to statement {otherId}',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  request: {
    params: z.object({ id: z.string(), otherId: z.string() }),
    query: z.object({ format: z.enum(['json', 'csv']).optional() }),
  },
  responses: {
    200: {
      description: 'The differences',
      content: {
        'application/json': { schema: StatementDiffSchema },
        'text/csv': {
          schema: z.string().openapi({ description: 'asset,account_class,line,label,from,to,change' }),
        },
      },
    },
    ...errorResponses(400, 403, 404),
  },
});

const proFormaRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/pro-forma',
  tags: TAGS,
  summary: 'The statement lines at the journal head now (computed, not recorded)',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: { description: 'The segments', content: { 'application/json': { schema: ProFormaSchema } } },
    ...errorResponses(403),
  },
});

const putTargetRoute = createRoute({
  method: 'put',
  path: '/v1/segregation/targets',
  tags: TAGS,
  summary: "Record a new version of a segment's targeted residual interest (officers only)",
  security: BEARER_SECURITY,
  middleware: [allowRoles('officer')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: TargetRequestSchema } } } },
  responses: {
    200: {
      description: 'Every target and the history',
      content: { 'application/json': { schema: TargetsSchema } },
    },
    ...errorResponses(400, 403, 415, 422),
  },
});

const getTargetsRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/targets',
  tags: TAGS,
  summary: 'The targets in force and every version ever set',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: { description: 'Targets', content: { 'application/json': { schema: TargetsSchema } } },
    ...errorResponses(403),
  },
});

/** Registers every /v1/segregation route; without segregation services they answer 503. */
export function registerSegregationRoutes(
  app: ApiApp,
  ledger: LedgerService,
  segregation: SegregationApiServices | undefined,
): void {
  app.use('/v1/segregation/*', requireSegregation(segregation));
  const services = () => segregationOf(segregation);
  const byOf = (c: Context<AppEnv>) => c.get('principal').keyId;

  const statementOrThrow = (id: string) => {
    const record = services().service.getStatement(id);
    if (record === undefined) throw new ApiError('statement_unknown', `no statement ${id}`, { id });
    return record;
  };

  app.openapi(computeRoute, async (c) => {
    const body = c.req.valid('json');
    const { service } = services();
    const computed = valueOrThrow(
      await service.compute({
        ...(body.businessDate === undefined ? {} : { businessDate: body.businessDate }),
        ...(body.cutoffSeq === undefined ? {} : { cutoffSeq: body.cutoffSeq }),
        ...(body.supersedes === undefined ? {} : { supersedes: body.supersedes }),
        by: byOf(c),
      }),
    );
    return c.json(statementView(statementOrThrow(computed.id), await readScales(ledger)), 201);
  });

  app.openapi(finaliseRoute, async (c) => {
    const { id } = c.req.valid('param');
    valueOrThrow(await services().service.finalise(id, byOf(c)));
    return c.json(statementView(statementOrThrow(id), await readScales(ledger)), 200);
  });

  app.openapi(listRoute, async (c) => {
    const scaleOf = await readScales(ledger);
    const statements = services()
      .service.listStatements()
      .map((record) => statementSummaryView(record, scaleOf));
    return c.json({ statements }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { format = 'json' } = c.req.valid('query');
    const record = statementOrThrow(id);
    const scaleOf = await readScales(ledger);
    const statement = record.sealed ?? record.draft;
    switch (format) {
      case 'csv':
        return c.body(statementCsv(statement, scaleOf), 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${statement.id}.csv"`,
        });
      case 'html': {
        const { firmName } = services();
        const html = statementHtml(statement, scaleOf, { firmName, generatedAtMs: nowOf(services()) });
        return c.body(html, 200, { 'content-type': 'text/html; charset=utf-8' });
      }
      case 'json':
        return c.json(statementView(record, scaleOf), 200);
    }
  });

  app.openapi(diffRoute, async (c) => {
    const { id, otherId } = c.req.valid('param');
    const { format = 'json' } = c.req.valid('query');
    const differences = valueOrThrow(services().service.diff(id, otherId));
    const scaleOf = await readScales(ledger);
    if (format === 'csv') {
      return c.body(diffCsv(differences, scaleOf), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${id}-to-${otherId}.csv"`,
      });
    }
    return c.json(statementDiffView(id, otherId, differences, scaleOf), 200);
  });

  app.openapi(proFormaRoute, async (c) => {
    const segregationServices = services();
    const segments = await segregationServices.service.proForma();
    return c.json(proFormaView(segments, nowOf(segregationServices), await readScales(ledger)), 200);
  });

  app.openapi(putTargetRoute, async (c) => {
    const body = c.req.valid('json');
    const { service } = services();
    const amountMinor = valueOrThrow(
      await ledger.read((engine) =>
        parseSegregationAmount(engine, {
          asset: body.asset,
          amount: body.amount,
          field: 'amount',
          allowZero: true,
        }),
      ),
    );
    valueOrThrow(
      await service.setTarget({
        asset: body.asset,
        accountClass: body.accountClass,
        amountMinor,
        approvalReference: body.approvalReference,
        by: byOf(c),
      }),
    );
    return c.json(targetsView(service.state, await readScales(ledger)), 200);
  });

  app.openapi(getTargetsRoute, async (c) => {
    return c.json(targetsView(services().service.state, await readScales(ledger)), 200);
  });

  registerSegregationReconciliationRoutes(app, ledger, segregation);
  registerResidualInterestRoutes(app, ledger, segregation);
  registerSegregationAlertRoutes(app, ledger, segregation);
}
