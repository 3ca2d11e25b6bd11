// Transfers: POST /v1/transfers commits one (or places a hold), POST /v1/transfers/batch commits up to
// BATCH_COMMANDS_MAX with a result per item, GET /v1/transfers/{id} reads a committed one.

import { createRoute, z } from '@hono/zod-openapi';
import { assert } from '../../core/assert.ts';
import { BATCH_COMMANDS_MAX } from '../../core/ledger/limits.ts';
import type { TransferCommand } from '../../core/ledger/types.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { canSeeAccounts, requireVisible } from '../access.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { ErrorSchema, errorResponses } from '../error-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';
import { normaliseTransferIdOrThrow } from '../transfer-id.ts';
import { buildTransferCommand, TransferRequestSchema } from '../transfer-request.ts';
import { accountsTouchedBy, isTransferEntry, TransferSchema, toTransferView } from '../transfer-view.ts';

/** What an accepted transfer, post or void answers. */
export const CommittedSchema = z
  .object({
    id: z.string().openapi({ description: 'The id in engine form (32 lower-case hex digits)' }),
    seq: z.number().int().openapi({ description: 'Journal batch holding it' }),
    duplicate: z
      .boolean()
      .openapi({ description: 'True when this id was already committed with this content' }),
  })
  .openapi('Committed');

const BatchRequestSchema = z
  .object({ transfers: z.array(TransferRequestSchema).max(BATCH_COMMANDS_MAX) })
  .openapi('TransferBatchRequest');

const BatchItemResultSchema = z
  .object({
    index: z.number().int(),
    ok: z.boolean(),
    seq: z.number().int().optional(),
    duplicate: z.boolean().optional(),
    error: ErrorSchema.shape.error.optional(),
  })
  .openapi('TransferBatchItemResult');

const postTransferRoute = createRoute({
  method: 'post',
  path: '/v1/transfers',
  tags: ['transfers'],
  summary: 'Commit a transfer, or place a hold when `hold` is set',
  description:
    'Customer keys may post only withdrawal and internal_transfer kinds, debiting only their own accounts; instructedBy is forced to the caller.',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'customer'),
  request: { body: { required: true, content: { 'application/json': { schema: TransferRequestSchema } } } },
  responses: {
    201: { description: 'Committed', content: { 'application/json': { schema: CommittedSchema } } },
    200: {
      description: 'Already committed with this content (idempotent retry)',
      content: { 'application/json': { schema: CommittedSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415, 422),
  },
});

const postBatchRoute = createRoute({
  method: 'post',
  path: '/v1/transfers/batch',
  tags: ['transfers'],
  summary: `Commit up to ${BATCH_COMMANDS_MAX} transfers in one durable batch, with a result per item`,
  description: 'Items are independent: a rejected item changes nothing and does not stop the others.',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'customer'),
  request: { body: { required: true, content: { 'application/json': { schema: BatchRequestSchema } } } },
  responses: {
    200: {
      description: 'One result per item, in request order',
      content: {
        'application/json': {
          schema: z.object({ results: z.array(BatchItemResultSchema) }).openapi('TransferBatchResult'),
        },
      },
    },
    ...errorResponses(400, 403, 413, 415),
  },
});

const getTransferRoute = createRoute({
  method: 'get',
  path: '/v1/transfers/{id}',
  tags: ['transfers'],
  summary: 'Get a committed transfer, hold post or hold void',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The committed entry', content: { 'application/json': { schema: TransferSchema } } },
    ...errorResponses(400, 403, 404),
  },
});

type BatchItemResult = z.infer<typeof BatchItemResultSchema>;

/** Registers the transfer routes. */
export function registerTransferRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(postTransferRoute, async (c) => {
    const request = c.req.valid('json');
    const principal = c.get('principal');
    const built = await service.readImmutable((engine) => buildTransferCommand(engine, principal, request));
    if (!built.ok) throw ApiError.fromRejection(built.error);
    const accepted = await submitOneOrThrow(service, built.command);
    const body = { id: built.command.id, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(postBatchRoute, async (c) => {
    const { transfers } = c.req.valid('json');
    const principal = c.get('principal');
    const results: BatchItemResult[] = new Array(transfers.length);
    const commands: TransferCommand[] = [];
    const indexes: number[] = [];
    await service.readImmutable((engine) => {
      for (const [index, request] of transfers.entries()) {
        const built = buildTransferCommand(engine, principal, request);
        if (built.ok) {
          commands.push(built.command);
          indexes.push(index);
        } else {
          results[index] = { index, ok: false, error: { ...built.error } };
        }
      }
    });
    // Items rejected above never reach the writer; the rest go as one request, so one durable commit.
    const submitted = commands.length === 0 ? [] : await service.submit(commands);
    assert(submitted.length === commands.length, 'the writer answers every command');
    for (const [position, result] of submitted.entries()) {
      const index = indexes[position]!;
      results[index] = result.ok
        ? { index, ok: true, seq: result.seq, duplicate: result.duplicate }
        : { index, ok: false, error: { ...result.error } };
    }
    return c.json({ results }, 200);
  });

  app.openapi(getTransferRoute, async (c) => {
    const id = normaliseTransferIdOrThrow(c.req.valid('param').id, 'id');
    const principal = c.get('principal');
    const view = await service.read((engine) => {
      const found = engine.getTransfer(id);
      if (found === undefined || !isTransferEntry(found.entry))
        throw new ApiError('not_found', `no committed transfer ${id}`);
      requireVisible(
        canSeeAccounts(engine, principal, accountsTouchedBy(engine, found.entry)),
        `transfer ${id}`,
      );
      return toTransferView(engine, found.entry, found.seq);
    });
    return c.json(view, 200);
  });
}
