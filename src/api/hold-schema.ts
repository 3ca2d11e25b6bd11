// The published schema of a hold (a pending transfer): its one leg, its expiry and what became of it.
// The values come from toHoldView in src/service/ledger-views.ts; the typed routes check that they fit.

import { z } from '@hono/zod-openapi';
import { TRANSFER_KINDS } from '../core/ledger/classes.ts';
import { AmountSchema } from './account-schema.ts';

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
