// Decimal-string <-> minor-unit conversion for every amount that crosses the boundary of the engine.
// Amounts are bigint minor units inside; outside they are decimal strings with at most `scale` fraction digits.

/** Largest amount (in minor units) any account or transfer may hold: u128, as in TigerBeetle. */
export const AMOUNT_MINOR_MAX = (1n << 128n) - 1n;

/** The rejection codes amount parsing can return. */
export type AmountErrorCode =
  | 'amount_invalid'
  | 'amount_too_many_decimals'
  | 'amount_not_positive'
  | 'amount_overflow';

export type ParseAmountResult =
  | { ok: true; value: bigint }
  | { ok: false; error: { code: AmountErrorCode; message: string } };

const DECIMAL_PATTERN = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses a positive decimal string ("1.5") into minor units at `scale`; rejects anything else as data. */
export function parseAmount(text: unknown, scale: number): ParseAmountResult {
  assertScale(scale);
  if (typeof text !== 'string' || text.length === 0 || text.length > 80) {
    return fail('amount_invalid', 'amount must be a decimal string such as "1.5"');
  }
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) return fail('amount_invalid', `amount "${text}" is not a decimal number`);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > scale) {
    return fail('amount_too_many_decimals', `amount "${text}" has more than ${scale} decimal places`);
  }
  const value = BigInt(whole + fraction.padEnd(scale, '0'));
  if (sign === '-' || value === 0n)
    return fail('amount_not_positive', `amount "${text}" must be greater than zero`);
  if (value > AMOUNT_MINOR_MAX)
    return fail('amount_overflow', `amount "${text}" exceeds the maximum of 2^128-1 minor units`);
  return { ok: true, value };
}

/** Formats minor units as a decimal string at `scale`, trimming trailing fraction zeros ("1.5", "-0.25", "3"). */
export function formatAmount(minor: bigint, scale: number): string {
  assertScale(scale);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  // Trailing fraction zeros are cut by scanning back, not by a regular expression: packs format millions.
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 48) end -= 1;
  const text = end > point ? `${digits.slice(0, point)}.${digits.slice(point, end)}` : digits.slice(0, point);
  return negative ? `-${text}` : text;
}

/** Integer division rounding toward negative infinity. */
export function divFloor(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return remainder !== 0n && remainder < 0n !== denominator < 0n ? quotient - 1n : quotient;
}

/** Integer division rounding toward positive infinity. */
export function divCeil(numerator: bigint, denominator: bigint): bigint {
  return -divFloor(-numerator, denominator);
}

function assertScale(scale: number): void {
  if (!Number.isInteger(scale) || scale < 0 || scale > 18)
    throw new RangeError(`scale ${scale} is outside 0..18`);
}

function fail(code: AmountErrorCode, message: string): ParseAmountResult {
  return { ok: false, error: { code, message } };
}
