// The published schema of an account and its balances: decimal strings at the asset's scale, with the
// posted balance on the account's normal side (custody debit-normal, claims credit-normal). The values
// come from src/service/ledger-views.ts; the typed routes check that they fit these schemas.

import { z } from '@hono/zod-openapi';
import { SEGREGATION_CLASSES } from '../core/ledger/classes.ts';

/** A decimal amount string at the asset's scale; may be negative only where the class allows it. */
export const AmountSchema = z
  .string()
  .openapi({ description: 'Decimal string at the asset scale', example: '1.5' });

/** Who owns an account. */
export const OwnerSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('customer'), customerId: z.string() }),
    z.object({ type: z.literal('house') }),
  ])
  .openapi('Owner');

/** The four balance columns and the two derived balances of one account. */
export const BalancesSchema = z
  .object({
    debitsPosted: AmountSchema,
    creditsPosted: AmountSchema,
    debitsPending: AmountSchema,
    creditsPending: AmountSchema,
    balance: AmountSchema.openapi({ description: 'Posted balance on the normal side of the class' }),
    available: AmountSchema.openapi({ description: 'Posted balance less pending outflows' }),
  })
  .openapi('Balances');

/** An account with its balances. */
export const AccountSchema = z
  .object({
    id: z.string(),
    owner: OwnerSchema,
    asset: z.string(),
    segregationClass: z.enum(SEGREGATION_CLASSES),
    accountClass: z.string().nullable(),
    vaultId: z
      .string()
      .nullable()
      .openapi({ description: 'The vault a custody account records; null for claims' }),
    side: z
      .enum(['custody', 'claim'])
      .openapi({ description: 'custody: debit-normal; claim: credit-normal' }),
    balances: BalancesSchema,
  })
  .openapi('Account');
