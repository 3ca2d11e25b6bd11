// Withdrawals: a customer's instruction (POST /v1/withdrawals) places the ledger hold and is decided by the
// vault's policy; approvers' signatures are counted (POST .../approvals); the operator executes it on chain
// or it is cancelled. Customer keys instruct, read, approve and cancel only their own requests.

import { createRoute, z } from '@hono/zod-openapi';
import { parseAmount } from '../../core/money/amount.ts';
import { WITHDRAWAL_STATES } from '../../service/custody/custody-state.ts';
import type { WithdrawalResult } from '../../service/custody/withdrawal-service.ts';
import type { WithdrawalView } from '../../service/custody/withdrawal-view.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { assetScaleOf } from '../../service/ledger-views.ts';
import { scopeCustomerFilter } from '../access.ts';
import { AmountSchema } from '../account-schema.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp, Principal } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { type CustodyApiServices, requireCustody, withdrawalsOf } from '../custody-services.ts';
import { errorResponses } from '../error-schema.ts';
import { toWithdrawalJson, WithdrawalResultSchema, WithdrawalSchema } from '../withdrawal-schema.ts';

const REQUEST_ID_PATTERN = /^(0x)?[0-9a-fA-F]{64}$/;

/** A request id on the wire: 64 hex digits, with or without 0x; the service's form is 0x and lower case. */
const RequestIdSchema = z
  .string()
  .regex(REQUEST_ID_PATTERN)
  .openapi({
    description: '32 bytes chosen by the client, the idempotency key of the whole flow: 0x and 64 hex digits',
    example: `0x${'ab'.repeat(32)}`,
  });

const RequestIdParamsSchema = z.object({
  id: z.string().openapi({ description: 'The request id (0x and 64 hex digits)' }),
});

const WithdrawalRequestSchema = z
  .object({
    requestId: RequestIdSchema,
    customerId: z
      .string()
      .optional()
      .openapi({ description: "Required for operator keys; a customer key's own customer otherwise" }),
    vaultId: z.string().openapi({ example: 'vault:derivatives' }),
    asset: z.string().openapi({ example: 'USDC' }),
    amount: AmountSchema,
    destination: z.string().openapi({ description: 'EVM address (lower case or EIP-55)' }),
    expiresAt: z.iso.datetime({ offset: true }).openapi({
      description: 'ISO-8601 with an offset; rounded down to whole seconds',
      example: '2030-01-01T02:00:00Z',
    }),
    nonce: z
      .string()
      .regex(/^(0|[1-9][0-9]{0,77})$/)
      .optional()
      .openapi({ description: "The vault's next withdrawal nonce, as a decimal string; omit to take it" }),
  })
  .openapi('WithdrawalRequest');

const ApprovalsSchema = z
  .object({
    signatures: z
      .array(z.string())
      .min(1)
      .max(64)
      .openapi({ description: '65-byte ECDSA signatures (0x and 130 hex digits, v 27/28) over the digest' }),
  })
  .openapi('WithdrawalApprovals');

const resultResponses = {
  200: {
    description: "The request's current view",
    content: { 'application/json': { schema: WithdrawalResultSchema } },
  },
  ...errorResponses(400, 403, 409, 413, 415, 422),
} as const;

