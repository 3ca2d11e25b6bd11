// Insolvency resolution over HTTP: officers request and approve the freeze (two distinct officer keys); once
// frozen, operators and officers record recovered debts, operators, auditors and officers read the
// distribution and the resolution pack (JSON, CSV, HTML), and a customer key reads its own statement only.
// Contagion simulations run against the books as they stand, frozen or not.

import { createRoute, z } from '@hono/zod-openapi';
import { renderContagionTable } from '../../core/resolution/contagion-table.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { scenarioFromJson } from '../../service/resolution/contagion-scenarios.ts';
import { isPackCsvSection, PACK_CSV_SECTIONS, packCsvChunks } from '../../service/resolution/pack-csv.ts';
import { packHtmlChunks } from '../../service/resolution/pack-html.ts';
import { packJsonChunks } from '../../service/resolution/pack-json.ts';
import {
  parseResolutionAmount,
  type ResolutionService,
} from '../../service/resolution/resolution-service.ts';
import {
  contagionReportJson,
  distributionJson,
  resolutionStatusJson,
} from '../../service/resolution/resolution-views.ts';
import { readScales } from '../../service/segregation/segregation-views.ts';
import { scopeCustomerFilter } from '../access.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import {
  ContagionReportSchema,
  CustomerResolutionSchema,
  DistributionSchema,
  FreezeRequestSchema,
  RecoveryRequestSchema,
  ResolutionStatusSchema,
  ScenarioRequestSchema,
} from '../resolution-schema.ts';
import { valueOrThrow } from '../segregation-services.ts';

/** What `createApp` takes to serve insolvency resolution. */
export interface ResolutionApiServices {
  readonly service: ResolutionService;
  /** The firm named on the resolution pack. */
  readonly firmName: string;
}

const TAGS = ['resolution'];
const READERS = ['operator', 'auditor', 'officer'] as const;

const json = <T>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

const statusRoute = createRoute({
  method: 'get',
  path: '/v1/resolution',
  tags: TAGS,
  summary: 'Whether the books are open, a freeze awaits its second officer, or they are frozen (and where)',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'officer', 'customer')] as const,
  responses: { 200: json('The status', ResolutionStatusSchema), ...errorResponses(403) },
});

const requestFreezeRoute = createRoute({
  method: 'post',
  path: '/v1/resolution/freeze',
  tags: TAGS,
  summary: 'Request a freeze of the books for an insolvency resolution (officer)',
  description:
    'A second, distinct officer must approve it. Until then the ledger keeps taking commands. Refused with freeze_already_requested while one awaits approval, freeze_already_frozen once frozen.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('officer')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: FreezeRequestSchema } } } },
  responses: { 201: json('Requested', ResolutionStatusSchema), ...errorResponses(400, 403, 422) },
});

const approveFreezeRoute = createRoute({
  method: 'post',
  path: '/v1/resolution/freeze/approve',
  tags: TAGS,
  summary:
    'Approve the pending freeze (a second, distinct officer): the books are pinned at the journal head',
  description:
    'From this moment the ledger refuses every command (transfers, holds, withdrawals, registrations) with 422 ledger_frozen, also after a restart. Refused with freeze_not_requested, freeze_approval_same_officer or freeze_already_frozen.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('officer')] as const,
  responses: { 200: json('Frozen', ResolutionStatusSchema), ...errorResponses(403, 422) },
});

const recoveryRoute = createRoute({
  method: 'post',
  path: '/v1/resolution/recoveries',
  tags: TAGS,
  summary: "Record a debt recovered from a deficit customer: that estate's distribution is recomputed",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'officer')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: RecoveryRequestSchema } } } },
  responses: {
    201: json('Recorded; the distribution with it', DistributionSchema),
    ...errorResponses(400, 403, 422),
  },
});

const distributionRoute = createRoute({
  method: 'get',
  path: '/v1/resolution/distribution',
  tags: TAGS,
  summary: "Every estate's property, claims and pro-rata distribution at the pinned position",
  security: BEARER_SECURITY,
  middleware: [allowRoles(...READERS)] as const,
  responses: { 200: json('The distribution', DistributionSchema), ...errorResponses(403, 422) },
});

const customerRoute = createRoute({
  method: 'get',
  path: '/v1/resolution/customers/{customerId}',
  tags: TAGS,
  summary:
    "One customer's statement: claims per estate, payouts, unpaid parts, debts (a customer key: its own)",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'officer', 'customer')] as const,
  request: { params: z.object({ customerId: z.string().openapi({ example: 'alice' }) }) },
  responses: { 200: json('The statement', CustomerResolutionSchema), ...errorResponses(403, 404, 422) },
});

const packRoute = createRoute({
  method: 'get',
  path: '/v1/resolution/pack',
  tags: TAGS,
  summary:
    'The resolution pack as JSON, CSV (every section, or one with section=) or a printable HTML report',
  description:
    'Format ringfence-resolution-pack-v1 (docs/resolution.md). Needs the books frozen, unless simulated=true asks for a dry run at the journal head (nothing is frozen).',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...READERS)] as const,
  request: {
    query: z.object({
      format: z.enum(['json', 'csv', 'html']).optional(),
      section: z
        .string()
        .optional()
        .openapi({
          description: `With format=csv, one section: ${Object.keys(PACK_CSV_SECTIONS).join(', ')}`,
        }),
      simulated: z.enum(['true', 'false']).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The pack',
      content: {
        'application/json': { schema: z.unknown().openapi({ description: 'ringfence-resolution-pack-v1' }) },
        'text/csv': { schema: z.string() },
        'text/html': { schema: z.string() },
      },
    },
    ...errorResponses(400, 403, 422),
  },
});

