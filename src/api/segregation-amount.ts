// Amounts clients send to the segregation routes (and the CLI in --db mode): a decimal string at the asset's
// scale, checked against the asset registry first so an unknown asset answers the segregation module's code.

import { type Rejected, rejected } from '../core/custody/rejection.ts';
import type { LedgerEngine } from '../core/ledger/engine.ts';
import { parseAmount } from '../core/money/amount.ts';

/** A zero written in decimal ("0", "0.00"): a target may be zero, a withdrawal may not. */
const ZERO_PATTERN = /^0+(\.0+)?$/;

/**
 * Parses `text` at the scale of `asset`: `segregation_asset_unknown` for an unregistered asset, then the
 * amount codes (`amount_invalid`, `amount_too_many_decimals`, `amount_not_positive`, `amount_overflow`)
 * with `details.field`; zero passes only when `allowZero`.
 */
export function parseSegregationAmount(
  engine: LedgerEngine,
  input: {
    readonly asset: string;
    readonly amount: string;
    readonly field: string;
    readonly allowZero: boolean;
  },
): { readonly ok: true; readonly value: bigint } | Rejected {
  const asset = engine.getAsset(input.asset);
  if (asset === undefined) {
    return rejected('segregation_asset_unknown', `no asset ${input.asset} is registered`, {
      asset: input.asset,
    });
  }
  if (input.allowZero && ZERO_PATTERN.test(input.amount)) return { ok: true, value: 0n };
  const parsed = parseAmount(input.amount, asset.scale);
  if (!parsed.ok) return rejected(parsed.error.code, parsed.error.message, { field: input.field });
  return { ok: true, value: parsed.value };
}