const requestRoute = createRoute({
  method: 'post',
  path: '/v1/withdrawals',
  tags: ['withdrawals'],
  summary: "A customer's withdrawal instruction: hold, policy decision, then approvals",
  description:
    'Customer keys request for themselves only; operator keys name the customer. A policy denial is recorded (state rejected, hold voided) and answered 201 with the decision.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'customer')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: WithdrawalRequestSchema } } } },
  responses: {
    201: { description: 'Recorded', content: { 'application/json': { schema: WithdrawalResultSchema } } },
    200: {
      description: 'Already recorded with this content: its current view',
      content: { 'application/json': { schema: WithdrawalResultSchema } },
    },
    ...errorResponses(400, 403, 409, 413, 415, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/withdrawals',
  tags: ['withdrawals'],
  summary: 'List withdrawal requests, oldest first',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'customer')] as const,
  request: {
    query: z.object({
      state: z.enum(WITHDRAWAL_STATES).optional(),
      customerId: z.string().optional(),
      vaultId: z.string().optional(),
    }),
  },
  responses: {
    200: {
      description: 'Withdrawal requests',
      content: { 'application/json': { schema: z.object({ withdrawals: z.array(WithdrawalSchema) }) } },
    },
    ...errorResponses(400, 403),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/withdrawals/{id}',
  tags: ['withdrawals'],
  summary:
    'One withdrawal: state, decision and why, approvals, missing approvals, digest, execution, history',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'customer')] as const,
  request: { params: RequestIdParamsSchema },
  responses: {
    200: { description: 'The request', content: { 'application/json': { schema: WithdrawalSchema } } },
    ...errorResponses(400, 403, 404),
  },
});

const approvalsRoute = createRoute({
  method: 'post',
  path: '/v1/withdrawals/{id}/approvals',
  tags: ['withdrawals'],
  summary: "Submit approvers' signatures over the request's digest",
  description:
    'Any role may submit signatures: each is verified cryptographically against the signer registry and the decision. Customer keys only for their own requests.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor', 'customer')] as const,
  request: {
    params: RequestIdParamsSchema,
    body: { required: true, content: { 'application/json': { schema: ApprovalsSchema } } },
  },
  responses: resultResponses,
});

const executeRoute = createRoute({
  method: 'post',
  path: '/v1/withdrawals/{id}/execute',
  tags: ['withdrawals'],
  summary: 'Execute an approved request on chain (platform signs, the trustee co-signs after its checks)',
  description: 'A revert is recorded (state failed, hold voided) and answered 200; refusals change nothing.',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: { params: RequestIdParamsSchema },
  responses: resultResponses,
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/withdrawals/{id}/cancel',
  tags: ['withdrawals'],
  summary: 'Cancel a request before execution (a timelocked one only while its timelock runs)',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'customer')] as const,
  request: { params: RequestIdParamsSchema },
  responses: resultResponses,
});

