// How a hold (a pending transfer) looks on the wire: its one leg, its expiry and what became of it.

import { z } from '@hono/zod-openapi';
import { TRANSFER_KINDS } from '../core/ledger/classes.ts';
import type { HoldState } from '../core/ledger/engine.ts';
import { formatAmount } from '../core/money/amount.ts';
import { AmountSchema } from './account-view.ts';

/** A hold and its status. */
export const HoldSchema = z
  .object({
    id: z.string(),
    kind: z.enum(TRANSFER_KINDS),
    debit: z.string(),
    credit: z.string(),
    asset: z.string(),
    amount: AmountSchema.openapi({ description: 'Reserved while pending; what was posted once posted' }),
    expiresAt: z.string(),
    status: z.enum(['pending', 'posted', 'voided', 'expired']),
  })
  .openapi('Hold');

/** The wire form of a hold. */
export type HoldView = z.infer<typeof HoldSchema>;

/** Formats a hold at its asset's `scale`. */
export function toHoldView(hold: Readonly<HoldState>, scale: number): HoldView {
  return {
    id: hold.id,
    kind: hold.kind,
    debit: hold.leg.debit,
    credit: hold.leg.credit,
    asset: hold.leg.asset,
    amount: formatAmount(hold.amountMinor, scale),
    expiresAt: new Date(hold.expiresAtMs).toISOString(),
    status: hold.status,
  };
}