const simulateRoute = createRoute({
  method: 'post',
  path: '/v1/resolution/simulations',
  tags: TAGS,
  summary: 'Run a contagion scenario on the current books: recoveries segregated vs commingled',
  description:
    'A built-in scenario by name (house-loss, hot-wallet-hack, customer-default, custodian-failure) or events in full. format=text answers the plain-text table. Nothing is recorded.',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...READERS)] as const,
  request: {
    query: z.object({ format: z.enum(['json', 'text']).optional() }),
    body: { required: true, content: { 'application/json': { schema: ScenarioRequestSchema } } },
  },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': { schema: ContagionReportSchema },
        'text/plain': { schema: z.string() },
      },
    },
    ...errorResponses(400, 403, 422),
  },
});

/** Registers the resolution routes; without services they answer 503 `resolution_unavailable`. */
export function registerResolutionRoutes(
  app: ApiApp,
  ledger: LedgerService,
  resolution: ResolutionApiServices | undefined,
): void {
  const services = (): ResolutionApiServices => {
    if (resolution === undefined) {
      throw new ApiError('resolution_unavailable', 'this server runs without the resolution service');
    }
    return resolution;
  };
  const status = async () => {
    const scaleOf = await readScales(ledger);
    return resolutionStatusJson(services().service.status(), scaleOf);
  };

  app.openapi(statusRoute, async (c) => c.json(await status(), 200));

  app.openapi(requestFreezeRoute, async (c) => {
    const { reason } = c.req.valid('json');
    valueOrThrow(await services().service.requestFreeze({ reason, by: c.get('principal').keyId }));
    return c.json(await status(), 201);
  });

  app.openapi(approveFreezeRoute, async (c) => {
    valueOrThrow(await services().service.approveFreeze({ by: c.get('principal').keyId }));
    return c.json(await status(), 200);
  });

  app.openapi(recoveryRoute, async (c) => {
    const body = c.req.valid('json');
    const scales = await ledger.read((engine) => new Map(engine.listAssets().map((a) => [a.code, a.scale])));
    const amountMinor = valueOrThrow(parseResolutionAmount(scales, body.asset, body.amount, 'amount'));
    const computed = valueOrThrow(
      await services().service.recordRecovery({
        customerId: body.customerId,
        asset: body.asset,
        accountClass: body.accountClass,
        amountMinor,
        reference: body.reference,
        by: c.get('principal').keyId,
      }),
    );
    return c.json(distributionJson(computed), 201);
  });

  app.openapi(distributionRoute, async (c) => {
    const computed = valueOrThrow(await services().service.resolution());
    return c.json(distributionJson(computed), 200);
  });

  app.openapi(customerRoute, async (c) => {
    const customerId = scopeCustomerFilter(c.get('principal'), c.req.valid('param').customerId)!;
    const service = services().service;
    const statement = valueOrThrow(await service.customerStatement(customerId));
    return c.json({ pinnedSeq: service.status().freeze!.approval!.pin.seq, ...statement }, 200);
  });

  app.openapi(packRoute, async (c) => {
    const { format = 'json', section, simulated } = c.req.valid('query');
    if (section !== undefined && (format !== 'csv' || !isPackCsvSection(section))) {
      throw new ApiError(
        'request_invalid',
        `section is one of ${Object.keys(PACK_CSV_SECTIONS).join(', ')}, with format=csv`,
        {
          section,
        },
      );
    }
    const { service, firmName } = services();
    const computed =
      simulated === 'true' ? await service.simulatedResolution() : valueOrThrow(await service.resolution());
    const pack = await service.pack(computed, { firmName });
    const name = `resolution-pack-${computed.journal.seq}${computed.simulated ? '-simulated' : ''}`;
    switch (format) {
      case 'csv':
        return c.body(
          streamOf(packCsvChunks(pack, section === undefined ? {} : { section: section as never })),
          200,
          {
            'content-type': 'text/csv; charset=utf-8',
            'content-disposition': `attachment; filename="${name}${section === undefined ? '' : `-${section}`}.csv"`,
          },
        );
      case 'html':
        return c.body(streamOf(packHtmlChunks(pack)), 200, { 'content-type': 'text/html; charset=utf-8' });
      case 'json':
        return c.body(streamOf(packJsonChunks(pack)), 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.json"`,
        });
    }
  });

  app.openapi(simulateRoute, async (c) => {
    const { format = 'json' } = c.req.valid('query');
    const body = c.req.valid('json');
    const service = services().service;
    let input: Parameters<ResolutionService['simulate']>[0];
    if ('builtIn' in body) input = { builtIn: body.builtIn };
    else {
      const scales = await ledger.read(
        (engine) => new Map(engine.listAssets().map((a) => [a.code, a.scale])),
      );
      const converted = scenarioFromJson(body, scales);
      if (!converted.ok)
        throw new ApiError(converted.error.code, converted.error.message, converted.error.details);
      input = { scenario: converted.scenario, houseCreditors: converted.houseCreditors };
    }
    const result = valueOrThrow(await service.simulate(input));
    if (format === 'text') {
      return c.text(renderContagionTable(result.report, result.scales), 200);
    }
    return c.json(contagionReportJson(result), 200);
  });
}

/** A stream of the chunks, encoded as UTF-8 one at a time: a pack of millions of lines is never one string. */
function streamOf(chunks: Iterable<string>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.iterator]();
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      const next = iterator.next();
      if (next.done === true) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
  });
}
