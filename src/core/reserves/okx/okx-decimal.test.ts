// Proves OKX decimal handling matches OKX's Go tool (shopspring/decimal v1.3.1): exact parsing of plain
// decimals only, sums truncated toward zero at 8 decimals, and shopspring's printing of sums.

import { describe, expect, it } from 'vitest';
import {
  addOkxAmounts,
  formatOkxAmount,
  type OkxAmount,
  okxAmountsEqual,
  parseOkxAmount,
} from './okx-decimal.ts';

function amount(text: string): OkxAmount {
  const parsed = parseOkxAmount(text);
  if (parsed === null) throw new Error(`test amount ${text} did not parse`);
  return parsed;
}

function sum(a: string, b: string): string {
  return formatOkxAmount(addOkxAmounts(amount(a), amount(b)));
}

describe('parseOkxAmount', () => {
  it('reads plain decimals exactly, at scale 8 or more', () => {
    expect(parseOkxAmount('95088.55505656')).toEqual({ minor: 9508855505656n, scale: 8 });
    expect(parseOkxAmount('0')).toEqual({ minor: 0n, scale: 8 });
    expect(parseOkxAmount('-1.5')).toEqual({ minor: -150000000n, scale: 8 });
    expect(parseOkxAmount('0.123456789012345678')).toEqual({ minor: 123456789012345678n, scale: 18 });
    expect(parseOkxAmount('1'.repeat(30))).not.toBeNull();
  });

  it('refuses what OKX never writes, and non-strings', () => {
    for (const text of [
      '',
      '1e5',
      '+1',
      '.5',
      '1.',
      '01',
      '1,5',
      ' 1',
      '0x10',
      'NaN',
      '0.1234567890123456789',
    ]) {
      expect(parseOkxAmount(text), text).toBeNull();
    }
    expect(parseOkxAmount('1'.repeat(31))).toBeNull();
    expect(parseOkxAmount(1)).toBeNull();
    expect(parseOkxAmount(null)).toBeNull();
  });
});

describe('addOkxAmounts', () => {
  it('adds exactly when both sides have at most 8 decimals', () => {
    expect(sum('0.1', '0.2')).toBe('0.3');
    expect(sum('58243.50077963', '36845.05427693')).toBe('95088.55505656');
    expect(sum('0', '0')).toBe('0');
  });

  it('truncates the exact sum toward zero at 8 decimals (RoundDown), never toward minus infinity', () => {
    expect(sum('1.123456789', '1.123456789')).toBe('2.24691357');
    expect(sum('0.000000015', '0')).toBe('0.00000001');
    expect(sum('-0.000000015', '0')).toBe('-0.00000001');
    expect(sum('-0.000000005', '0')).toBe('0');
    expect(sum('0.000000009', '0.000000001')).toBe('0.00000001');
    expect(addOkxAmounts(amount('0.000000019'), amount('1')).scale).toBe(8);
  });
});

describe('formatOkxAmount and okxAmountsEqual', () => {
  it('prints like shopspring: trailing zeros trimmed, "0" for zero, leading zero below one', () => {
    expect(formatOkxAmount(amount('1.50000000'))).toBe('1.5');
    expect(formatOkxAmount(amount('20'))).toBe('20');
    expect(formatOkxAmount(amount('0.000000000000000001'))).toBe('0.000000000000000001');
    expect(formatOkxAmount(amount('-0.5'))).toBe('-0.5');
    expect(formatOkxAmount(amount('-0'))).toBe('0');
  });

  it('compares values across scales', () => {
    expect(okxAmountsEqual(amount('1.5'), amount('1.500000000000'))).toBe(true);
    expect(okxAmountsEqual(amount('1.5'), amount('1.500000000001'))).toBe(false);
  });
});