/** Registers the withdrawal routes; without custody services they answer 503 `custody_unavailable`. */
export function registerWithdrawalRoutes(
  app: ApiApp,
  service: LedgerService,
  custody: CustodyApiServices | undefined,
): void {
  app.use('/v1/withdrawals', requireCustody(custody));
  app.use('/v1/withdrawals/*', requireCustody(custody));

  const viewOf = async (view: WithdrawalView) =>
    toWithdrawalJson(view, await service.read((engine) => assetScaleOf(engine, view.asset)));

  const answer = async (result: WithdrawalResult) => {
    if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error.details);
    return { withdrawal: await viewOf(result.withdrawal), duplicate: result.duplicate };
  };

  app.openapi(requestRoute, async (c) => {
    const body = c.req.valid('json');
    const customerId = instructingCustomer(c.get('principal'), body.customerId);
    const amountMinor = await service.read((engine) => {
      const asset = engine.getAsset(body.asset);
      if (asset === undefined) {
        throw new ApiError('asset_unknown', `asset ${body.asset} is not registered`, { asset: body.asset });
      }
      const parsed = parseAmount(body.amount, asset.scale);
      if (!parsed.ok) throw new ApiError(parsed.error.code, parsed.error.message, { field: 'amount' });
      return parsed.value;
    });
    const result = await withdrawalsOf(custody).requestWithdrawal({
      requestId: normaliseRequestId(body.requestId),
      customerId,
      vaultId: body.vaultId,
      asset: body.asset,
      amountMinor,
      destination: body.destination,
      // The digest binds whole seconds; rounding down only makes the request expire earlier.
      expiresAtSeconds: BigInt(Math.floor(Date.parse(body.expiresAt) / 1000)),
      nonce: body.nonce === undefined ? null : BigInt(body.nonce),
    });
    const answered = await answer(result);
    return answered.duplicate ? c.json(answered, 200) : c.json(answered, 201);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const customerId = scopeCustomerFilter(c.get('principal'), query.customerId);
    const views = withdrawalsOf(custody)
      .listWithdrawals()
      .filter(
        (view) =>
          (query.state === undefined || view.state === query.state) &&
          (customerId === undefined || view.customerId === customerId) &&
          (query.vaultId === undefined || view.vaultId === query.vaultId),
      );
    const withdrawals = await service.read((engine) =>
      views.map((view) => toWithdrawalJson(view, assetScaleOf(engine, view.asset))),
    );
    return c.json({ withdrawals }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const id = requestIdParamOrThrow(c.req.valid('param').id);
    const view = withdrawalsOf(custody).getWithdrawal(id);
    if (view === null) throw new ApiError('not_found', `no withdrawal request ${id}`);
    requireOwnRequest(c.get('principal'), view);
    return c.json(await viewOf(view), 200);
  });

  app.openapi(approvalsRoute, async (c) => {
    const id = requestIdParamOrThrow(c.req.valid('param').id);
    const withdrawals = withdrawalsOf(custody);
    visibleRequestOrThrow(c.get('principal'), withdrawals.getWithdrawal(id), id);
    const result = await withdrawals.submitApprovals(id, c.req.valid('json').signatures);
    return c.json(await answer(result), 200);
  });

  app.openapi(executeRoute, async (c) => {
    const id = requestIdParamOrThrow(c.req.valid('param').id);
    return c.json(await answer(await withdrawalsOf(custody).executeWithdrawal(id)), 200);
  });

  app.openapi(cancelRoute, async (c) => {
    const id = requestIdParamOrThrow(c.req.valid('param').id);
    const principal = c.get('principal');
    const withdrawals = withdrawalsOf(custody);
    visibleRequestOrThrow(principal, withdrawals.getWithdrawal(id), id);
    const cancelledBy = principal.customerId ?? `${principal.role}:${principal.keyId}`;
    return c.json(await answer(await withdrawals.cancelWithdrawal(id, cancelledBy)), 200);
  });
}

/** The service's form of a request id: 0x and 64 lower-case hex digits. */
export function normaliseRequestId(text: string): string {
  return (text.startsWith('0x') ? text : `0x${text}`).toLowerCase();
}

function requestIdParamOrThrow(text: string): string {
  if (!REQUEST_ID_PATTERN.test(text)) {
    throw new ApiError('withdrawal_request_id_invalid', 'a request id is 32 bytes: 0x and 64 hex digits', {
      field: 'id',
    });
  }
  return normaliseRequestId(text);
}

// A customer key instructs for itself; an operator names the customer whose instruction it relays.
function instructingCustomer(principal: Principal, requested: string | undefined): string {
  if (principal.customerId !== null) {
    if (requested !== undefined && requested !== principal.customerId) {
      throw new ApiError('forbidden_not_own_account', 'a customer key requests withdrawals only for itself', {
        customerId: requested,
      });
    }
    return principal.customerId;
  }
  if (requested === undefined) {
    throw new ApiError('request_invalid', 'an operator names the customer: customerId is required', {
      target: 'json',
      issues: [{ path: 'customerId', code: 'invalid_type', message: 'required for operator keys' }],
    });
  }
  return requested;
}

function requireOwnRequest(principal: Principal, view: WithdrawalView): void {
  if (principal.customerId !== null && view.customerId !== principal.customerId) {
    throw new ApiError('forbidden_not_own_account', `a customer key cannot see withdrawal ${view.requestId}`);
  }
}

// Writes to an unknown request answer the service's own code; a customer's writes to another customer's
// request are 403 whether or not it exists, like every other customer-scoped route.
function visibleRequestOrThrow(principal: Principal, view: WithdrawalView | null, id: string): void {
  if (view === null) {
    if (principal.customerId !== null) {
      throw new ApiError('forbidden_not_own_account', `a customer key cannot act on withdrawal ${id}`);
    }
    return;
  }
  requireOwnRequest(principal, view);
}
