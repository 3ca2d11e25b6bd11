// GET /v1/custody/hot-wallet-plan: per asset, the customer coins in hot and cold customer vaults against
// customer liabilities, and the rebalance moves that bring hot within [floor, cap] (floor rounding).

import { createRoute, z } from '@hono/zod-openapi';
import {
  HOT_WALLET_CAP_BPS_DEFAULT,
  HOT_WALLET_FLOOR_BPS_DEFAULT,
  hotWalletCapMinor,
  planHotWalletRebalance,
} from '../../core/custody/hot-wallet-cap.ts';
import { formatAmount } from '../../core/money/amount.ts';
import { hotWalletPositions } from '../../service/hot-wallet-positions.ts';
import type { LedgerService } from '../../service/ledger-service.ts';
import { assetScaleOf } from '../../service/ledger-views.ts';
import { AmountSchema } from '../account-schema.ts';
import { ApiError } from '../api-error.ts';
import type { ApiApp } from '../app-env.ts';
import { allowRoles, BEARER_SECURITY } from '../auth.ts';
import { type CustodyApiServices, requireCustody } from '../custody-services.ts';
import { errorResponses } from '../error-schema.ts';

const BpsSchema = z
  .string()
  .regex(/^[0-9]{1,5}$/)
  .optional()
  .openapi({ description: 'Basis points of customer liabilities (integer 0..10000)' });

const PositionSchema = z
  .object({
    asset: z.string(),
    customerLiabilities: AmountSchema,
    hot: AmountSchema,
    cold: AmountSchema,
    cap: AmountSchema,
    floor: AmountSchema,
  })
  .openapi('HotWalletPosition');

const InstructionSchema = z
  .object({
    asset: z.string(),
    direction: z.enum(['hot_to_cold', 'cold_to_hot']),
    amount: AmountSchema,
    cap: AmountSchema,
    floor: AmountSchema,
    hotAfter: AmountSchema.openapi({ description: 'The hot balance once the move is done' }),
  })
  .openapi('RebalanceInstruction');

const planRoute = createRoute({
  method: 'get',
  path: '/v1/custody/hot-wallet-plan',
  tags: ['custody'],
  summary: 'Hot-wallet cap: customer coins hot and cold per asset, and the rebalance instructions',
  security: BEARER_SECURITY,
  middleware: [allowRoles('operator', 'auditor')] as const,
  request: { query: z.object({ capBps: BpsSchema, floorBps: BpsSchema }) },
  responses: {
    200: {
      description: 'Positions and instructions',
      content: {
        'application/json': {
          schema: z
            .object({
              asOfSeq: z.number().int(),
              capBps: z.number().int(),
              floorBps: z.number().int(),
              positions: z.array(PositionSchema),
              instructions: z.array(InstructionSchema),
            })
            .openapi('HotWalletPlan'),
        },
      },
    },
    ...errorResponses(400, 403),
  },
});

/** Registers the hot-wallet plan route; without custody services it answers 503 `custody_unavailable`. */
export function registerHotWalletRoutes(
  app: ApiApp,
  service: LedgerService,
  custody: CustodyApiServices | undefined,
): void {
  app.use(planRoute.path, requireCustody(custody));
  app.openapi(planRoute, async (c) => {
    const query = c.req.valid('query');
    const settings = {
      capBps: query.capBps === undefined ? HOT_WALLET_CAP_BPS_DEFAULT : Number(query.capBps),
      floorBps: query.floorBps === undefined ? HOT_WALLET_FLOOR_BPS_DEFAULT : Number(query.floorBps),
    };
    // One read: positions, instructions and the seq they belong to come from the same committed state.
    const plan = await service.read((engine) => {
      const positions = hotWalletPositions(engine);
      const planned = planHotWalletRebalance(positions, settings);
      if (!planned.ok) throw new ApiError(planned.error.code, planned.error.message, planned.error.details);
      const format = (asset: string, minor: bigint) => formatAmount(minor, assetScaleOf(engine, asset));
      return {
        asOfSeq: engine.headSeq,
        ...settings,
        positions: positions.map((position) => {
          const liabilities = position.customerLiabilitiesMinor;
          return {
            asset: position.asset,
            customerLiabilities: format(position.asset, liabilities),
            hot: format(position.asset, position.hotMinor),
            cold: format(position.asset, position.coldMinor),
            cap: format(position.asset, hotWalletCapMinor(liabilities, settings.capBps)),
            floor: format(position.asset, hotWalletCapMinor(liabilities, settings.floorBps)),
          };
        }),
        instructions: planned.instructions.map((instruction) => ({
          asset: instruction.asset,
          direction: instruction.direction,
          amount: format(instruction.asset, instruction.amountMinor),
          cap: format(instruction.asset, instruction.capMinor),
          floor: format(instruction.asset, instruction.floorMinor),
          hotAfter: format(instruction.asset, instruction.hotAfterMinor),
        })),
      };
    });
    return c.json(plan, 200);
  });
}
