// OKX's decimal amounts: the strings its Merkle files carry, parsed exactly, summed the way OKX's Go tool sums
// them (an exact add, then shopspring/decimal v1.3.1 `RoundDown(8)`, which truncates toward zero) and printed
// the way that tool prints a sum (shopspring `String()`).

import { formatAmount } from '../../money/amount.ts';

/** Fraction digits OKX keeps in every sum. */
export const OKX_SUM_SCALE = 8;
/** Most fraction digits an input amount may have: OKX writes at most 8; up to 18 are read and truncated in sums. */
export const OKX_FRACTION_DIGITS_MAX = 18;
/** Most digits before the point: 10^30 of any asset is far beyond every supply. */
export const OKX_WHOLE_DIGITS_MAX = 30;

/** An exact decimal amount, `minor` × 10^−scale, with OKX_SUM_SCALE ≤ scale ≤ OKX_FRACTION_DIGITS_MAX. */
export interface OkxAmount {
  readonly minor: bigint;
  readonly scale: number;
}

// Plain decimals only: no exponent, no "+", no ".5" or "1.", no leading zeros, which Go's parser would also
// take but OKX never writes.
const AMOUNT_PATTERN = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** Parses a decimal string ("95088.55505656", "0", "-1.5") exactly; null for anything else. */
export function parseOkxAmount(text: unknown): OkxAmount | null {
  if (typeof text !== 'string') return null;
  const match = AMOUNT_PATTERN.exec(text);
  if (match === null) return null;
  const [, sign = '', whole = '0', fraction = ''] = match;
  if (whole.length > OKX_WHOLE_DIGITS_MAX || fraction.length > OKX_FRACTION_DIGITS_MAX) return null;
  const scale = Math.max(OKX_SUM_SCALE, fraction.length);
  const magnitude = BigInt(whole + fraction.padEnd(scale, '0'));
  return { minor: sign === '-' ? -magnitude : magnitude, scale };
}

/** a + b exactly, then truncated toward zero to 8 fraction digits, as OKX's `Balances.Add` does. */
export function addOkxAmounts(a: OkxAmount, b: OkxAmount): OkxAmount {
  const scale = Math.max(a.scale, b.scale);
  const exact = rescaleUp(a, scale) + rescaleUp(b, scale);
  return { minor: divTrunc(exact, 10n ** BigInt(scale - OKX_SUM_SCALE)), scale: OKX_SUM_SCALE };
}

/** Prints like shopspring's `String()`: no exponent, trailing zeros trimmed, "0" for zero, "-" only below zero. */
export function formatOkxAmount(amount: OkxAmount): string {
  return formatAmount(amount.minor, amount.scale);
}

/** True when both amounts have the same value, whatever their scales. */
export function okxAmountsEqual(a: OkxAmount, b: OkxAmount): boolean {
  const scale = Math.max(a.scale, b.scale);
  return rescaleUp(a, scale) === rescaleUp(b, scale);
}

/** The amount as minor units at `scale` ≥ its own scale (exact: only multiplies). */
function rescaleUp(amount: OkxAmount, scale: number): bigint {
  return amount.minor * 10n ** BigInt(scale - amount.scale);
}

/** Division rounding toward zero: bigint `/` already truncates, exactly as Go's big.Int `Quo` in shopspring's rescale. */
function divTrunc(numerator: bigint, denominator: bigint): bigint {
  return numerator / denominator;
}
