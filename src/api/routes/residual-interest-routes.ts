// The residual-interest gate under /v1/segregation: the house asks to take its own money out of segregation
// (operator), the gate executes it, refuses it (recorded) or holds it for two officer approvals (officer keys,
// the approving officer is the key); withdrawals over 25% of residual interest issue a regulator notice,
// served as JSON or as a printable text document.

import { createRoute, z } from '@hono/zod-openapi';
import type { LedgerService } from '../../service/ledger-service.ts';
import {
  noticeText,
  noticeView,
  readScales,
  residualInterestWithdrawalView,
} from '../../service/segregation/segregation-views.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { errorResponses } from '../error-schema.ts';
import { parseSegregationAmount } from '../segregation-amount.ts';
import { list, NoticeSchema, ResidualInterestWithdrawalSchema } from '../segregation-schema.ts';
import {
  SEGREGATION_READERS,
  type SegregationApiServices,
  segregationOf,
  valueOrThrow,
} from '../segregation-services.ts';

const TAGS = ['segregation'];

const WithdrawalRequestSchema = z
  .object({
    asset: z.string().openapi({ example: 'BTC' }),
    accountClass: z.string().openapi({ example: 'derivatives' }),
    amount: z.string().openapi({ description: 'Decimal string at the asset scale', example: '0.1' }),
    residualInterestAccountId: z.string().openapi({ example: 'ri:derivatives:BTC' }),
    houseEquityAccountId: z.string().openapi({ example: 'house:equity:BTC' }),
    segregatedCustodyAccountId: z.string().openapi({ example: 'seg:derivatives:BTC' }),
    houseCustodyAccountId: z.string().openapi({ example: 'house:custody:BTC' }),
    reason: z.string().openapi({ description: 'Why the house takes it (on the regulator notice)' }),
    recipient: z.string().openapi({ description: 'Who receives it (on the regulator notice)' }),
  })
  .openapi('ResidualInterestWithdrawalRequest');

const IdParamsSchema = z.object({ id: z.string().openapi({ example: 'riw-1' }) });

const withdrawalResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: ResidualInterestWithdrawalSchema } },
});

const requestRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/residual-interest/withdrawals',
  tags: TAGS,
  summary:
    'Ask to withdraw residual interest from segregation: the gate executes it, refuses it or awaits officers',
  description:
    "Allowed only once the prior business day's statement is finalised and the pro-forma excess stays ≥ 0; below the target, or above 25% of the last statement's residual interest cumulatively, two officers must approve first. A gate refusal is recorded (listed as refused) and answered with its code.",
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: WithdrawalRequestSchema } } } },
  responses: {
    201: withdrawalResponse('Executed, or awaiting two officer approvals'),
    ...errorResponses(400, 403, 415, 422),
  },
});

const approveRoute = createRoute({
  method: 'post',
  path: '/v1/segregation/residual-interest/withdrawals/{id}/approvals',
  tags: TAGS,
  summary:
    "Record the calling officer's approval; with the second distinct officer it is re-gated and executed",
  security: BEARER_SECURITY,
  middleware: [allowRoles('officer')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: withdrawalResponse('Awaiting approvals, or executed'),
    ...errorResponses(403, 404, 422),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/residual-interest/withdrawals',
  tags: TAGS,
  summary: 'Every residual-interest withdrawal request, newest first',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'Withdrawals',
      content: {
        'application/json': { schema: z.object({ withdrawals: list(ResidualInterestWithdrawalSchema) }) },
      },
    },
    ...errorResponses(403),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/residual-interest/withdrawals/{id}',
  tags: TAGS,
  summary: 'One residual-interest withdrawal: status, approvals, execution, refusal, notice',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: withdrawalResponse('The withdrawal'),
    ...errorResponses(403, 404),
  },
});

const noticesRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/notices',
  tags: TAGS,
  summary: 'Every regulator notice, newest first',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  responses: {
    200: {
      description: 'Notices',
      content: { 'application/json': { schema: z.object({ notices: list(NoticeSchema) }) } },
    },
    ...errorResponses(403),
  },
});

const noticeRoute = createRoute({
  method: 'get',
  path: '/v1/segregation/notices/{id}',
  tags: TAGS,
  summary: 'One regulator notice as JSON, or as a printable plain-text document',
  security: BEARER_SECURITY,
  middleware: [allowRoles(...SEGREGATION_READERS)] as const,
  request: {
    params: z.object({ id: z.string().openapi({ example: 'notice-riw-3' }) }),
    query: z.object({ format: z.enum(['json', 'text']).optional() }),
  },
  responses: {
    200: {
      description: 'The notice',
      content: {
        'application/json': { schema: NoticeSchema },
        'text/plain': { schema: z.string().openapi({ description: 'The printable notice' }) },
      },
    },
    ...errorResponses(400, 403, 404),
  },
});

/** Registers the residual-interest withdrawal and notice routes (behind `requireSegregation`). */
export function registerResidualInterestRoutes(
  app: ApiApp,
  ledger: LedgerService,
  segregation: SegregationApiServices | undefined,
): void {
  const services = () => segregationOf(segregation);

  app.openapi(requestRoute, async (c) => {
    const body = c.req.valid('json');
    const { service } = services();
    const amountMinor = valueOrThrow(
      await ledger.read((engine) =>
        parseSegregationAmount(engine, {
          asset: body.asset,
          amount: body.amount,
          field: 'amount',
          allowZero: false,
        }),
      ),
    );
    const withdrawal = valueOrThrow(
      await service.requestWithdrawal({
        asset: body.asset,
        accountClass: body.accountClass,
        amountMinor,
        residualInterestAccountId: body.residualInterestAccountId,
        houseEquityAccountId: body.houseEquityAccountId,
        segregatedCustodyAccountId: body.segregatedCustodyAccountId,
        houseCustodyAccountId: body.houseCustodyAccountId,
        reason: body.reason,
        recipient: body.recipient,
        by: c.get('principal').keyId,
      }),
    );
    return c.json(residualInterestWithdrawalView(withdrawal, await readScales(ledger)), 201);
  });

  app.openapi(approveRoute, async (c) => {
    const { id } = c.req.valid('param');
    const withdrawal = valueOrThrow(await services().service.approveWithdrawal(id, c.get('principal').keyId));
    return c.json(residualInterestWithdrawalView(withdrawal, await readScales(ledger)), 200);
  });

  app.openapi(listRoute, async (c) => {
    const scaleOf = await readScales(ledger);
    const withdrawals = services()
      .service.listWithdrawals()
      .map((record) => residualInterestWithdrawalView(record, scaleOf));
    return c.json({ withdrawals }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const record = services().service.getWithdrawal(id);
    if (record === undefined) {
      throw new ApiError('ri_withdrawal_unknown', `no residual-interest withdrawal ${id}`, { requestId: id });
    }
    return c.json(residualInterestWithdrawalView(record, await readScales(ledger)), 200);
  });

  app.openapi(noticesRoute, async (c) => {
    const scaleOf = await readScales(ledger);
    const notices = services()
      .service.listNotices()
      .map((notice) => noticeView(notice, scaleOf));
    return c.json({ notices }, 200);
  });

  app.openapi(noticeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { format = 'json' } = c.req.valid('query');
    const segregationServices = services();
    const notice = segregationServices.service.state.notices.get(id);
    if (notice === undefined) throw new ApiError('not_found', `no regulator notice ${id}`);
    const scaleOf = await readScales(ledger);
    if (format === 'text') {
      return c.text(noticeText(notice, scaleOf, segregationServices.firmName), 200);
    }
    return c.json(noticeView(notice, scaleOf), 200);
  });
}
