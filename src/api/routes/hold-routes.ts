// Holds (pending transfers placed with POST /v1/transfers and `hold`): post all or part, void, read one,
// list the pending ones. A customer key posts and voids only holds it instructed, and sees only its own.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerEngine } from '../../core/ledger/engine.ts';
import { parseAmount } from '../../core/money/amount.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { assetScaleOf, toHoldView } from '../../service/ledger-views.ts';
import { canSeeAccounts, requireVisible } from '../access.ts';
import { AmountSchema } from '../account-schema.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp, Principal } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { HoldSchema } from '../hold-schema.ts';
import { submitOneOrThrow } from '../submit-command.ts';
import { normaliseTransferIdOrThrow, TransferIdSchema } from '../transfer-id.ts';
import { CommittedSchema } from './transfer-routes.ts';

const HoldParamsSchema = z.object({
  holdId: z.string().openapi({ description: 'The id of the transfer that placed the hold' }),
});

const PostHoldSchema = z
  .object({
    id: TransferIdSchema,
    amount: AmountSchema.optional().openapi({
      description: 'Omit to post the full pending amount; less releases the rest',
    }),
  })
  .openapi('PostHold');

const VoidHoldSchema = z.object({ id: TransferIdSchema }).openapi('VoidHold');

const writeResponses = {
  201: { description: 'Committed', content: { 'application/json': { schema: CommittedSchema } } },
  200: {
    description: 'Already committed with this content (idempotent retry)',
    content: { 'application/json': { schema: CommittedSchema } },
  },
  ...errorResponses(400, 403, 409, 413, 415, 422),
} as const;

const postHoldRoute = createRoute({
  method: 'post',
  path: '/v1/holds/{holdId}/post',
  tags: ['holds'],
  summary: 'Post a pending hold, in full or in part',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'customer'),
  request: {
    params: HoldParamsSchema,
    body: { required: true, content: { 'application/json': { schema: PostHoldSchema } } },
  },
  responses: writeResponses,
});

const voidHoldRoute = createRoute({
  method: 'post',
  path: '/v1/holds/{holdId}/void',
  tags: ['holds'],
  summary: 'Void a pending hold, releasing its reservation',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'customer'),
  request: {
    params: HoldParamsSchema,
    body: { required: true, content: { 'application/json': { schema: VoidHoldSchema } } },
  },
  responses: writeResponses,
});

const getHoldRoute = createRoute({
  method: 'get',
  path: '/v1/holds/{id}',
  tags: ['holds'],
  summary: 'Get a hold and its status',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The hold', content: { 'application/json': { schema: HoldSchema } } },
    ...errorResponses(400, 403, 404),
  },
});

const listHoldsRoute = createRoute({
  method: 'get',
  path: '/v1/holds',
  tags: ['holds'],
  summary: 'List pending holds',
  security: BEARER_SECURITY,
  middleware: allowRoles('operator', 'auditor', 'customer'),
  request: { query: z.object({ status: z.enum(['pending']).default('pending') }) },
  responses: {
    200: {
      description: 'Pending holds',
      content: { 'application/json': { schema: z.object({ holds: z.array(HoldSchema) }) } },
    },
    ...errorResponses(400),
  },
});

/** Registers the hold routes. */
export function registerHoldRoutes(app: ApiApp, service: LedgerService): void {
  app.openapi(postHoldRoute, async (c) => {
    const holdId = normaliseTransferIdOrThrow(c.req.valid('param').holdId, 'holdId');
    const request = c.req.valid('json');
    const id = normaliseTransferIdOrThrow(request.id, 'id');
    const principal = c.get('principal');
    const amountMinor = await service.readImmutable((engine) => {
      const scale = holdScaleOrThrow(engine, principal, holdId);
      if (request.amount === undefined) return null;
      const parsed = parseAmount(request.amount, scale);
      if (!parsed.ok) throw new ApiError(parsed.error.code, parsed.error.message);
      return parsed.value;
    });
    const accepted = await submitOneOrThrow(service, { type: 'post_hold', id, holdId, amountMinor });
    const body = { id, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(voidHoldRoute, async (c) => {
    const holdId = normaliseTransferIdOrThrow(c.req.valid('param').holdId, 'holdId');
    const id = normaliseTransferIdOrThrow(c.req.valid('json').id, 'id');
    const principal = c.get('principal');
    await service.readImmutable((engine) => holdScaleOrThrow(engine, principal, holdId));
    const accepted = await submitOneOrThrow(service, { type: 'void_hold', id, holdId });
    const body = { id, ...accepted };
    return accepted.duplicate ? c.json(body, 200) : c.json(body, 201);
  });

  app.openapi(getHoldRoute, async (c) => {
    const id = normaliseTransferIdOrThrow(c.req.valid('param').id, 'id');
    const principal = c.get('principal');
    const view = await service.read((engine) => {
      const hold = engine.getHold(id);
      if (hold === undefined) throw new ApiError('not_found', `no hold ${id}`);
      requireVisible(canSeeAccounts(engine, principal, [hold.leg.debit, hold.leg.credit]), `hold ${id}`);
      return toHoldView(engine, hold);
    });
    return c.json(view, 200);
  });

  app.openapi(listHoldsRoute, async (c) => {
    const principal = c.get('principal');
    const holds = await service.read((engine) =>
      engine
        .listPendingHolds()
        .filter((hold) => canSeeAccounts(engine, principal, [hold.leg.debit, hold.leg.credit]))
        .map((hold) => toHoldView(engine, hold)),
    );
    return c.json({ holds }, 200);
  });
}

/**
 * The scale of the hold's asset, after checking the hold exists (422 `hold_not_found`, so an unknown hold
 * never reaches the writer) and that a customer key instructed it (403 `forbidden_not_own_account`).
 */
function holdScaleOrThrow(engine: LedgerEngine, principal: Principal, holdId: string): number {
  const hold = engine.getHold(holdId);
  if (hold === undefined) throw new ApiError('hold_not_found', `no hold ${holdId}`);
  if (principal.customerId !== null) {
    const placed = engine.getTransfer(holdId);
    const instructedBy = placed?.entry.type === 'transfer' ? placed.entry.instructedBy : null;
    if (instructedBy !== principal.customerId) {
      throw new ApiError('forbidden_not_own_account', `a customer key settles only holds it placed`, {
        holdId,
      });
    }
  }
  return assetScaleOf(engine, hold.leg.asset);
}
