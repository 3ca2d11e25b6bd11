// Proves decimal parsing and formatting round-trip exactly at every scale and reject each kind of bad amount.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MINOR_MAX, divCeil, divFloor, formatAmount, parseAmount } from './amount.ts';

describe('parseAmount', () => {
  it('parses decimal strings into minor units at the asset scale', () => {
    expect(parseAmount('1.5', 8)).toEqual({ ok: true, value: 150_000_000n });
    expect(parseAmount('0.000001', 6)).toEqual({ ok: true, value: 1n });
    expect(parseAmount('12', 0)).toEqual({ ok: true, value: 12n });
    expect(parseAmount('1', 18)).toEqual({ ok: true, value: 10n ** 18n });
  });
  it.each([
    ['1.123', 2, 'amount_too_many_decimals'],
    ['0', 8, 'amount_not_positive'],
    ['0.00', 2, 'amount_not_positive'],
    ['-1', 8, 'amount_not_positive'],
    ['abc', 8, 'amount_invalid'],
    ['1e5', 8, 'amount_invalid'],
    ['', 8, 'amount_invalid'],
    [' 1', 8, 'amount_invalid'],
    ['1.', 8, 'amount_invalid'],
    ['.5', 8, 'amount_invalid'],
    [15, 8, 'amount_invalid'],
    ['340282366920938463463374607431768211456', 0, 'amount_overflow'],
  ] as const)('rejects %s at scale %s with %s', (text, scale, code) => {
    const result = parseAmount(text, scale);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });
  it('accepts the maximum u128 amount', () => {
    expect(parseAmount(AMOUNT_MINOR_MAX.toString(), 0)).toEqual({ ok: true, value: AMOUNT_MINOR_MAX });
  });
});

describe('formatAmount', () => {
  it('formats with trimmed fraction zeros', () => {
    expect(formatAmount(150_000_000n, 8)).toBe('1.5');
    expect(formatAmount(1n, 6)).toBe('0.000001');
    expect(formatAmount(-25n, 2)).toBe('-0.25');
    expect(formatAmount(300n, 2)).toBe('3');
    expect(formatAmount(0n, 8)).toBe('0');
  });
  it('round-trips every positive amount at every scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: AMOUNT_MINOR_MAX }),
        fc.integer({ min: 0, max: 18 }),
        (minor, scale) => {
          expect(parseAmount(formatAmount(minor, scale), scale)).toEqual({ ok: true, value: minor });
        },
      ),
    );
  });
});

describe('divFloor and divCeil', () => {
  it('round toward -inf and +inf for every sign combination', () => {
    expect(divFloor(7n, 2n)).toBe(3n);
    expect(divFloor(-7n, 2n)).toBe(-4n);
    expect(divCeil(7n, 2n)).toBe(4n);
    expect(divCeil(-7n, 2n)).toBe(-3n);
    fc.assert(
      fc.property(
        fc.bigInt(),
        fc.bigInt().filter((d) => d !== 0n),
        (n, d) => {
          const floor = divFloor(n, d);
          expect(floor * d <= n === d > 0n || floor * d === n).toBe(true);
          expect(divCeil(n, d) - floor).toBe(n % d === 0n ? 0n : 1n);
        },
      ),
    );
  });
});
