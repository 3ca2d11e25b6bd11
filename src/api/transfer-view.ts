// How a committed transfer, hold post or hold void looks on the wire, and which accounts it touches
// (what decides whether a customer key may see it).

import { z } from '@hono/zod-openapi';
import { assert } from '../core/assert.ts';
import { TRANSFER_KINDS } from '../core/ledger/classes.ts';
import type { LedgerEngine } from '../core/ledger/engine.ts';
import type { Entry } from '../core/ledger/types.ts';
import { formatAmount } from '../core/money/amount.ts';
import { assetScaleOf } from '../service/ledger-views.ts';
import { AmountSchema } from './account-schema.ts';

const LegSchema = z
  .object({ debit: z.string(), credit: z.string(), asset: z.string(), amount: AmountSchema })
  .openapi('Leg');

/** A committed transfer, post or void, with its journal position. */
export const TransferSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('transfer'),
      id: z.string(),
      seq: z.number().int(),
      kind: z.enum(TRANSFER_KINDS),
      reference: z.string(),
      instructedBy: z.string().nullable(),
      legs: z.array(LegSchema),
      hold: z.object({ expiresAt: z.string() }).nullable(),
    }),
    z.object({
      type: z.literal('post_hold'),
      id: z.string(),
      seq: z.number().int(),
      holdId: z.string(),
      amount: AmountSchema.nullable().openapi({
        description: 'Null when the full pending amount was posted',
      }),
    }),
    z.object({ type: z.literal('void_hold'), id: z.string(), seq: z.number().int(), holdId: z.string() }),
  ])
  .openapi('Transfer');

/** The wire form of a committed transfer, post or void. */
export type TransferView = z.infer<typeof TransferSchema>;

/** Id-bearing journal entries: the ones GET /v1/transfers/{id} can return. */
export type TransferEntry = Extract<Entry, { type: 'transfer' | 'post_hold' | 'void_hold' }>;

/** True when the entry is a transfer, post or void (the entries with a client-chosen id). */
export function isTransferEntry(entry: Entry): entry is TransferEntry {
  return entry.type === 'transfer' || entry.type === 'post_hold' || entry.type === 'void_hold';
}

/** The accounts the entry touches: its legs', or for a post or void the hold's leg. */
export function accountsTouchedBy(engine: LedgerEngine, entry: TransferEntry): string[] {
  if (entry.type === 'transfer') return entry.legs.flatMap((leg) => [leg.debit, leg.credit]);
  const hold = engine.getHold(entry.holdId);
  assert(hold !== undefined, 'a committed post or void names a known hold');
  return [hold.leg.debit, hold.leg.credit];
}

/** Formats an entry committed at `seq`; amounts at the scale of their asset. */
export function toTransferView(engine: LedgerEngine, entry: TransferEntry, seq: number): TransferView {
  switch (entry.type) {
    case 'transfer':
      return {
        type: 'transfer',
        id: entry.id,
        seq,
        kind: entry.kind,
        reference: entry.reference,
        instructedBy: entry.instructedBy,
        legs: entry.legs.map((leg) => ({
          debit: leg.debit,
          credit: leg.credit,
          asset: leg.asset,
          amount: formatAmount(leg.amountMinor, assetScaleOf(engine, leg.asset)),
        })),
        hold:
          entry.holdExpiresAtMs === null
            ? null
            : { expiresAt: new Date(entry.holdExpiresAtMs).toISOString() },
      };
    case 'post_hold': {
      const hold = engine.getHold(entry.holdId);
      assert(hold !== undefined, 'a committed post names a known hold');
      return {
        type: 'post_hold',
        id: entry.id,
        seq,
        holdId: entry.holdId,
        amount:
          entry.amountMinor === null
            ? null
            : formatAmount(entry.amountMinor, assetScaleOf(engine, hold.leg.asset)),
      };
    }
    case 'void_hold':
      return { type: 'void_hold', id: entry.id, seq, holdId: entry.holdId };
  }
}
