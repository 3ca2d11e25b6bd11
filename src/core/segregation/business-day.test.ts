import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  closeOfBusinessMs,
  dateOfMs,
  finalisationDeadlineMs,
  isBusinessDateText,
  isBusinessDay,
  nextBusinessDay,
  previousBusinessDay,
  startOfDateMs,
} from './business-day.ts';

describe('business days', () => {
  it('formats dates exactly as the ISO calendar does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_000_000, max: 10_000_000_000_000 }), (ms) => {
        expect(dateOfMs(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
      }),
    );
  });

  it('knows weekends', () => {
    expect(isBusinessDay('2026-11-30')).toBe(true); // Monday
    expect(isBusinessDay('2026-11-28')).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-29')).toBe(false); // Sunday
    expect(isBusinessDay('2026-11-27')).toBe(true); // Friday
  });

  it('skips weekends both ways', () => {
    expect(previousBusinessDay('2026-11-30')).toBe('2026-11-27');
    expect(previousBusinessDay('2026-12-01')).toBe('2026-11-30');
    expect(nextBusinessDay('2026-11-27')).toBe('2026-11-30');
    expect(nextBusinessDay('2026-11-28')).toBe('2026-11-30');
  });

  it('puts the finalisation deadline at noon of the next business day', () => {
    expect(finalisationDeadlineMs('2026-11-27', 12)).toBe(Date.UTC(2026, 10, 30, 12));
    expect(closeOfBusinessMs('2026-11-27')).toBe(Date.UTC(2026, 10, 28));
    expect(startOfDateMs('2026-02-28')).toBe(Date.UTC(2026, 1, 28));
  });

  it('accepts only real calendar dates', () => {
    expect(isBusinessDateText('2026-02-29')).toBe(false);
    expect(isBusinessDateText('2028-02-29')).toBe(true);
    expect(isBusinessDateText('2026-13-01')).toBe(false);
    expect(isBusinessDateText('26-01-01')).toBe(false);
    expect(() => startOfDateMs('2026-02-30')).toThrow(RangeError);
  });
});
