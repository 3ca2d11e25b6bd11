// What every benchmark shares: a seeded xorshift32 generator and a source of uniform numbers built on it,
// the median of a set of runs, rounding figures to two decimals for the JSON line, and progress on stderr.

/** xorshift32 (Marsaglia): fast, seeded, the same sequence for the same seed; a zero seed becomes 1. */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** A seeded source of uniform numbers in [0, 1) and integers in [0, n) (rounded down). */
export function randomSource(seed: number): { unit: () => number; below: (n: number) => number } {
  const next = xorshift32(seed);
  const unit = () => next() / 2 ** 32;
  return { unit, below: (n) => Math.floor(unit() * n) };
}

/** The median of the runs (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A figure rounded to two decimals for the JSON line. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** One line of progress on stderr (stdout keeps the JSON line clean). */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}
