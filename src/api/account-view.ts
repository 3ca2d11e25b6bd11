// How an account and its balances look on the wire: decimal strings at the asset's scale, with the
// posted balance on the account's normal side (custody debit-normal, claims credit-normal).

import { z } from '@hono/zod-openapi';
import { CLASS_RULES, SEGREGATION_CLASSES } from '../core/ledger/classes.ts';
import { availableOf, postedOf } from '../core/ledger/state.ts';
import type { Account } from '../core/ledger/types.ts';
import { formatAmount } from '../core/money/amount.ts';

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
    side: z
      .enum(['custody', 'claim'])
      .openapi({ description: 'custody: debit-normal; claim: credit-normal' }),
    balances: BalancesSchema,
  })
  .openapi('Account');

/** The wire form of an account. */
export type AccountView = z.infer<typeof AccountSchema>;

/** Formats an account at its asset's `scale`. */
export function toAccountView(account: Account, scale: number): AccountView {
  const side = CLASS_RULES[account.segregationClass].side;
  const { debitsPostedMinor, creditsPostedMinor, debitsPendingMinor, creditsPendingMinor } = account;
  return {
    id: account.id,
    owner:
      account.owner.type === 'customer'
        ? { type: 'customer', customerId: account.owner.customerId }
        : { type: 'house' },
    asset: account.asset,
    segregationClass: account.segregationClass,
    accountClass: account.accountClass,
    side,
    balances: {
      debitsPosted: formatAmount(debitsPostedMinor, scale),
      creditsPosted: formatAmount(creditsPostedMinor, scale),
      debitsPending: formatAmount(debitsPendingMinor, scale),
      creditsPending: formatAmount(creditsPendingMinor, scale),
      balance: formatAmount(postedOf(side, debitsPostedMinor, creditsPostedMinor), scale),
      available: formatAmount(
        availableOf(side, debitsPostedMinor, creditsPostedMinor, debitsPendingMinor, creditsPendingMinor),
        scale,
      ),
    },
  };
}
