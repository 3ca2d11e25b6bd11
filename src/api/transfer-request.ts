// A transfer as a client sends it (decimal amounts, an ISO-8601 hold expiry, either id spelling) and its
// translation into the engine's command, with the customer-key rules applied before the ledger sees it.

import { z } from '@hono/zod-openapi';
import { assert } from '../core/assert.ts';
import { INSTRUCTED_KINDS, TRANSFER_KINDS } from '../core/ledger/classes.ts';
import type { LedgerEngine } from '../core/ledger/engine.ts';
import type { Leg, Rejection, TransferCommand } from '../core/ledger/types.ts';
import { parseAmount } from '../core/money/amount.ts';
import { isOwnAccount } from './access.ts';
import { AmountSchema } from './account-schema.ts';
import type { Principal } from './app-env.ts';
import { normaliseTransferId, TransferIdSchema } from './transfer-id.ts';

/** One debit/credit pair of a transfer request. */
export const LegRequestSchema = z
  .object({
    debit: z.string().openapi({ description: 'Account debited' }),
    credit: z.string().openapi({ description: 'Account credited' }),
    asset: z.string().openapi({ example: 'BTC' }),
    amount: AmountSchema,
  })
  .openapi('LegRequest');

/** The body of POST /v1/transfers and each item of a batch. */
export const TransferRequestSchema = z
  .object({
    id: TransferIdSchema,
    kind: z.enum(TRANSFER_KINDS),
    reference: z
      .string()
      .openapi({ description: 'The basis: fill id, fee basis, instruction id, tx hash, reversed id' }),
    instructedBy: z.string().optional().openapi({
      description: 'The customer whose instruction this is; forced to the caller for customer keys',
    }),
    legs: z.array(LegRequestSchema),
    hold: z
      .object({ expiresAt: z.iso.datetime({ offset: true }) })
      .optional()
      .openapi({
        description: 'Reserve instead of posting, until posted, voided or expired (single leg only)',
      }),
  })
  .openapi('TransferRequest');

/** A parsed transfer request. */
export type TransferRequest = z.infer<typeof TransferRequestSchema>;

/** The command, or the first rejection found; rejected requests never reach the writer. */
export type BuildTransferResult = { ok: true; command: TransferCommand } | { ok: false; error: Rejection };

const fail = (code: string, message: string, details?: Rejection['details']): BuildTransferResult => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Checks, in order: the id; that the kind is not a residual-interest withdrawal (only the gate books those);
 * for customer keys the kind, the instruction and that every leg debits one of the customer's own accounts;
 * then each leg's asset and amount (parsed at the asset's scale).
 */
export function buildTransferCommand(
  engine: LedgerEngine,
  principal: Principal,
  request: TransferRequest,
): BuildTransferResult {
  const id = normaliseTransferId(request.id);
  if (id === null) return fail('transfer_id_invalid', 'id must be 32 hex digits or a UUID');
  // House money leaves segregation only through the residual-interest gate (prior statement finalised,
  // excess kept, officers for overrides and the 25% rule), never as a bare transfer (CFTC 1.23, NFA §16).
  if (request.kind === 'residual_interest_withdrawal') {
    return fail(
      'residual_interest_withdrawal_requires_gate',
      'residual interest leaves segregation only through POST /v1/segregation/residual-interest/withdrawals',
      { kind: request.kind },
    );
  }
  let instructedBy = request.instructedBy ?? null;
  if (principal.customerId !== null) {
    const customerId = principal.customerId;
    if (!INSTRUCTED_KINDS.has(request.kind)) {
      return fail('forbidden_role', `a customer key may not post a ${request.kind}`, { kind: request.kind });
    }
    if (instructedBy !== null && instructedBy !== customerId) {
      return fail('forbidden_not_own_account', 'a customer key instructs only for its own customer', {
        instructedBy,
      });
    }
    instructedBy = customerId;
    // Simple and safe: a customer debits only its own accounts. Custody legs and cross-customer debits are
    // the operator's to post, even where the engine's own rules would allow them.
    for (const [index, leg] of request.legs.entries()) {
      if (!isOwnAccount(customerId, engine.getAccount(leg.debit))) {
        return fail('forbidden_not_own_account', `a customer key cannot debit account ${leg.debit}`, {
          leg: index,
          account: leg.debit,
        });
      }
    }
  }
  const legs: Leg[] = [];
  for (const [index, leg] of request.legs.entries()) {
    const asset = engine.getAsset(leg.asset);
    if (asset === undefined) {
      return fail('asset_unknown', `asset ${leg.asset} is not registered`, { leg: index, asset: leg.asset });
    }
    const amount = parseAmount(leg.amount, asset.scale);
    if (!amount.ok) return fail(amount.error.code, amount.error.message, { leg: index });
    legs.push({ debit: leg.debit, credit: leg.credit, asset: leg.asset, amountMinor: amount.value });
  }
  const holdExpiresAtMs = request.hold === undefined ? null : Date.parse(request.hold.expiresAt);
  // The schema admits only four-digit years, so the time is always a finite integer the journal can encode.
  assert(
    holdExpiresAtMs === null || Number.isSafeInteger(holdExpiresAtMs),
    'hold expiry parses to integer ms',
  );
  return {
    ok: true,
    command: {
      type: 'transfer',
      id,
      kind: request.kind,
      reference: request.reference,
      instructedBy,
      legs,
      holdExpiresAtMs,
    },
  };
}
